package qiyuesuo_test

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

	"github.com/hetong-go/hetong/internal/transport"
	"github.com/hetong-go/hetong/qiyuesuo"
)

const okDetail = `{"code":0,"message":"SUCCESS","result":{"id":"3000000000000000001","status":"SIGNING"}}`

func faultClient(t *testing.T, url string, opts ...qiyuesuo.Option) *qiyuesuo.Client {
	t.Helper()
	base := []qiyuesuo.Option{qiyuesuo.WithBaseURL(url), qiyuesuo.WithTimeout(2 * time.Second),
		qiyuesuo.WithRetry(qiyuesuo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})}
	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: "fault-token", AppSecret: "fault-secret-value"}, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func hijackClose(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestFaults(t *testing.T) {
	type behaviour func(n int32, w http.ResponseWriter, r *http.Request)
	cases := []struct {
		name      string
		serve     behaviour
		opts      []qiyuesuo.Option
		readCalls int32 // server hits for an idempotent read (Detail)
		readOK    bool
		kind      transport.Kind
		status    int
	}{
		{name: "reset before response", serve: func(_ int32, w http.ResponseWriter, _ *http.Request) { hijackClose(w) },
			readCalls: 3, kind: transport.KindNetwork},
		{name: "reset mid-body", serve: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "500")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"code":0,"res`))
			w.(http.Flusher).Flush()
			hijackClose(w)
		}, readCalls: 3, kind: transport.KindBody, status: 200},
		{name: "truncated JSON", serve: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"code":0,"result":{"id":"30`))
		}, readCalls: 1, kind: transport.KindDecode, status: 200},
		{name: "HTML with 200", serve: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>login</body></html>"))
		}, readCalls: 1, kind: transport.KindNotJSON, status: 200},
		{name: "HTML with 502", serve: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
		}, readCalls: 3, kind: transport.KindNotJSON, status: 502},
		{name: "502 then recovers", serve: func(n int32, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				w.WriteHeader(502)
				return
			}
			_, _ = w.Write([]byte(okDetail))
		}, readCalls: 2, readOK: true},
		{name: "slow server past the attempt timeout", serve: func(_ int32, w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client hanging up
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, opts: []qiyuesuo.Option{qiyuesuo.WithTimeout(30 * time.Millisecond)}, readCalls: 3, kind: transport.KindTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tc.serve(hits.Add(1), w, r)
			}))
			defer srv.Close()
			c := faultClient(t, srv.URL, tc.opts...)

			_, err := c.ContractDetail(context.Background(), &qiyuesuo.ContractDetailRequest{ContractID: "1"})
			assert.Equal(t, tc.readCalls, hits.Load(), "read attempts")
			if tc.readOK {
				require.NoError(t, err)
			} else {
				checkTransportErr(t, err, tc.kind, tc.status)
			}

			// A non-idempotent write reaches the server at most once.
			hits.Store(0)
			_, err = c.ContractSend(context.Background(), &qiyuesuo.ContractSendRequest{ContractID: "1"})
			require.Error(t, err)
			assert.Equal(t, int32(1), hits.Load(), "write attempts")
		})
	}
}

func checkTransportErr(t *testing.T, err error, kind transport.Kind, status int) {
	t.Helper()
	var e *qiyuesuo.Error
	require.True(t, errors.As(err, &e), "%T %v", err, err)
	var te *transport.Error
	require.True(t, errors.As(err, &te), "%v", err)
	assert.Equal(t, kind, te.Kind, "%v", err)
	assert.Equal(t, status, e.HTTPStatus)
	assert.NotContains(t, err.Error(), "fault-secret-value")
}

func TestFaultConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	c := faultClient(t, "http://"+addr)
	_, err = c.ContractDetail(context.Background(), &qiyuesuo.ContractDetailRequest{ContractID: "1"})
	checkTransportErr(t, err, transport.KindNetwork, 0)
	var te *transport.Error
	require.True(t, errors.As(err, &te))
	assert.Equal(t, 3, te.Attempts, "nothing was sent, so retrying is safe")
	_, err = c.ContractSend(context.Background(), &qiyuesuo.ContractSendRequest{ContractID: "1"})
	checkTransportErr(t, err, transport.KindNetwork, 0)
}

func TestFault429RetryAfterRetriesWrites(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"code":429,"message":"TOO MANY REQUESTS"}`))
			return
		}
		_, _ = w.Write([]byte(`{"code":0,"message":"SUCCESS"}`))
	}))
	defer srv.Close()
	c := faultClient(t, srv.URL) // MaxDelay caps the server's Retry-After
	_, err := c.ContractSend(context.Background(), &qiyuesuo.ContractSendRequest{ContractID: "1"})
	require.NoError(t, err)
	assert.Equal(t, int32(2), hits.Load(), "a 429 was refused before acting, so even a write is retried")
}

func TestFaultCallerDeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	c := faultClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: "1"})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var e *qiyuesuo.Error
	assert.True(t, errors.As(err, &e))
}

func TestFaultCancelMidBackoff(t *testing.T) {
	seen := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
		select {
		case seen <- struct{}{}:
		default:
		}
	}))
	defer srv.Close()
	c := faultClient(t, srv.URL, qiyuesuo.WithRetry(qiyuesuo.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-seen; cancel() }()
	_, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: "1"})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestFaultDownloadResetMidBody(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Length", "1000000")
		w.WriteHeader(200)
		_, _ = w.Write(make([]byte, 4096))
		w.(http.Flusher).Flush()
		hijackClose(w)
	}))
	defer srv.Close()
	c := faultClient(t, srv.URL)
	var got bytesCounter
	res, err := c.ContractDownload(context.Background(), &qiyuesuo.ContractDownloadRequest{ContractID: "1"}, &got)
	checkTransportErr(t, err, transport.KindBody, 200)
	require.NotNil(t, res)
	assert.Equal(t, int64(got), res.Bytes)
	assert.Equal(t, int64(4096), res.Bytes)
	assert.Equal(t, int32(1), hits.Load(), "bytes were written: the download is not retried")
}

type bytesCounter int64

func (b *bytesCounter) Write(p []byte) (int, error) { *b += bytesCounter(len(p)); return len(p), nil }
