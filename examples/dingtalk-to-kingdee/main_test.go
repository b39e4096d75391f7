package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunTwiceSavesOnce(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "erp.json")
	links := filepath.Join(dir, "links.json")
	args := []string{"-state", state, "-seed", "10", "-batch", "3", "-writeback", links}

	var out, progress bytes.Buffer
	require.NoError(t, run(context.Background(), args, &out, &progress))
	assert.Contains(t, out.String(), "instances read: 10, bills saved: 8, already saved: 0, skipped: 2, failed: 0")
	assert.Contains(t, progress.String(), "result refuse")

	var first []Link
	b, err := os.ReadFile(links)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &first))
	created := map[string]string{}
	for _, l := range first {
		if l.State == "created" {
			assert.NotEmpty(t, l.BillNo)
			created[l.InstanceID] = l.BillNo
		}
	}
	require.Len(t, created, 8)

	out.Reset()
	require.NoError(t, run(context.Background(), args, &out, &progress))
	assert.Contains(t, out.String(), "bills saved: 0, already saved: 8")
	var second []Link
	b, _ = os.ReadFile(links)
	require.NoError(t, json.Unmarshal(b, &second))
	for _, l := range second {
		if l.State == "existing" {
			assert.Equal(t, created[l.InstanceID], l.BillNo, "the second run finds the first run's bill")
		}
	}
}

func TestMappingFileDrivesFields(t *testing.T) {
	dir := t.TempDir()
	mapping := filepath.Join(dir, "m.json")
	require.NoError(t, os.WriteFile(mapping, []byte(`{"sourceField":"F_SRC","header":{"报销类别":"F_KIND"},"entry":{"报销金额(元)":"F_AMT:money"}}`), 0o644))
	var out, progress bytes.Buffer
	args := []string{"-state", filepath.Join(dir, "erp.json"), "-seed", "3", "-mapping", mapping}
	require.NoError(t, run(context.Background(), args, &out, &progress))
	assert.Contains(t, out.String(), "bills saved: 3")

	b, err := os.ReadFile(filepath.Join(dir, "erp.json"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"F_SRC":"demo-proc-hetong-demo-reimburse-0001"`)
	assert.Contains(t, string(b), `"F_KIND":`)
	assert.Contains(t, string(b), `"F_AMT":`)
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"sourceField":"","formId":"X"}`), 0o644))
	cases := map[string][]string{
		"window":   {"-from", "2024-05-02", "-to", "2024-05-01"},
		"date":     {"-from", "yesterday"},
		"batch":    {"-batch", "0"},
		"mapping":  {"-mapping", bad},
		"spectype": {"-mapping", writeFile(t, dir, `{"header":{"a":"F:weird"}}`)},
	}
	for name, args := range cases {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(args, "-state", filepath.Join(dir, name)), &out, &errOut)
		assert.Error(t, err, name)
	}
	t.Setenv("DINGTALK_APP_KEY", "")
	err := run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "DINGTALK_APP_KEY") && strings.Contains(err.Error(), "KINGDEE_SERVER_URL") &&
		strings.Contains(err.Error(), "KINGDEE_APP_SECRET"), "every missing variable at once: %v", err)
}

func writeFile(t *testing.T, dir, content string) string {
	p := filepath.Join(dir, "spec.json")
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func TestHelpListsFlags(t *testing.T) {
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &errOut)
	require.Error(t, err)
	for _, f := range []string{"-live", "-process-code", "-from", "-to", "-mapping", "-writeback", "-state"} {
		assert.Contains(t, errOut.String(), f)
	}
}

func TestQuoteEscapes(t *testing.T) {
	assert.Equal(t, "a''b", quote("a'b"))
}
