package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

func TestQuickstartRunsEveryPlatform(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), nil, &out, &errOut), out.String())
	s := out.String()
	for _, pkg := range []string{"zhenling", "essbasic", "qiyuesuo", "zeyi", "dingtalk", "kingdee"} {
		assert.Regexp(t, "(?m)^"+pkg+`\s+.*\s+yes\s+`, s, "summary row for %s", pkg)
	}
	assert.NotContains(t, s, "FAILED")
	// The clients print what they do: at least one request line per platform.
	assert.GreaterOrEqual(t, strings.Count(s, "   → "), 6)
	assert.Contains(t, s, "callback: code=SUCCESS")
	assert.Contains(t, s, "callback: finish/agree")
	assert.Contains(t, s, "status C")
	for _, secret := range secrets {
		assert.NotContains(t, s, secret)
	}
}

func TestQuickstartVerboseRedacts(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-v"}, &out, &bytes.Buffer{}))
	s := out.String()
	assert.Contains(t, s, `msg="hetong: request"`)
	assert.Contains(t, s, "access_token=***")
	for _, secret := range secrets {
		assert.NotContains(t, s, secret)
	}
}

// secrets are the fakes' credentials that must never be printed.
var secrets = []string{zhenlingtest.ClientSecret, essbasictest.SecretKey, qiyuesuotest.AppSecret,
	zeyitest.AppSecret, dingtalktest.AppSecret, kingdeetest.AppSecret}

func TestQuickstartHelp(t *testing.T) {
	var errOut bytes.Buffer
	assert.Error(t, run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &errOut))
	assert.Contains(t, errOut.String(), "-v")
	assert.Contains(t, errOut.String(), "-timeout")
}
