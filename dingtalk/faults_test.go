package dingtalk_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// faultServer answers the token endpoints and hands every other request to
// api, counting them.
func faultServer(t *testing.T, api http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gettoken":
			_, _ = w.Write([]byte(`{"errcode":0,"access_token":"tok-abcdef123456","expires_in":7200}`))
		case "/v1.0/oauth2/accessToken":
			_, _ = w.Write([]byte(`{"accessToken":"tok-abcdef123456","expireIn":7200}`))
		default:
			n.Add(1)
			api(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// stall drains the body (so the server notices the client hanging up) and
// waits for the client to give up; the timer only bounds a broken test.
func stall(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

func hijackClose(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestFaults(t *testing.T) {
	cases := []struct {
		name     string
		api      http.HandlerFunc
		write    bool // CreateInstance instead of GetInstance
		opts     []dingtalk.Option
		ctxAfter time.Duration // ctx deadline; 0 means 10 s
		check    func(t *testing.T, err error, calls int32)
	}{
		{name: "reset before response, read retried", api: func(w http.ResponseWriter, r *http.Request) { hijackClose(w) },
			check: func(t *testing.T, err error, calls int32) { assert.Equal(t, int32(3), calls) }},
		{name: "reset before response, write sent once", write: true, api: func(w http.ResponseWriter, r *http.Request) { hijackClose(w) },
			check: func(t *testing.T, err error, calls int32) { assert.Equal(t, int32(1), calls) }},
		{name: "reset mid-body", api: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			_, _ = w.Write([]byte(`{"errcode":0,"process_in`))
			w.(http.Flusher).Flush()
			hijackClose(w)
		}, check: func(t *testing.T, err error, calls int32) { assert.Equal(t, int32(3), calls) }},
		{name: "truncated JSON", api: func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"errcode":0,"process_instance":{"title":`))
		}, check: func(t *testing.T, err error, calls int32) { assert.Contains(t, err.Error(), "decode") }},
		{name: "HTML page with 200", api: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<html><body>访问被拒绝</body></html>`))
		}, check: func(t *testing.T, err error, calls int32) {
			assert.Contains(t, err.Error(), "not JSON")
			assert.Contains(t, err.Error(), "访问被拒绝", "a bounded excerpt")
		}},
		{name: "HTML page with 502, write sent once", write: true, api: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			_, _ = w.Write([]byte(`<html>502 Bad Gateway</html>`))
		}, check: func(t *testing.T, err error, calls int32) {
			assert.Equal(t, int32(1), calls)
			var e *dingtalk.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, 502, e.HTTPStatus)
		}},
		{name: "slow server past the attempt timeout", opts: []dingtalk.Option{dingtalk.WithTimeout(30 * time.Millisecond)},
			api: stall,
			check: func(t *testing.T, err error, calls int32) {
				assert.Contains(t, err.Error(), "timeout")
			}},
		{name: "slow server past the ctx deadline", ctxAfter: 80 * time.Millisecond,
			api: stall,
			check: func(t *testing.T, err error, calls int32) {
				assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := faultServer(t, tc.api)
			c := fakeClientAt(t, srv.URL, tc.opts...)
			d := tc.ctxAfter
			if d == 0 {
				d = 10 * time.Second
			}
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			err := callOnce(ctx, c, tc.write)
			var e *dingtalk.Error
			require.True(t, errors.As(err, &e), "want *dingtalk.Error, got %T %v", err, err)
			tc.check(t, err, calls.Load())
		})
	}
}

func fakeClientAt(t *testing.T, url string, opts ...dingtalk.Option) *dingtalk.Client {
	t.Helper()
	base := []dingtalk.Option{dingtalk.WithBaseURL(url), dingtalk.WithNewAPIBaseURL(url),
		dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})}
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: "k", AppSecret: "secret-value-1"}, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func callOnce(ctx context.Context, c *dingtalk.Client, write bool) error {
	if write {
		_, err := c.CreateInstance(ctx, &dingtalk.CreateInstanceRequest{ProcessCode: "P", OriginatorUserID: "u", DeptID: -1,
			FormComponentValues: []dingtalk.FormValue{{Name: "a", Value: "b"}}})
		return err
	}
	_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: "i"})
	return err
}

func TestFaultConnectionRefused(t *testing.T) {
	// Port 1 is privileged and unused: nothing can start listening there
	// between the test's lines, unlike a freshly closed ephemeral port.
	c := fakeClientAt(t, "http://127.0.0.1:1")
	err := callOnce(context.Background(), c, false)
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, "/gettoken", e.Op, "the token fetch is what failed")
	var ne *net.OpError
	assert.True(t, errors.As(err, &ne), "the cause is reachable: %v", err)
}

func TestFault429WithRetryAfter(t *testing.T) {
	var n atomic.Int32
	srv, _ := faultServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"code":"Throttling.Api","message":"请求被流控","requestid":"r"}`))
			return
		}
		_, _ = w.Write([]byte(`{"instanceId":"i-1"}`))
	})
	c := fakeClientAt(t, srv.URL)
	res, err := c.StartWorkflowInstance(context.Background(), &dingtalk.StartWorkflowInstanceRequest{ProcessCode: "P", OriginatorUserID: "u",
		FormComponentValues: []dingtalk.FormValue{{Name: "a", Value: "b"}}})
	require.NoError(t, err, "a 429 is refused before acting: even a write is retried")
	assert.Equal(t, "i-1", res.InstanceID)
	assert.Equal(t, int32(2), n.Load())
}

func TestFaultCtxCancelledMidBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv, calls := faultServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
		_, _ = w.Write([]byte(`{"errcode":-1,"errmsg":"系统繁忙"}`))
		cancel() // the client is now about to back off for a minute
	})
	c := fakeClientAt(t, srv.URL, dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Minute, MaxDelay: time.Minute}))
	err := callOnce(ctx, c, false)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	var e *dingtalk.Error
	assert.True(t, errors.As(err, &e))
	assert.Equal(t, int32(1), calls.Load())
}

func TestFaultTokenEndpointFailsThenRecovers(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	id := srv.SeedReimbursements(procCode, 1, day0)[0]
	c := fakeClient(t, srv)
	ctx := context.Background()

	srv.FailNext(dingtalktest.Fault{Match: "/gettoken", Status: 500, Body: "internal error"})
	_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err, "a failed token fetch is retried")

	srv.FailNext(dingtalktest.Fault{Match: "GetAccessToken", Times: 3, Status: 503, Code: "ServiceUnavailable", Message: "busy"})
	_, err = c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: id})
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, "ServiceUnavailable", e.Code)
	assert.Equal(t, "/v1.0/oauth2/accessToken", e.Op)
	_, err = c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err, "the next call fetches a token again")
}
