package zeyitest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/transport"
	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
)

// TestFailNext: every kind of fault reaches the client as the typed error
// a real gateway would cause, and the next request is served normally.
func TestFailNext(t *testing.T) {
	for name, tc := range map[string]struct {
		fault  zeyitest.Fault
		check  func(t *testing.T, e *zeyi.Error)
		status int
	}{
		"error code in the envelope": {
			fault:  zeyitest.Fault{Code: "SYS_BUSY", Message: "系统繁忙"},
			status: 200,
			check: func(t *testing.T, e *zeyi.Error) {
				assert.Equal(t, "SYS_BUSY", e.Code)
				assert.Equal(t, "系统繁忙", e.Message)
				assert.True(t, e.System)
				assert.Equal(t, "zeyi: SendAudit: 系统繁忙 (code SYS_BUSY, HTTP 200)", e.Error())
			},
		},
		"status and HTML body": {
			fault:  zeyitest.Fault{Status: 502, Body: "<html>Bad Gateway</html>", ContentType: "text/html", Match: zeyi.PathSendAudit},
			status: 502,
			check: func(t *testing.T, e *zeyi.Error) {
				var te *transport.Error
				require.ErrorAs(t, e, &te)
				assert.Equal(t, transport.KindNotJSON, te.Kind)
			},
		},
		"connection reset": {
			fault: zeyitest.Fault{Reset: true},
			check: func(t *testing.T, e *zeyi.Error) {
				var te *transport.Error
				require.ErrorAs(t, e, &te)
				assert.Equal(t, transport.KindNetwork, te.Kind)
			},
		},
		"delay past the timeout": {
			fault: zeyitest.Fault{Delay: time.Second},
			check: func(t *testing.T, e *zeyi.Error) {
				assert.ErrorIs(t, e, context.DeadlineExceeded)
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			fake := zeyitest.NewServer()
			defer fake.Close()
			c := fake.Client(zeyi.WithTimeout(200*time.Millisecond), zeyi.WithRetry(zeyi.RetryPolicy{MaxAttempts: 1}))
			fake.FailNext(tc.fault)
			_, err := c.SendAudit(context.Background(), sendReq("F1"))
			var e *zeyi.Error
			require.True(t, errors.As(err, &e), "%T %v", err, err)
			assert.Equal(t, tc.status, e.HTTPStatus)
			tc.check(t, e)
			_, err = c.SendAudit(context.Background(), sendReq("F2"))
			require.NoError(t, err, "a fault is used up once")
		})
	}
}

// TestFailNextMatch: a fault for one endpoint leaves the others alone.
func TestFailNextMatch(t *testing.T) {
	fake, c := setup(t)
	fake.FailNext(zeyitest.Fault{Match: zeyi.PathCancelAudit, Code: "NOPE", Times: 2})
	_, err := c.SendAudit(context.Background(), sendReq("M1"))
	require.NoError(t, err)
	for i := 0; i < 2; i++ {
		_, err = c.CancelAudit(context.Background(), &zeyi.CancelAuditRequest{Code: "M1", Type: "JINRUN_VEHICLE_FEE_AUDIT"})
		assert.True(t, zeyi.IsCode(err, "NOPE"), "%v", err)
	}
	_, err = c.CancelAudit(context.Background(), &zeyi.CancelAuditRequest{Code: "M1", Type: "JINRUN_VEHICLE_FEE_AUDIT"})
	require.NoError(t, err)
}

// TestClientNeverFails: invalid options fall back to Config+Options.
func TestClientNeverFails(t *testing.T) {
	fake := zeyitest.NewServer()
	defer fake.Close()
	c := fake.Client(zeyi.WithTimeout(-1))
	require.NotNil(t, c)
	assert.Equal(t, fake.URL, c.BaseURL())
	c2, err := zeyi.NewClient(fake.Config(), fake.Options()...)
	require.NoError(t, err)
	_, err = c2.SendAudit(context.Background(), sendReq("O1"))
	require.NoError(t, err)
}

// TestDeliveryWithoutReceiverSays: no callback URL is an error, not silence.
func TestDeliveryWithoutReceiverSays(t *testing.T) {
	fake, c := setup(t)
	_, err := c.SendAudit(context.Background(), sendReq("N1"))
	require.NoError(t, err)
	status, body, err := fake.Approve(context.Background(), "N1")
	assert.ErrorIs(t, err, zeyitest.ErrNoCallbackURL)
	assert.Zero(t, status)
	assert.Nil(t, body)
	a, _ := fake.Approval("N1")
	assert.Equal(t, zeyitest.StatusApproved, a.Status, "the state still changed")
	_, _, err = fake.Redeliver(context.Background(), "nope")
	assert.Error(t, err)
}

// TestDeliveryHonoursContext: a cancelled ctx stops the POST.
func TestDeliveryHonoursContext(t *testing.T) {
	fake, c := setup(t)
	fake.SetCallback("http://127.0.0.1:1/cb")
	_, err := c.SendAudit(context.Background(), sendReq("X1"))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = fake.Approve(ctx, "X1")
	assert.ErrorIs(t, err, context.Canceled)
}
