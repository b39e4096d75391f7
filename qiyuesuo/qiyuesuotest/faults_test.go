package qiyuesuotest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

func TestFakeHelpers(t *testing.T) {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	assert.Equal(t, qiyuesuotest.AppToken, srv.Config().AppToken)
	c, err := qiyuesuo.NewClient(srv.Config(), srv.Options()...)
	require.NoError(t, err)
	_, err = c.AppTokenDetail(context.Background())
	require.NoError(t, err)
	// Invalid options never make Client panic or return nil.
	c = srv.Client(qiyuesuo.WithTimeout(-1))
	require.NotNil(t, c)
	_, err = c.AppTokenDetail(context.Background())
	require.NoError(t, err)
}

func TestFakeFailNext(t *testing.T) {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	c := srv.Client(qiyuesuo.WithRetry(qiyuesuo.RetryPolicy{MaxAttempts: 1}))
	ctx := context.Background()
	get := func() error { _, err := c.AppTokenDetail(ctx); return err }
	var e *qiyuesuo.Error

	srv.FailNext(qiyuesuotest.Fault{Status: 502, Body: "<html>bad gateway</html>", ContentType: "text/html"})
	err := get()
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 502, e.HTTPStatus)
	require.NoError(t, get(), "a fault is used up")

	srv.FailNext(qiyuesuotest.Fault{Match: "/company/token/get", Code: "442", Message: "INVALID TOKEN", Status: 442})
	assert.True(t, qiyuesuo.IsCode(get(), qiyuesuo.CodeInvalidToken))

	srv.FailNext(qiyuesuotest.Fault{Match: "ContractDetail", Code: qiyuesuo.CodeContractNotFound})
	require.NoError(t, get(), "a fault for another endpoint waits")

	// A POST, which net/http never re-sends by itself after a reset.
	update := func() error {
		_, err := c.AppTokenUpdateCallback(ctx, &qiyuesuo.AppTokenUpdateCallbackRequest{CallbackURL: "https://example.com/cb"})
		return err
	}
	srv.FailNext(qiyuesuotest.Fault{Reset: true, Match: "AppTokenUpdateCallback"})
	assert.Error(t, update())
	require.NoError(t, update())

	slow := srv.Client(qiyuesuo.WithTimeout(50*time.Millisecond), qiyuesuo.WithRetry(qiyuesuo.RetryPolicy{MaxAttempts: 1}))
	srv.FailNext(qiyuesuotest.Fault{Delay: 5 * time.Second})
	_, err = slow.AppTokenDetail(ctx)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
}
