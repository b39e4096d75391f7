package essbasic

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const okBody = `{"Response":{"FlowInfo":[],"RequestId":"ok"}}`

// faultServer answers attempt n (from 1) with script(n, w, r) and counts
// attempts and the timestamps they were signed with.
type faultServer struct {
	*httptest.Server
	n   atomic.Int32
	mu  sync.Mutex
	ts  []string
	aut []string
}

func newFaultServer(t *testing.T, script func(n int, w http.ResponseWriter, r *http.Request)) *faultServer {
	fs := &faultServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		fs.mu.Lock()
		fs.ts, fs.aut = append(fs.ts, r.Header.Get("X-TC-Timestamp")), append(fs.aut, r.Header.Get("Authorization"))
		fs.mu.Unlock()
		script(int(fs.n.Add(1)), w, r)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func reset(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// stepClock advances one second per reading, so every attempt is signed
// with a new timestamp.
func stepClock() func() time.Time {
	var n atomic.Int64
	return func() time.Time { return time.Now().Add(time.Duration(n.Add(1)) * time.Second) }
}

func faultClient(t *testing.T, url string, opts ...Option) *Client {
	c, err := NewClient(Config{SecretID: "AKIDtest", SecretKey: "secret-key", Agent: testAgent},
		append([]Option{WithBaseURL(url), WithClock(stepClock()), WithRateLimit(0, 0),
			WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})}, opts...)...)
	require.NoError(t, err)
	return c
}

func read(ctx context.Context, c *Client) error {
	_, err := c.DescribeFlowDetailInfo(ctx, &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	return err
}

func write(ctx context.Context, c *Client) error {
	_, err := c.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{FlowId: "f"})
	return err
}

func TestFaults(t *testing.T) {
	html := "<html><body>502 Bad Gateway</body></html>"
	cases := []struct {
		name   string
		script func(n int, w http.ResponseWriter, r *http.Request)
		// attempts the server sees for a read and for a write
		readN, writeN int32
		ok            bool   // the call ends in success
		writeOK       bool   // the write ends in success (its answer carries only a RequestId)
		code          string // expected platform code, if any
		contains      string
	}{
		{name: "reset before response", script: func(int, http.ResponseWriter, *http.Request) {}, readN: 3, writeN: 1, contains: "network error"},
		{name: "reset mid-body", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"Response":{"Flow`)
			w.(http.Flusher).Flush()
			reset(w)
		}, readN: 3, writeN: 1, contains: "unreadable body"},
		{name: "truncated JSON", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 200, `{"Response":{"FlowInfo":[`)
		}, readN: 3, writeN: 1, contains: "malformed response"},
		{name: "HTML page with 200", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, html)
		}, readN: 1, writeN: 1, contains: "response is not JSON; body: \"<html>"},
		{name: "HTML page with 502", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = io.WriteString(w, html)
		}, readN: 3, writeN: 1, contains: "(HTTP 502)"},
		{name: "429 with Retry-After, then success", script: func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(429)
				return
			}
			writeJSON(w, 200, okBody)
		}, readN: 2, writeN: 2, ok: true},
		{name: "RequestLimitExceeded, then success", script: func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				writeJSON(w, 200, `{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"too fast"},"RequestId":"r"}}`)
				return
			}
			writeJSON(w, 200, okBody)
		}, readN: 2, writeN: 2, ok: true},
		{name: "InternalError", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 200, `{"Response":{"Error":{"Code":"InternalError.Db","Message":"db"},"RequestId":"r"}}`)
		}, readN: 3, writeN: 1, code: "InternalError.Db"},
		{name: "only a RequestId", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 200, `{"Response":{"RequestId":"r"}}`)
		}, readN: 1, writeN: 1, writeOK: true, contains: "empty answer"},
		{name: "null answer", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 200, `null`)
		}, readN: 3, writeN: 1, contains: "malformed response"},
		{name: "error envelope without Content-Type", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header()["Content-Type"] = nil
			_, _ = io.WriteString(w, `{"Response":{"Error":{"Code":"ResourceNotFound.Flow","Message":"no"},"RequestId":"r"}}`)
		}, readN: 1, writeN: 1, code: "ResourceNotFound.Flow"},
		{name: "answer over WithMaxResponseBytes", script: func(_ int, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 200, `{"Response":{"FlowInfo":[],"RequestId":"`+strings.Repeat("r", 2048)+`"}}`)
		}, readN: 3, writeN: 1, contains: "larger than 1024 bytes"},
	}
	for _, tc := range cases {
		for _, kind := range []string{"read", "write"} {
			t.Run(tc.name+"/"+kind, func(t *testing.T) {
				script := tc.script
				if tc.name == "reset before response" {
					script = func(_ int, w http.ResponseWriter, _ *http.Request) { reset(w) }
				}
				fs := newFaultServer(t, script)
				c := faultClient(t, fs.URL, WithMaxResponseBytes(1024))
				call, want := read, tc.readN
				if kind == "write" {
					call, want = write, tc.writeN
				}
				err := call(context.Background(), c)
				assert.Equal(t, want, fs.n.Load(), "attempts at the server")
				if tc.ok || (kind == "write" && tc.writeOK) {
					require.NoError(t, err)
				} else {
					var e *Error
					require.ErrorAs(t, err, &e)
					if tc.code != "" {
						assert.Equal(t, tc.code, e.Code)
					}
					assert.Contains(t, err.Error(), tc.contains)
				}
				if fs.n.Load() > 1 {
					assert.NotEqual(t, fs.ts[0], fs.ts[1], "each attempt is re-signed with a fresh timestamp")
					assert.NotEqual(t, fs.aut[0], fs.aut[1])
				}
			})
		}
	}
}

func TestFaultConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := faultClient(t, url)
	err := write(context.Background(), c)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 0, e.HTTPStatus)
	assert.Contains(t, err.Error(), "network error")
}

func TestFaultSlowServer(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	fs := newFaultServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	// The attempt timeout ends a write after one attempt.
	c := faultClient(t, fs.URL, WithTimeout(50*time.Millisecond))
	err := write(context.Background(), c)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Contains(t, err.Error(), "timeout")
	assert.EqualValues(t, 1, fs.n.Load())

	// The caller's deadline ends a read, and errors.Is sees it.
	c = faultClient(t, fs.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = read(ctx, c)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorAs(t, err, &e)
}

func TestFaultCancelledMidBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	fs := newFaultServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, `{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"r"}}`)
		cancel() // the client is now waiting to retry
	})
	c := faultClient(t, fs.URL, WithRetry(RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	err := read(ctx, c)
	assert.ErrorIs(t, err, context.Canceled)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.EqualValues(t, 1, fs.n.Load())
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}
