package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/examples/internal/cli"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

func TestRunOffline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	require.NoError(t, run(ctx, []string{"-from", "2026-11-16", "-seed", "25"}, &out, &errOut))
	got := out.String()
	lines := strings.Split(strings.TrimSpace(got), "\n")
	assert.Contains(t, lines[0], "审批编号")
	assert.Contains(t, got, "20261116090000100001  2026-11-16 09:00  manager4421  COMPLETED/agree   项目报销  1      100.00")
	// Columns line up by display width (a Chinese character takes two cells).
	col := func(line, s string) int { return cli.Width(line[:strings.Index(line, s)]) }
	assert.Equal(t, col(lines[0], "CREATED"), col(lines[1], "2026-11-16"), "the header's Chinese shifts nothing")
	assert.Equal(t, col(lines[0], "LINES"), col(lines[1], "1      100.00"), "nor does a row's")
	assert.Contains(t, got, "25 instances of PROC-BX-0001 from 2026-11-16 to 2026-11-23, total ¥")
	assert.Contains(t, got, "callback URL verified")
	assert.Contains(t, got, "event bpms_instance_change finish for ")
	assert.Len(t, lines, 1+25+1+2, "header, 25 rows over two listids pages, total, two event lines")
	assert.Empty(t, errOut.String())
}

func TestRunOfflineWindowExcludesOthers(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-from", "2026-11-16", "-days", "1", "-seed", "12"}, &out, &out))
	assert.Contains(t, out.String(), "5 instances of PROC-BX-0001 from 2026-11-16 to 2026-11-17", "one every 3 h from 09:00: 09..21")
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-h"}, &out, &errOut))
	for _, name := range []string{"-live", "-from", "-days", "-listen", "-seed", "DINGTALK_APP_KEY", "DINGTALK_APP_SECRET",
		"DINGTALK_PROCESS_CODE", "DINGTALK_CALLBACK_TOKEN", "DINGTALK_CALLBACK_AES_KEY"} {
		assert.Contains(t, errOut.String(), name)
	}
}

func TestLiveNeedsEnvironment(t *testing.T) {
	t.Setenv("DINGTALK_APP_KEY", "")
	t.Setenv("DINGTALK_APP_SECRET", "")
	err := run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "DINGTALK_APP_KEY, DINGTALK_APP_SECRET", "every missing variable at once")
	t.Setenv("DINGTALK_APP_KEY", "k")
	t.Setenv("DINGTALK_APP_SECRET", "s")
	t.Setenv("DINGTALK_PROCESS_CODE", "")
	err = run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "DINGTALK_PROCESS_CODE")
	t.Setenv("DINGTALK_PROCESS_CODE", "PROC-1")
	err = run(context.Background(), []string{"-live", "-listen", ":0"}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "DINGTALK_CALLBACK_TOKEN")
}

func TestBadFlags(t *testing.T) {
	for args, want := range map[string]string{
		"-from 16.11.2026": "yyyy-mm-dd",
		"-days 0":          "-days",
		"-seed -1":         "-seed",
		"-listen :8080":    "-live",
		"-nope":            "not defined",
	} {
		err := run(context.Background(), strings.Fields(args), &bytes.Buffer{}, &bytes.Buffer{})
		assert.ErrorContains(t, err, want, args)
	}
}

func TestServeEventsPrintsPushesUntilCancelled(t *testing.T) {
	fake := dingtalktest.NewServer()
	defer fake.Close()
	id := fake.SeedReimbursements("PROC-1", 1, time.Date(2026, 11, 16, 9, 0, 0, 0, china))[0]
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithBaseURL(fake.URL), dingtalk.WithNewAPIBaseURL(fake.URL))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serveEvents(ctx, "127.0.0.1:0", dingtalktest.CallbackConfig(), c, pw); pw.Close() }()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	first := lines.Text()
	require.True(t, strings.HasPrefix(first, "listening for DingTalk events on http://"), first)
	url := strings.Fields(strings.TrimPrefix(first, "listening for DingTalk events on "))[0]

	ev, err := fake.InstanceEvent(id, "finish")
	require.NoError(t, err)
	require.NoError(t, fake.PostEvent(ctx, url, ev))
	require.True(t, lines.Scan())
	assert.Contains(t, lines.Text(), "event bpms_instance_change finish")
	require.NoError(t, fake.PostEvent(ctx, url, map[string]string{"EventType": "user_add_org"}))
	require.True(t, lines.Scan())
	assert.Contains(t, lines.Text(), "user_add_org (not an instance change), ignored")
	cancel()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	assert.NoError(t, <-done)
}
