package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunOffline(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, &out, &errOut))
	want := `template parameter: 甲方 (TEXT, required true)
template parameter: 合同金额 (NUMBER, required true)
template parameter: 签订日期 (DATE, required false)
draft: contract 3000000000000000001 (DRAFT) with 1 document(s) from the template
callback: SEND_SIGNING, contract 3000000000000000001 is SIGNING (businessData "PO-2026-001")
sent
approved (员工审批)
sealed with the company seal
callback: COMPLETE, contract 3000000000000000001 is COMPLETE (businessData "PO-2026-001")
detail: status COMPLETE
archive: 3000000000000000001.zip, application/zip
  采购合同模板.pdf
  签署日志.pdf
`
	assert.Equal(t, want, out.String())
	assert.Empty(t, errOut.String())
}

func TestRunOfflineWritesArchive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "contract.zip")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-out", path, "-subject", "测试"}, &out, &out))
	assert.Contains(t, out.String(), "written to "+path)
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	assert.Len(t, zr.File, 2)
}

func TestRunLiveNeedsEnv(t *testing.T) {
	t.Setenv("QIYUESUO_APP_TOKEN", "")
	t.Setenv("QIYUESUO_APP_SECRET", "")
	err := run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "QIYUESUO_APP_TOKEN, QIYUESUO_APP_SECRET", "every missing variable at once")
	t.Setenv("QIYUESUO_APP_TOKEN", "t")
	t.Setenv("QIYUESUO_APP_SECRET", "s")
	t.Setenv("QIYUESUO_ENV", "staging")
	err = run(context.Background(), []string{"-live"}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "QIYUESUO_ENV")
}

func TestRunHelp(t *testing.T) {
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &errOut)
	assert.True(t, errors.Is(err, flag.ErrHelp))
	for _, f := range []string{"-live", "-subject", "-template", "-category", "-party", "-amount", "-tenant", "-out", "-download"} {
		assert.Contains(t, errOut.String(), f)
	}
	for _, v := range []string{"QIYUESUO_APP_TOKEN", "QIYUESUO_APP_SECRET", "QIYUESUO_ENV", "QIYUESUO_BASE_URL"} {
		assert.True(t, strings.Contains(errOut.String(), v), v)
	}
}

func TestRunUnknownTemplate(t *testing.T) {
	err := run(context.Background(), []string{"-template", "1"}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "模板不存在")
}

func TestRunMissingRequiredParameter(t *testing.T) {
	err := run(context.Background(), []string{"-amount", ""}, &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "合同金额")
}
