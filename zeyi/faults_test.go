package zeyi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/transport"
)

func validSend() *SendAuditRequest {
	return &SendAuditRequest{Code: "C1", AuditType: "T", OriginatorUsername: "U"}
}

// hijackClose reads the request and drops the connection, optionally
// after writing part of a response.
func hijackClose(w http.ResponseWriter, partial string) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if partial != "" {
		_, _ = buf.WriteString(partial)
		_ = buf.Flush()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
}

// stall blocks until the client goes away (the body must be read first,
// or the server never notices the closed connection) or 5 s pass.
func stall(r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

func TestFaults(t *testing.T) {
	html := "<html><body>Bad Gateway</body></html>"
	for name, tc := range map[string]struct {
		handler  func(w http.ResponseWriter, r *http.Request, n int32)
		opts     []Option
		ctx      func() (context.Context, context.CancelFunc)
		wantOK   bool
		calls    int32 // requests the server saw
		atMost   bool  // calls is a bound: a loaded machine may time out before sending
		status   int
		kind     transport.Kind
		isCause  error
		cancelOn int32 // cancel ctx when this request arrives
	}{
		"reset before response": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) { hijackClose(w, "") },
			calls:   1, kind: transport.KindNetwork,
		},
		"reset mid-body": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {
				hijackClose(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"success\":tr")
			},
			calls: 1, kind: transport.KindBody, status: 200,
		},
		"truncated JSON": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"success":true,"businessExc`))
			},
			calls: 1, kind: transport.KindDecode, status: 200,
		},
		"HTML with 200": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {
				w.Header().Set("Content-Type", "text/html")
				_, _ = w.Write([]byte(html))
			},
			calls: 1, kind: transport.KindNotJSON, status: 200,
		},
		"HTML with 502 is not retried for a write": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadGateway)
				_, _ = w.Write([]byte(html))
			},
			calls: 1, kind: transport.KindNotJSON, status: 502,
		},
		"429 with Retry-After is retried safely": {
			handler: func(w http.ResponseWriter, r *http.Request, n int32) {
				if n == 1 {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(okEnvelope))
			},
			calls: 2, wantOK: true,
		},
		"slow server past the attempt timeout": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) { stall(r) },
			opts:    []Option{WithTimeout(200 * time.Millisecond)},
			calls:   1, atMost: true, kind: transport.KindTimeout, isCause: context.DeadlineExceeded,
		},
		"empty 200": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {},
			calls:   1, kind: transport.KindNotJSON, status: 200,
		},
		"{} with 200": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{}`))
			},
			calls: 1, kind: transport.KindDecode, status: 200,
		},
		"null with 200": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`null`))
			},
			calls: 1, kind: transport.KindDecode, status: 200,
		},
		"answer over WithMaxResponseBytes": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"success":true,"message":"` + strings.Repeat("x", 4096) + `"}`))
			},
			opts:  []Option{WithMaxResponseBytes(1024)},
			calls: 1, kind: transport.KindBody, status: 200,
		},
		"slow server past the ctx deadline": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) { stall(r) },
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 200*time.Millisecond)
			},
			calls: 1, atMost: true, kind: transport.KindTimeout, isCause: context.DeadlineExceeded,
		},
		"ctx cancelled mid-backoff": {
			handler: func(w http.ResponseWriter, r *http.Request, _ int32) {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(http.StatusTooManyRequests)
			},
			opts:  []Option{WithRetry(RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: time.Minute})},
			calls: 1, kind: transport.KindCanceled, isCause: context.Canceled, cancelOn: 1,
		},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			if tc.ctx != nil {
				ctx, cancel = tc.ctx()
			}
			defer cancel()
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				k := n.Add(1)
				if k == tc.cancelOn {
					defer cancel()
				}
				tc.handler(w, r, k)
			}))
			defer srv.Close()
			opts := append([]Option{WithBaseURL(srv.URL + "/tms-service-api"),
				WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})}, tc.opts...)
			c, err := NewClient(Config{AppKey: vecAppKey, AppSecret: vecAppSecret}, opts...)
			require.NoError(t, err)
			_, err = c.SendAudit(ctx, validSend())
			if tc.atMost {
				assert.LessOrEqual(t, n.Load(), tc.calls, "requests seen by the server")
			} else {
				assert.Equal(t, tc.calls, n.Load(), "requests seen by the server")
			}
			if tc.wantOK {
				require.NoError(t, err)
				return
			}
			var e *Error
			require.True(t, errors.As(err, &e), "want *zeyi.Error, got %T %v", err, err)
			assert.Equal(t, tc.status, e.HTTPStatus)
			var te *transport.Error
			require.True(t, errors.As(err, &te), "cause: %v", err)
			assert.Equal(t, tc.kind, te.Kind, "%v", err)
			if tc.isCause != nil {
				assert.ErrorIs(t, err, tc.isCause)
			}
			assert.NotContains(t, err.Error(), vecAppSecret)
		})
	}
}

func TestConnectionRefusedIsRetriedThenTyped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c, err := NewClient(Config{AppKey: vecAppKey, AppSecret: vecAppSecret}, WithBaseURL("http://"+addr+"/tms-service-api"),
		WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	require.NoError(t, err)
	_, err = c.CancelAudit(context.Background(), &CancelAuditRequest{Code: "C", Type: "T"})
	var e *Error
	require.ErrorAs(t, err, &e)
	var te *transport.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, transport.KindNetwork, te.Kind)
	assert.False(t, te.Sent)
	assert.Equal(t, 3, te.Attempts, "nothing reached the server, so retrying is safe")
	assert.Zero(t, e.HTTPStatus)
}

// TestFreshSignaturePerAttempt: a retried call carries a new nonce and a
// new signature, over the same body bytes.
func TestFreshSignaturePerAttempt(t *testing.T) {
	var mu sync.Mutex
	var nonces, bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		nonces = append(nonces, r.Header.Get("nonce"))
		first := len(nonces) == 1
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(okEnvelope))
	}))
	defer srv.Close()
	c, err := NewClient(Config{AppKey: vecAppKey, AppSecret: vecAppSecret}, WithBaseURL(srv.URL),
		WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	require.NoError(t, err)
	_, err = c.SendAudit(context.Background(), validSend())
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, nonces, 2)
	assert.NotEqual(t, nonces[0], nonces[1])
	assert.Equal(t, bodies[0], bodies[1])
}
