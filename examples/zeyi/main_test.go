package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zeyi/zeyitest"
)

func TestOfflineApprove(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, &out, &errOut))
	assert.Equal(t, "started approval JR202510110000001 (auditId 1800000000000000001) with fields 金额=100.00, 附件=https://files.example.com/invoice.pdf\n"+
		"callback: JR202510110000001 approved (finish/agree) by fake-approver, remark \"同意\", DingTalk instance dt-instance-000001\n", out.String())
	assert.Empty(t, errOut.String())
}

func TestOfflineRefuse(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-refuse", "-code", "X9", "-amount", "5"}, &out, &out))
	assert.Contains(t, out.String(), "started approval X9 (auditId 1800000000000000001) with fields 金额=5,")
	assert.Contains(t, out.String(), `callback: X9 refused (finish/refuse) by fake-approver, remark "金额不符"`)
}

func TestBadInput(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-file-url", "not-a-url"}, &out, &out)
	assert.ErrorContains(t, err, "SendAuditRequest.AuditFormList[1].Value")
	err = run(context.Background(), []string{"-nope"}, &out, &out)
	assert.Error(t, err)
	err = run(context.Background(), []string{"-amount", "1e3"}, &out, &out)
	assert.ErrorContains(t, err, "-amount:")
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-h"}, &out, &errOut))
	for _, f := range []string{"-live", "-code", "-audit-type", "-originator", "-amount", "-file-url", "-refuse", "-wait"} {
		assert.Contains(t, errOut.String(), f)
	}
	for _, v := range liveVars {
		assert.Contains(t, errOut.String(), v.Name)
	}
	assert.Empty(t, out.String())
}

func TestLiveNeedsEnvironment(t *testing.T) {
	for _, v := range liveVars {
		t.Setenv(v.Name, "")
	}
	err := run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.EqualError(t, err, "-live needs these environment variables: ZEYI_APP_KEY, ZEYI_APP_SECRET, ZEYI_CALLBACK_ADDR, ZEYI_CALLBACK_APP_KEY, ZEYI_CALLBACK_APP_SECRET (see -h)")
	t.Setenv("ZEYI_APP_KEY", "k")
	t.Setenv("ZEYI_APP_SECRET", "s")
	err = run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.EqualError(t, err, "-live needs these environment variables: ZEYI_CALLBACK_ADDR, ZEYI_CALLBACK_APP_KEY, ZEYI_CALLBACK_APP_SECRET (see -h)")
	t.Setenv("ZEYI_CALLBACK_ADDR", "127.0.0.1:0")
	t.Setenv("ZEYI_CALLBACK_APP_KEY", "ck")
	t.Setenv("ZEYI_CALLBACK_APP_SECRET", "cs")
	t.Setenv("ZEYI_ENVIRONMENT", "staging")
	err = run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "zeyi: NewClient: WithEnvironment: must be one of production, test")
}

// TestLiveAgainstFake runs the -live path with the fake standing in for
// the gateway, including a real callback to ZEYI_CALLBACK_ADDR.
func TestLiveAgainstFake(t *testing.T) {
	fake := zeyitest.NewServer()
	defer fake.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	t.Setenv("ZEYI_APP_KEY", zeyitest.AppKey)
	t.Setenv("ZEYI_APP_SECRET", zeyitest.AppSecret)
	t.Setenv("ZEYI_BASE_URL", fake.URL)
	t.Setenv("ZEYI_CALLBACK_ADDR", addr)
	t.Setenv("ZEYI_CALLBACK_APP_KEY", zeyitest.CallbackAppKey)
	t.Setenv("ZEYI_CALLBACK_APP_SECRET", zeyitest.CallbackAppSecret)
	t.Setenv("ZEYI_CALLBACK_TOKEN", zeyitest.CallbackToken)
	fake.SetCallback("http://" + addr + CallbackPath)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-live", "-code", "LIVE1", "-wait", "15s"}, &out, &out) }()
	// Approve once the approval exists (the callback server is up by then).
	for {
		if _, ok := fake.Approval("LIVE1"); ok {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	status, _, err := fake.Approve(ctx, "LIVE1")
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "calling "+fake.URL+"; listening for callbacks on "+addr)
	assert.Contains(t, out.String(), "callback: LIVE1 approved (finish/agree)")
	assert.True(t, strings.HasSuffix(out.String(), "\n"))
}
