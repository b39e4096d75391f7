package main

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLifecycleOffline(t *testing.T) {
	for _, esign := range []string{"qiyuesuo", "essbasic"} {
		t.Run(esign, func(t *testing.T) {
			dir := t.TempDir()
			var out bytes.Buffer
			err := run(context.Background(), []string{"-esign", esign, "-out", dir, "-contract-id", "HT-TEST-1"}, &out, &bytes.Buffer{})
			require.NoError(t, err, out.String())
			s := out.String()
			for i := 1; i <= 5; i++ {
				assert.Contains(t, s, "["+strconv.Itoa(i)+"/5]")
			}
			assert.Contains(t, s, "code=SUCCESS subCode=CREATED")
			assert.Contains(t, s, "finish/agree")
			assert.Regexp(t, `付款申请单 FKSQ\d+`, s)

			file := regexp.MustCompile(`signed file (\S+) \((\d+) bytes\)`).FindStringSubmatch(s)
			require.Len(t, file, 3)
			assert.Equal(t, dir, filepath.Dir(file[1]))
			b, err := os.ReadFile(file[1])
			require.NoError(t, err)
			assert.Equal(t, file[2], strconv.Itoa(len(b)), "the reported size is what was written")
			if esign == "qiyuesuo" {
				zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
				require.NoError(t, err, "契约锁 downloads a zip archive")
				require.NotEmpty(t, zr.File)
			} else {
				assert.True(t, strings.HasPrefix(string(b), "%PDF"), "腾讯电子签 downloads the PDF")
			}
		})
	}
}

func TestBadFlags(t *testing.T) {
	for name, args := range map[string][]string{
		"esign":  {"-esign", "docusign"},
		"amount": {"-amount", "-5"},
		"wait":   {"-wait", "0s"},
		"id":     {"-contract-id", " "},
		"op":     {"-zhenling-op", "3.4"},
	} {
		assert.Error(t, run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}), name)
	}
}

func TestLiveNamesMissingVariables(t *testing.T) {
	for _, k := range []string{"ZHENLING_BASE_URL", "KINGDEE_SERVER_URL", "ZEYI_APP_KEY"} {
		t.Setenv(k, "")
	}
	err := run(context.Background(), []string{"-live", "-esign", "essbasic"}, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	for _, k := range []string{"ZHENLING_BASE_URL", "ZEYI_APP_KEY", "ESSBASIC_SECRET_ID", "KINGDEE_SERVER_URL"} {
		assert.Contains(t, err.Error(), k)
	}
	assert.NotContains(t, err.Error(), "QIYUESUO_", "only the chosen e-sign platform is needed")
}

func TestHelp(t *testing.T) {
	var errOut bytes.Buffer
	assert.Error(t, run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &errOut))
	for _, s := range []string{"-esign", "-live", "-callback-addr", "-zhenling-op", "KINGDEE_SERVER_URL", "QIYUESUO_APP_TOKEN"} {
		assert.Contains(t, errOut.String(), s)
	}
}
