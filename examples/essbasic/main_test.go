package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunOffline(t *testing.T) {
	out := filepath.Join(t.TempDir(), "signed.pdf")
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-out", out}, &stdout, &stderr))
	got := stdout.String()
	for _, want := range []string{"offline: using the essbasictest fake", "uploaded ", "created flow ", "sign URL for 张三: http",
		"callback: flow ", "status 4 (finish)", "downloaded 采购合同.pdf ("} {
		assert.Contains(t, got, want)
	}
	pdf, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(pdf), "%PDF-1.4"))
	assert.Contains(t, string(pdf), "signed by all parties")
}

func TestRunLiveNeedsEnvironment(t *testing.T) {
	t.Setenv("ESSBASIC_SECRET_ID", "")
	t.Setenv("ESSBASIC_SECRET_KEY", "  ")
	t.Setenv("ESSBASIC_APP_ID", "app")
	t.Setenv("ESSBASIC_ORG_OPEN_ID", "")
	t.Setenv("ESSBASIC_OPERATOR_OPEN_ID", "op")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-live"}, &stdout, &stderr)
	assert.EqualError(t, err, "-live needs the environment variables ESSBASIC_SECRET_ID, ESSBASIC_SECRET_KEY, ESSBASIC_ORG_OPEN_ID (see -h)",
		"every missing variable at once")
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-h"}, &stdout, &stderr))
	for _, flag := range []string{"-live", "-env", "-file", "-out", "-flow-name", "-signer-name", "-signer-mobile", "-wait", "-poll", "ESSBASIC_OPERATOR_OPEN_ID"} {
		assert.Contains(t, stderr.String(), flag)
	}
	assert.Error(t, run(context.Background(), []string{"-env", "staging"}, &stdout, &stderr))
}
