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
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-source-code", "OMS-T-1"}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	s := out.String()
	assert.Contains(t, s, "uploaded contract.pdf (sourceDocumentNumber=OMS-T-1): fileKey=oc-base/")
	assert.Contains(t, s, "contract submitted (asynchronous): batchId=")
	assert.Contains(t, s, "callback: SUCCESS/CREATED sourceSystem=oms sourceCode=OMS-T-1")
	assert.Contains(t, s, "listed: HT")
	assert.Contains(t, s, "设备采购合同 amount=1000.12 status=N")
	assert.Contains(t, s, "invoice applications (6.7): 0")
}

func TestRunOfflineWithFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "my contract.pdf")
	require.NoError(t, os.WriteFile(path, []byte(minimalPDF), 0o600))
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-file", path, "-name", "租赁合同", "-amount", "88.00"}, &out, &out))
	assert.Contains(t, out.String(), "uploaded my contract.pdf")
	assert.Contains(t, out.String(), "租赁合同 amount=88.00")
}

func TestRunLiveNeedsEnvironment(t *testing.T) {
	t.Setenv("ZHENLING_BASE_URL", "")
	t.Setenv("ZHENLING_CLIENT_ID", "")
	t.Setenv("ZHENLING_CLIENT_SECRET", "x")
	err := run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Equal(t, "-live needs the environment variables ZHENLING_BASE_URL, ZHENLING_CLIENT_ID", err.Error())
}

func TestRunLiveNeedsOperationCodes(t *testing.T) {
	t.Setenv("ZHENLING_BASE_URL", "http://127.0.0.1:1")
	t.Setenv("ZHENLING_CLIENT_ID", "id")
	t.Setenv("ZHENLING_CLIENT_SECRET", "secret")
	err := run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `-op '3.4=<invokeCode>,<domain>'`)
}

func TestHelpAndBadFlags(t *testing.T) {
	var errOut bytes.Buffer
	var err error
	require.NoError(t, run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &errOut))
	for _, name := range []string{"-live", "-file", "-source-code", "-source-system", "-name", "-amount", "-op", "-callback-addr", "-callback-secret-header", "-wait", "-poll", "ZHENLING_CLIENT_SECRET"} {
		assert.Contains(t, errOut.String(), name)
	}
	assert.Error(t, run(context.Background(), []string{"-op", "3.40"}, &bytes.Buffer{}, &bytes.Buffer{}))
	assert.Error(t, run(context.Background(), []string{"extra"}, &bytes.Buffer{}, &bytes.Buffer{}))
	err = run(context.Background(), []string{"-amount", "1,000.00"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "-amount:"), err.Error())
	err = run(context.Background(), []string{"-file", "/does/not/exist.pdf"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "-file:"))
}
