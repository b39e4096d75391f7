package zhenling_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/transport"
	"github.com/hetong-go/hetong/zhenling"
)

const okPage = `{"success":true,"message":"execute success","result":{"code":"0","msg":"ok","data":{"content":[],"last":true}}}`

// faultServer serves tokens normally and runs fault for every HITF call,
// counting them.
func faultServer(t *testing.T, fault func(n int32, w http.ResponseWriter, r *http.Request)) (string, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == zhenling.DefaultTokenPath {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"fault-token-1","token_type":"bearer","expires_in":3600}`)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		fault(hits.Add(1), w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

func resetConn(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
}

func faultClient(t *testing.T, base string, opts ...zhenling.Option) *zhenling.Client {
	t.Helper()
	all := append([]zhenling.Option{zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})}, opts...)
	c, err := zhenling.NewClient(zhenling.Config{BaseURL: base, ClientID: "id", ClientSecret: "fault-secret"}, all...)
	require.NoError(t, err)
	return c
}

func query(ctx context.Context, c *zhenling.Client) error {
	_, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 10}})
	return err
}

func write(ctx context.Context, c *zhenling.Client) error {
	_, err := c.Fulfillment.CreatePaymentPlans(ctx, &zhenling.PaymentPlanCreateRequest{Data: []zhenling.PaymentPlanCreate{{ContractNumber: "HT1", PlanAmount: amt("1")}}})
	return err
}

func TestFaults(t *testing.T) {
	cases := []struct {
		name        string
		fault       func(n int32, w http.ResponseWriter, r *http.Request)
		kind        transport.Kind // 0: a platform *Error (or success when wantOK)
		status      int
		queryHits   int32
		writeHits   int32
		wantQueryOK bool
		wantWriteOK bool
	}{
		{name: "reset before response", fault: func(_ int32, w http.ResponseWriter, _ *http.Request) { resetConn(w) },
			kind: transport.KindNetwork, queryHits: 3, writeHits: 1},
		{name: "reset mid body", fault: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "500")
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"success":true,"result":{"code":"0","data":{"content":[`)
			w.(http.Flusher).Flush()
			resetConn(w)
		}, kind: transport.KindBody, status: 200, queryHits: 3, writeHits: 1},
		{name: "truncated JSON", fault: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"success":true,"result":{"code":"0","data":{"content":[`)
		}, kind: transport.KindDecode, status: 200, queryHits: 1, writeHits: 1},
		{name: "HTML 200", fault: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html><body>SSO login</body></html>")
		}, kind: transport.KindNotJSON, status: 200, queryHits: 1, writeHits: 1},
		{name: "HTML 502", fault: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
		}, kind: transport.KindNotJSON, status: 502, queryHits: 3, writeHits: 1},
		{name: "HZERO 500", fault: func(_ int32, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			_, _ = io.WriteString(w, `{"failed":true,"code":"error.error","message":"程序出现错误","type":"error"}`)
		}, status: 500, queryHits: 3, writeHits: 1},
		{name: "429 with Retry-After then success", fault: func(n int32, w http.ResponseWriter, _ *http.Request) {
			if n%2 == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(429)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, okPage)
		}, queryHits: 2, writeHits: 2, wantQueryOK: true, wantWriteOK: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, isWrite := range []bool{false, true} {
				base, hits := faultServer(t, tc.fault)
				c := faultClient(t, base)
				call, wantHits, wantOK := query, tc.queryHits, tc.wantQueryOK
				if isWrite {
					call, wantHits, wantOK = write, tc.writeHits, tc.wantWriteOK
				}
				err := call(context.Background(), c)
				assert.Equal(t, wantHits, hits.Load(), "write=%v hits", isWrite)
				if wantOK {
					assert.NoError(t, err, "write=%v", isWrite)
					continue
				}
				var ze *zhenling.Error
				require.True(t, errors.As(err, &ze), "write=%v: %T %v", isWrite, err, err)
				assert.Equal(t, tc.status, ze.HTTPStatus, "write=%v: %v", isWrite, err)
				if tc.kind != 0 {
					var te *transport.Error
					require.True(t, errors.As(err, &te), "write=%v: %v", isWrite, err)
					assert.Equal(t, tc.kind, te.Kind, "write=%v: %v", isWrite, err)
				} else {
					assert.NotEmpty(t, ze.Code)
				}
				assert.NotContains(t, err.Error(), "fault-secret")
				assert.NotContains(t, err.Error(), "fault-token-1")
			}
		})
	}
}

func TestFaultConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c := faultClient(t, base)
	for _, call := range []func(context.Context, *zhenling.Client) error{query, write} {
		err := call(context.Background(), c)
		var ze *zhenling.Error
		require.True(t, errors.As(err, &ze), "%v", err)
		var te *transport.Error
		require.True(t, errors.As(err, &te))
		assert.Equal(t, transport.KindNetwork, te.Kind)
		assert.False(t, te.Sent)
		assert.Equal(t, zhenling.OpToken, ze.Op, "the token fetch fails first")
	}
}

func TestFaultSlowServerPastTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	base, hits := faultServer(t, func(_ int32, _ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := faultClient(t, base, zhenling.WithTimeout(50*time.Millisecond))
	err := write(context.Background(), c)
	var te *transport.Error
	require.True(t, errors.As(err, &te), "%v", err)
	assert.Equal(t, transport.KindTimeout, te.Kind)
	assert.Equal(t, int32(1), hits.Load(), "a write that timed out is not re-sent")

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	c2 := faultClient(t, base)
	err = query(ctx, c2)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	var ze *zhenling.Error
	assert.True(t, errors.As(err, &ze))
}

// cancelOnRetry cancels a context when the client logs that it is about to
// back off, so the cancellation lands in the middle of the wait.
type cancelOnRetry struct {
	slog.Handler
	cancel context.CancelFunc
}

func (h cancelOnRetry) Enabled(context.Context, slog.Level) bool { return true }

func (h cancelOnRetry) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "hetong: retrying" {
		h.cancel()
	}
	return nil
}

func TestFaultCancelDuringBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, hits := faultServer(t, func(_ int32, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(503)
	})
	c := faultClient(t, base, zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Minute, MaxDelay: time.Minute}),
		zhenling.WithLogger(slog.New(cancelOnRetry{Handler: slog.NewTextHandler(io.Discard, nil), cancel: cancel})))
	err := query(ctx, c)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Equal(t, int32(1), hits.Load())
	var ze *zhenling.Error
	assert.True(t, errors.As(err, &ze))
}

func TestFaultUploadNotResent(t *testing.T) {
	base, hits := faultServer(t, func(_ int32, w http.ResponseWriter, _ *http.Request) { resetConn(w) })
	c := faultClient(t, base, zhenling.WithOperation(zhenling.OpFileUpload, zhenling.SingleScript, "FILE.UPLOAD"))
	_, err := c.Files.Upload(context.Background(), &zhenling.FileUploadRequest{SourceDocumentNumber: "S1", FileName: "a.pdf", Body: strings.NewReader("pdf")})
	var ze *zhenling.Error
	require.True(t, errors.As(err, &ze), "%v", err)
	assert.Equal(t, int32(1), hits.Load())
}
