package qiyuesuo_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hetong-go/hetong/internal/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	logs := &testkit.LogBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, c := newFake(t, qiyuesuo.WithLogger(logger))
	ctx := context.Background()
	var errs []string
	note := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}

	ct := draftWithAudit(t, c, "secret-test")
	_, err := c.ContractSend(ctx, &qiyuesuo.ContractSendRequest{ContractID: ct.ID})
	require.NoError(t, err)
	cfg, err := c.AppTokenDetail(ctx) // the response carries callbackSecretKey
	require.NoError(t, err)
	require.Equal(t, qiyuesuotest.CallbackSecret, cfg.Result.CallbackSecretKey)
	_, err = c.ContractEmployeeAudit(ctx, &qiyuesuo.ContractEmployeeAuditRequest{ContractID: "3999999999999999999", Pass: true})
	note(err)
	// The fake's 404 message echoes the path: a learned callback key is masked too.
	_, err = c.Raw(ctx, &qiyuesuo.RawRequest{Method: "GET", Path: "/v2/unknown/" + qiyuesuotest.CallbackSecret})
	note(err)
	// A server that echoes the credentials back in an error page.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		_, _ = w.Write([]byte("proxy error for token " + r.Header.Get("x-qys-open-accesstoken") + " secret " + qiyuesuotest.AppSecret))
	}))
	defer echo.Close()
	bad, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret},
		qiyuesuo.WithBaseURL(echo.URL), qiyuesuo.WithLogger(logger), qiyuesuo.WithRetry(qiyuesuo.RetryPolicy{MaxAttempts: 2, BaseDelay: 1, MaxDelay: 1}))
	require.NoError(t, err)
	_, err = bad.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: "1"})
	note(err)
	wrongSecret, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: "another-secret-xyz"},
		qiyuesuo.WithBaseURL(srv.URL), qiyuesuo.WithLogger(logger))
	require.NoError(t, err)
	_, err = wrongSecret.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: "1"})
	require.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeAuthFailed), "%v", err)
	note(err)
	require.Len(t, errs, 4)

	out := logs.String()
	require.Contains(t, out, "hetong: request", "debug logging is on")
	all := out + strings.Join(errs, "\n")
	for _, secret := range []string{qiyuesuotest.AppSecret, qiyuesuotest.AppToken, qiyuesuotest.CallbackSecret, "another-secret-xyz"} {
		assert.NotContains(t, all, secret)
	}
}
