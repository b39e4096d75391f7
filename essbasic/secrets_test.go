package essbasic

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoSecretsInLogsOrErrors turns debug logging on, makes calls that
// succeed and fail (one error message even echoes the secret), and checks
// that no secret reaches a log line or an error string.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	const (
		secretKey = "SK-very-secret-key-0001"
		stsToken  = "STS-session-token-0002"
		cbKey     = "cbkey-0123456789abcdef-0123456789"
		cbToken   = "cb-token-secret-0003"
		hkey      = "hkey-download-secret-0004"
	)
	var n int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		n++
		switch {
		case r.Method == http.MethodGet:
			w.WriteHeader(403)
			_, _ = io.WriteString(w, "denied "+r.URL.RawQuery)
		case n == 1:
			writeJSON(w, 200, `{"Response":{"FlowInfo":[],"RequestId":"r"}}`)
		case n == 2:
			writeJSON(w, 200, `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad key `+secretKey+` token `+stsToken+`"},"RequestId":"r"}}`)
		default:
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "upstream said Authorization: "+r.Header.Get("Authorization"))
		}
	}))
	defer srv.Close()

	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := NewClient(Config{SecretID: "AKIDpublic", SecretKey: secretKey, Token: stsToken, Agent: testAgent},
		WithBaseURL(srv.URL), WithLogger(logger), WithRateLimit(0, 0),
		WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	require.NoError(t, err)
	ctx := context.Background()

	var errs []error
	errs = append(errs, read(ctx, c)) // success
	errs = append(errs, read(ctx, c)) // API error echoing secrets
	errs = append(errs, read(ctx, c)) // 502 echoing the Authorization header, retried
	_, err = c.DownloadResource(ctx, srv.URL+"/file?hkey="+hkey, io.Discard)
	errs = append(errs, err)

	body, err := EncryptCallback(cbKey[:32], []byte(`{"MsgId":"1","MsgType":"X"}`))
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Signature", "sha256=deadbeef")
	_, err = ParseCallback(r, CallbackConfig{Key: cbKey[:32], Token: cbToken})
	errs = append(errs, err)

	require.NoError(t, errs[0])
	for _, e := range errs[1:] {
		require.Error(t, e)
	}
	text := logs.String()
	for _, e := range errs[1:] {
		text += "\n" + e.Error()
	}
	require.Contains(t, logs.String(), "hetong: request", "debug logging is on")
	for _, secret := range []string{secretKey, stsToken, cbKey[:32], cbToken, hkey} {
		assert.False(t, strings.Contains(text, secret), "secret %q leaked:\n%s", secret, text)
	}
	// The signature itself is never shown either.
	assert.NotRegexp(t, `Signature=[0-9a-f]{8}`, text)
}
