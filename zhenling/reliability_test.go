package zhenling_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// TestAttemptTimeoutIsDeadlineExceeded: a call that ran out of
// WithTimeout can be told apart with errors.Is, like a ctx deadline.
func TestAttemptTimeoutIsDeadlineExceeded(t *testing.T) {
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	c := srv.Client(zhenling.WithTimeout(50*time.Millisecond), zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 1}))
	_, err := c.Token(context.Background())
	require.NoError(t, err)
	srv.FailNext(zhenlingtest.Fault{Match: zhenling.OpContractList, Delay: 500 * time.Millisecond})
	_, err = c.Contracts.List(context.Background(), &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 1}})
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	var ze *zhenling.Error
	require.ErrorAs(t, err, &ze)
	assert.Equal(t, zhenling.OpContractList, ze.Op)
}

// TestSecretMaskedAfterManyTokenRotations: the client secret given at
// construction stays masked however many tokens come and go (the query
// style puts it in the token URL that debug logs show).
func TestSecretMaskedAfterManyTokenRotations(t *testing.T) {
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	var logs bytes.Buffer
	cfg := srv.Config()
	cfg.TokenAuth = zhenling.TokenAuthQuery
	c, err := zhenling.NewClient(cfg, append(srv.Options(), zhenling.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))...)
	require.NoError(t, err)
	ctx := context.Background()
	for range 150 {
		require.NoError(t, c.Invalidate(ctx))
		_, err := c.Token(ctx)
		require.NoError(t, err)
	}
	srv.FailNext(zhenlingtest.Fault{Match: zhenling.OpToken, Status: http.StatusBadGateway, ContentType: "text/html", Body: "<html>502</html>", Times: 5})
	require.NoError(t, c.Invalidate(ctx))
	_, err = c.Token(ctx)
	require.Error(t, err)
	require.Contains(t, logs.String(), "oauth/token", "the token requests were logged")
	assert.NotContains(t, logs.String(), zhenlingtest.ClientSecret)
	assert.NotContains(t, err.Error(), zhenlingtest.ClientSecret)
}

// TestBaseURLRequiredUnlessGivenByOption: the customer's host is
// required, and WithBaseURL supplies or overrides it.
func TestBaseURLRequiredUnlessGivenByOption(t *testing.T) {
	cfg := zhenling.Config{ClientID: "id", ClientSecret: "s"}
	_, err := zhenling.NewClient(cfg)
	assert.ErrorContains(t, err, "zhenling: NewClient: Config.BaseURL: required")
	assert.ErrorIs(t, err, zhenling.ErrInvalidRequest)

	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	c, err := zhenling.NewClient(cfg, zhenling.WithBaseURL(srv.URL))
	require.NoError(t, err)
	assert.Contains(t, c.String(), srv.URL)
	cfg.BaseURL = "https://elsewhere.example"
	c, err = zhenling.NewClient(cfg, zhenling.WithBaseURL(srv.URL))
	require.NoError(t, err)
	assert.Contains(t, c.String(), srv.URL, "WithBaseURL wins over Config.BaseURL")
}

// TestInvokeStaysOnTheHost: the escape hatch refuses invoke codes that
// would leave the HITF route.
func TestInvokeStaysOnTheHost(t *testing.T) {
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	c := srv.Client()
	for _, code := range []string{"../../oauth/x", "X?u=https://evil", "X#frag"} {
		_, err := c.Invoke(context.Background(), &zhenling.InvokeRequest{InvokeCode: code, Domain: "D"})
		assert.ErrorIs(t, err, zhenling.ErrInvalidRequest, code)
		assert.ErrorContains(t, err, "zhenling: Invoke: InvokeRequest.InvokeCode: must be an invoke code", code)
	}
	res, err := c.Invoke(context.Background(), &zhenling.InvokeRequest{InvokeCode: zhenling.DataQuery, Domain: "BILLING", Body: map[string]any{"page": 1, "size": 5}, Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, "0", res.Code)
}
