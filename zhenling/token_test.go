package zhenling_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

var listReq = &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 10}}

func TestTokenFetchedOnceUnderConcurrency(t *testing.T) {
	srv, c := newFakeClient(t)
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Contracts.List(context.Background(), listReq); err != nil {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failures.Load())
	assert.Equal(t, 1, srv.TokenFetches())
	assert.Equal(t, 64, srv.Calls(zhenling.OpContractList))
}

func TestTokenRefreshedAheadOfExpiry(t *testing.T) {
	var now atomic.Int64
	start := time.Now()
	now.Store(start.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	srv, c := newFakeClient(t, zhenling.WithClock(clock))
	ctx := context.Background()

	tok, err := c.Token(ctx)
	require.NoError(t, err)
	ttl := zhenlingtest.DefaultTokenTTL
	assert.WithinDuration(t, start.Add(ttl-60*time.Second), tok.Expiry, time.Second, "refresh 60 s ahead of expires_in")

	// The core refreshes min(5 min, half the life) before the client's expiry.
	now.Store(start.Add(ttl - 60*time.Second - 5*time.Minute - time.Second).UnixNano())
	_, err = c.Contracts.List(ctx, listReq)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokenFetches(), "still fresh")

	now.Store(start.Add(ttl - 60*time.Second - 5*time.Minute + time.Second).UnixNano())
	_, err = c.Contracts.List(ctx, listReq)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokenFetches(), "refreshed inside the margin, before the server expires it")
}

func TestShortTokenUsesTenPercentMargin(t *testing.T) {
	srv, c := newFakeClient(t)
	srv.SetTokenTTL(30 * time.Second)
	before := time.Now()
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.WithinDuration(t, before.Add(27*time.Second), tok.Expiry, time.Second)
}

func TestRejectedTokenRefreshedAndCallRetriedOnce(t *testing.T) {
	srv, c := newFakeClient(t)
	ctx := context.Background()
	_, err := c.Contracts.List(ctx, listReq)
	require.NoError(t, err)

	srv.ExpireTokens()
	rc, err := c.Fulfillment.CreatePaymentPlans(ctx, &zhenling.PaymentPlanCreateRequest{Data: []zhenling.PaymentPlanCreate{{ContractNumber: "none"}}})
	assert.Nil(t, rc)
	assert.True(t, zhenling.IsCode(err, "CONTRACT_NOT_FOUND"), "%v", err)
	assert.Equal(t, 2, srv.TokenFetches())
	assert.Equal(t, 1, srv.Calls(zhenling.OpPaymentPlanCreate), "the write reached the operation once")
}

// alwaysReject answers every HITF call with 401 invalid_token.
type alwaysReject struct{ calls atomic.Int32 }

func (a *alwaysReject) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == zhenling.DefaultTokenPath {
		return jsonResponse(200, `{"access_token":"t-`+time.Now().Format("150405.000000000")+`","expires_in":3600}`), nil
	}
	a.calls.Add(1)
	return jsonResponse(401, `{"error":"invalid_token","error_description":"Invalid access token"}`), nil
}

func TestPersistentAuthFailureRetriedOnlyOnce(t *testing.T) {
	rt := &alwaysReject{}
	c, err := zhenling.NewClient(zhenling.Config{BaseURL: "https://oc.invalid", ClientID: "id", ClientSecret: "secret-x"}, zhenling.WithTransport(rt))
	require.NoError(t, err)
	_, err = c.Contracts.List(context.Background(), listReq)
	var ze *zhenling.Error
	require.True(t, errors.As(err, &ze), "%v", err)
	assert.Equal(t, "invalid_token", ze.Code)
	assert.Equal(t, 401, ze.HTTPStatus)
	assert.True(t, zhenling.IsAuthError(err))
	assert.Equal(t, int32(2), rt.calls.Load())
}

func TestBadCredentials(t *testing.T) {
	srv := zhenlingtest.New()
	t.Cleanup(srv.Close)
	c, err := zhenling.NewClient(zhenling.Config{BaseURL: srv.URL, ClientID: zhenlingtest.ClientID, ClientSecret: "wrong-secret"})
	require.NoError(t, err)
	_, err = c.Contracts.List(context.Background(), listReq)
	var ze *zhenling.Error
	require.True(t, errors.As(err, &ze), "%v", err)
	assert.Equal(t, "invalid_client", ze.Code)
	assert.Equal(t, "Bad client credentials", ze.Message)
	assert.Equal(t, zhenling.OpToken, ze.Op)
	assert.NotContains(t, err.Error(), "wrong-secret")
}

func TestTokenEndpointFailingThenRecovering(t *testing.T) {
	srv, c := newFakeClient(t, zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 1}))
	srv.FailTokenRequests(1)
	_, err := c.Contracts.List(context.Background(), listReq)
	var ze *zhenling.Error
	require.True(t, errors.As(err, &ze), "%v", err)
	assert.Equal(t, 503, ze.HTTPStatus)
	assert.Contains(t, ze.Message, "not JSON")

	_, err = c.Contracts.List(context.Background(), listReq)
	require.NoError(t, err, "the next call fetches a token again")
	assert.Equal(t, 1, srv.TokenFetches())

	srv2, c2 := newFakeClient(t, zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}))
	srv2.FailTokenRequests(2)
	_, err = c2.Contracts.List(context.Background(), listReq)
	require.NoError(t, err, "the token fetch is retried")
	assert.Equal(t, 1, srv2.TokenFetches())
}

func TestUploadRewindsSeekableBodyAfterRejectedToken(t *testing.T) {
	srv, c := newFakeClient(t)
	ctx := context.Background()
	_, err := c.Token(ctx)
	require.NoError(t, err)
	srv.ExpireTokens()
	up, err := c.Files.UploadAttachment(ctx, &zhenling.FileUploadRequest{FileName: "a.txt", ContentType: "text/plain", Body: strings.NewReader("whole file")})
	require.NoError(t, err)
	var sb strings.Builder
	_, err = c.Files.Download(ctx, &zhenling.FileKeyRequest{FileKey: up.FileKey}, &sb)
	require.NoError(t, err)
	assert.Equal(t, "whole file", sb.String(), "the second try sent the file from its start")

	srv.ExpireTokens()
	_, err = c.Files.UploadAttachment(ctx, &zhenling.FileUploadRequest{FileName: "b.txt", Body: io.MultiReader(strings.NewReader("one-shot"))})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pass an io.ReadSeeker")
}
