package kingdee_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/transport"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// fault misbehaves on the first n calls of an operation and passes the
// rest to the fake.
type fault func(w http.ResponseWriter, r *http.Request)

func hijackClose(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func midBody(w http.ResponseWriter, _ *http.Request) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"Result\":{\"Respon")
	buf.Flush()
	conn.Close()
}

func status(code int, ctype, body string, header ...string) fault {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(code)
		w.Write([]byte(body))
	}
}

// faulty serves the fake behind a fault injector; counts are per operation.
type faulty struct {
	fake   *kingdeetest.Server
	srv    *httptest.Server
	mu     sync.Mutex
	seen   map[string]int
	op     string
	times  int
	inject fault
	stop   chan struct{} // ends slow faults when the test ends
}

func newFaulty(t *testing.T, op string, times int, f fault) *faulty {
	fk := &faulty{fake: kingdeetest.NewServer(), seen: map[string]int{}, op: strings.ToLower(op), times: times, inject: f, stop: make(chan struct{})}
	fk.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.ToLower(r.URL.Path)
		op = strings.TrimSuffix(op[strings.LastIndexByte(strings.TrimSuffix(op, ".common.kdsvc"), '.')+1:], ".common.kdsvc")
		fk.mu.Lock()
		fk.seen[op]++
		n := fk.seen[op]
		fk.mu.Unlock()
		if op == fk.op && n <= fk.times {
			ctx, cancel := context.WithCancel(r.Context())
			defer cancel()
			go func() {
				select {
				case <-fk.stop:
					cancel()
				case <-ctx.Done():
				}
			}()
			fk.inject(w, r.WithContext(ctx))
			return
		}
		fk.fake.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { close(fk.stop); fk.srv.Close(); fk.fake.Close() })
	return fk
}

func (f *faulty) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[strings.ToLower(op)]
}

func (f *faulty) client(t *testing.T, mode kingdee.AuthMode, opts ...kingdee.Option) *kingdee.Client {
	cfg := fakeConfig(f.fake, mode)
	cfg.BaseURL = f.srv.URL + "/k3cloud/"
	opts = append([]kingdee.Option{kingdee.WithRateLimit(0, 0),
		kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})}, opts...)
	c, err := kingdee.NewClient(cfg, opts...)
	require.NoError(t, err)
	return c
}

var faultQuery = &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}}

func TestFaults(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	}
	cases := []struct {
		name  string
		fault fault
		times int
		// read: attempts a query makes and whether it ends well;
		// write: a Save is sent exactly once whatever happens.
		readCalls int
		readOK    bool
		want      string
		opts      []kingdee.Option
	}{
		{"reset before response", hijackClose, 1, 2, true, "", nil},
		{"reset mid-body", midBody, 1, 2, true, "", nil},
		{"truncated JSON", status(200, "application/json", `{"Result":{"ResponseStatus":{"IsSuc`), 1, 1, false, "truncated or invalid JSON", nil},
		{"HTML with 200", status(200, "text/html", "<html><body>请登录</body></html>"), 1, 1, false, "HTML page", nil},
		{"HTML with 502", status(502, "text/html", "<html><body>502 Bad Gateway</body></html>"), 5, 3, false, "HTTP 502", nil},
		{"429 with Retry-After", status(429, "text/plain", "slow down", "Retry-After", "1"), 1, 2, true, "", nil},
		{"slow past the timeout", slow, 5, 3, false, "timeout", []kingdee.Option{kingdee.WithTimeout(50 * time.Millisecond)}},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/read", func(t *testing.T) {
			f := newFaulty(t, "ExecuteBillQuery", tc.times, tc.fault)
			c := f.client(t, kingdee.AuthSignedHeaders, tc.opts...)
			_, err := c.ExecuteBillQuery(context.Background(), faultQuery)
			assert.Equal(t, tc.readCalls, f.count("ExecuteBillQuery"))
			if tc.readOK {
				require.NoError(t, err)
				return
			}
			var ke *kingdee.Error
			require.True(t, errors.As(err, &ke), "%T %v", err, err)
			assert.Contains(t, err.Error(), tc.want)
		})
		t.Run(tc.name+"/write", func(t *testing.T) {
			f := newFaulty(t, "Save", tc.times, tc.fault)
			c := f.client(t, kingdee.AuthSignedHeaders, tc.opts...)
			_, err := c.Save(context.Background(), &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(1)})
			if tc.name == "429 with Retry-After" {
				require.NoError(t, err, "429 means the server refused before acting: safe to resend")
				assert.Equal(t, 2, f.count("Save"))
				return
			}
			assert.Equal(t, 1, f.count("Save"), "a write that may have reached the server is never re-sent")
			var ke *kingdee.Error
			require.True(t, errors.As(err, &ke), "%T %v", err, err)
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	cfg := vectorConfig
	cfg.BaseURL = "http://" + addr + "/k3cloud/"
	c, err := kingdee.NewClient(cfg, kingdee.WithRateLimit(0, 0),
		kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	require.NoError(t, err)
	_, err = c.Save(context.Background(), &kingdee.SaveRequest{FormID: "X", Model: map[string]any{"FID": 0}})
	var ke *kingdee.Error
	require.True(t, errors.As(err, &ke), "%T %v", err, err)
	var te *transport.Error
	require.True(t, errors.As(err, &te))
	assert.Equal(t, transport.KindNetwork, te.Kind)
	assert.False(t, te.Sent, "nothing reached a server")
	assert.Equal(t, 3, te.Attempts, "a refused connection is safe to retry, even for a write")
}

func TestCancelDuringBackoff(t *testing.T) {
	reached := make(chan struct{}, 10)
	f := newFaulty(t, "ExecuteBillQuery", 100, func(w http.ResponseWriter, r *http.Request) {
		reached <- struct{}{}
		status(503, "text/html", "<html>down</html>")(w, r)
	})
	c := f.client(t, kingdee.AuthSignedHeaders, kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.ExecuteBillQuery(ctx, faultQuery)
		done <- err
	}()
	<-reached
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the call hung in backoff after its context was cancelled")
	}
	assert.ErrorIs(t, err, context.Canceled)
	var ke *kingdee.Error
	assert.True(t, errors.As(err, &ke))
	assert.Equal(t, 1, f.count("ExecuteBillQuery"))
}

// The login endpoint fails (502, then a refusal), then recovers.
func TestLoginFailingThenRecovering(t *testing.T) {
	f := newFaulty(t, "LoginByAppSecret", 1, status(502, "text/html", "<html>bad gateway</html>"))
	c := f.client(t, kingdee.AuthLoginByAppSecret)
	_, err := c.ExecuteBillQuery(context.Background(), faultQuery)
	require.NoError(t, err, "a login is safe to retry")
	assert.Equal(t, 2, f.count("LoginByAppSecret"))

	g := newFaulty(t, "ValidateUser", 1, status(200, "application/json", `{"Message":"服务器忙","LoginResultType":-1}`))
	cu := g.client(t, kingdee.AuthValidateUser)
	_, err = cu.ExecuteBillQuery(context.Background(), faultQuery)
	require.ErrorIs(t, err, kingdee.ErrAuth)
	_, err = cu.ExecuteBillQuery(context.Background(), faultQuery)
	require.NoError(t, err, "a failed login is not cached")
	assert.Equal(t, 2, g.count("ValidateUser"))
	assert.Equal(t, 1, g.count("ExecuteBillQuery"))
}
