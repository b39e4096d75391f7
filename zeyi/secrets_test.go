package zeyi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
)

// TestNoSecretLeaks turns debug logging on, makes calls that succeed and
// fail (including a gateway that echoes the secret back), and checks that
// no secret appears in any log line or error string.
func TestNoSecretLeaks(t *testing.T) {
	aesSecret := base64.StdEncoding.EncodeToString([]byte("aes-key-0123456789abcdef01234567"[:32]))
	secrets := []string{zeyitest.AppSecret, aesSecret, zeyitest.CallbackAppSecret, zeyitest.CallbackToken}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []string
	record := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}

	fake := zeyitest.NewServer()
	defer fake.Close()
	cb := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(), func(context.Context, *zeyi.CallbackEvent) error { return nil }))
	defer cb.Close()
	fake.SetCallback(cb.URL)
	for _, enc := range []*zeyi.Encryption{{Mode: zeyi.FixedIV}, {Mode: zeyi.RandomIVPrefix, AESSecret: aesSecret}} {
		cfg := fake.Config()
		cfg.Encryption = enc
		c, err := zeyi.NewClient(cfg, zeyi.WithBaseURL(fake.URL), zeyi.WithLogger(logger))
		require.NoError(t, err)
		ctx := context.Background()
		code := "S-" + enc.Mode.String()
		req := &zeyi.SendAuditRequest{Code: code, AuditType: "T", OriginatorUsername: "E1",
			AuditFormList: []zeyi.FormItem{zeyi.TextItem("card", "6222020200112233445").Encrypted()}}
		_, err = c.SendAudit(ctx, req)
		require.NoError(t, err)
		_, err = c.SendAudit(ctx, req) // duplicate: a business error
		require.Error(t, err)
		record(err)
		_, _, err = fake.Approve(ctx, code)
		record(err)
		a, _ := fake.Approval(code)
		assert.NotContains(t, a.Form[0].Value, "6222020200112233445", "sensitive values are encrypted on the wire")
	}

	// A gateway that echoes the secret, as HTML and as an envelope.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "send") {
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>upstream said secret=" + zeyitest.AppSecret + "</html>"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":false,"businessException":false,"errorCode":"E","message":"bad appSecret ` + zeyitest.AppSecret + `"}`))
	}))
	defer echo.Close()
	c, err := zeyi.NewClient(zeyi.Config{AppKey: zeyitest.AppKey, AppSecret: zeyitest.AppSecret}, zeyi.WithBaseURL(echo.URL),
		zeyi.WithLogger(logger), zeyi.WithRetry(zeyi.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	require.NoError(t, err)
	_, err = c.SendAudit(context.Background(), &zeyi.SendAuditRequest{Code: "X", AuditType: "T", OriginatorUsername: "E1"})
	require.Error(t, err)
	record(err)
	_, err = c.CancelAudit(context.Background(), &zeyi.CancelAuditRequest{Code: "X", Type: "T"})
	require.Error(t, err)
	record(err)

	// Rejected callbacks.
	fake.SetCallback(cb.URL, zeyitest.CallbackBearer("wrong-token-value"))
	c2 := fake.Client()
	_, err = c2.SendAudit(context.Background(), &zeyi.SendAuditRequest{Code: "CB", AuditType: "T", OriginatorUsername: "E1"})
	require.NoError(t, err)
	status, body, err := fake.Approve(context.Background(), "CB")
	require.NoError(t, err)
	assert.Equal(t, 401, status)
	errs = append(errs, string(body))
	require.NotEmpty(t, errs)

	require.NotEmpty(t, logs.String(), "debug logging must produce lines")
	for _, s := range secrets {
		assert.NotContains(t, logs.String(), s, "log leaks a secret")
		for _, e := range errs {
			assert.NotContains(t, e, s, "error leaks a secret")
		}
	}
}
