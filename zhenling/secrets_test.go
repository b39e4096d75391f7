package zhenling_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

func TestNoSecretInLogsOrErrors(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	var errs []string
	record := func(_ any, err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	var tokens []string

	for _, style := range []zhenling.TokenAuthStyle{zhenling.TokenAuthForm, zhenling.TokenAuthQuery, zhenling.TokenAuthBasic} {
		srv := zhenlingtest.NewServer()
		t.Cleanup(srv.Close)
		c, err := zhenling.NewClient(zhenling.Config{BaseURL: srv.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret, TokenAuth: style},
			zhenling.WithLogger(logger), zhenling.WithOperations(zhenlingtest.Operations()...),
			zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
		require.NoError(t, err)
		tok, err := c.Token(ctx)
		require.NoError(t, err)
		tokens = append(tokens, tok.AccessToken)
		record(c.Contracts.List(ctx, listReq))
		srv.ExpireTokens() // the next call is refused, echoing the old token
		record(c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: "ALL_PAID", ID: "404"}))
		tok2, err := c.Token(ctx)
		require.NoError(t, err)
		tokens = append(tokens, tok2.AccessToken)
		srv.FailTokenRequests(5)
		require.NoError(t, c.Invalidate(ctx))
		record(c.Contracts.List(ctx, listReq))
	}

	// wrong secret, sent in the query string, must not come back in errors
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	bad, err := zhenling.NewClient(zhenling.Config{BaseURL: srv.URL, ClientID: zhenlingtest.ClientID, ClientSecret: "wrong-secret-value", TokenAuth: zhenling.TokenAuthQuery}, zhenling.WithLogger(logger))
	require.NoError(t, err)
	record(bad.Contracts.List(ctx, listReq))

	// callbacks with a wrong shared secret
	req, _ := http.NewRequest(http.MethodPost, "/cb", strings.NewReader(`{"code":"0"}`))
	req.Header.Set("X-Callback-Token", "guess-callback-secret")
	record(zhenling.ParseCallback(req, zhenling.CallbackConfig{Verifier: zhenling.HeaderSecret("X-Callback-Token", "real-callback-secret")}))

	require.GreaterOrEqual(t, len(errs), 7)
	require.Contains(t, logs.String(), "hetong: request", "debug logging is on")
	require.Contains(t, logs.String(), "invalid_token", "the rejected token's echo was logged, masked")
	secrets := append([]string{zhenlingtest.ClientSecret, "wrong-secret-value", "real-callback-secret"}, tokens...)
	for _, s := range secrets {
		require.NotEmpty(t, s)
		assert.NotContains(t, logs.String(), s)
		for _, e := range errs {
			assert.NotContains(t, e, s)
		}
	}
}

// TestPrintingShowsNoSecret: %v, %+v, %#v and %s of a Config, a *Client
// and an *Error never show the client secret or a token.
func TestPrintingShowsNoSecret(t *testing.T) {
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	cfg := zhenling.Config{BaseURL: srv.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret}
	c, err := zhenling.NewClient(cfg, zhenling.WithOperations(zhenlingtest.Operations()...))
	require.NoError(t, err)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	srv.ExpireTokens()
	srv.FailTokenRequests(5)
	_, callErr := c.Contracts.List(context.Background(), listReq)
	require.Error(t, callErr)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for name, v := range map[string]any{"Config": cfg, "*Config": &cfg, "*Client": c, "error": callErr} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, zhenlingtest.ClientSecret, "%s %s", verb, name)
			assert.NotContains(t, out, tok.AccessToken, "%s %s", verb, name)
		}
	}
	assert.Contains(t, fmt.Sprint(cfg), `ClientID:"`+zhenlingtest.ClientID+`"`, "the non-secret fields still show")
	assert.Contains(t, fmt.Sprint(cfg), "ClientSecret:***")
}
