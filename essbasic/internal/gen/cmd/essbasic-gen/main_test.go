package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	assert.ErrorContains(t, run("", "x", "."), "-spec and -errors are required")
	dir := t.TempDir()
	spec := filepath.Join(dir, "api.json")
	codes := filepath.Join(dir, "errors.tsv")
	require.NoError(t, os.WriteFile(spec, []byte(`{"metadata":{"apiVersion":"2021-05-26"},
		"actions":{"DescribeX":{"name":"查","input":"DescribeXRequest","output":"DescribeXResponse","status":"online"}},
		"objects":{"DescribeXRequest":{"members":[{"name":"Agent","type":"object","member":"Agent"}]},
		"DescribeXResponse":{"members":[{"name":"RequestId","type":"string","member":"string"}]},
		"Agent":{"usage":"in","members":[{"name":"AppId","type":"string","member":"string","required":true}]}}}`), 0o600))
	require.NoError(t, os.WriteFile(codes, []byte("InternalError\t内部错误。\n"), 0o600))
	assert.Error(t, run(spec, codes, dir), "the real ListLimits name objects this spec lacks")
	assert.Error(t, run(filepath.Join(dir, "missing.json"), codes, dir))
}
