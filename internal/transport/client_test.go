package transport

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestClient(t *testing.T, base string, mod func(*Settings)) *Client {
	t.Helper()
	var s Settings
	require.NoError(t, s.SetBaseURL(base))
	require.NoError(t, s.SetRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	if mod != nil {
		mod(&s)
	}
	s.Defaults("", RateLimit{})
	c, err := New(s, "app-secret-value")
	require.NoError(t, err)
	return c
}

func TestExactBytesSignedAndSentWithHttpmock(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var gotBody, gotSig, gotUA, gotCT string
	mt.RegisterResponder(http.MethodPost, "https://api.example.com/v1/do?x=1",
		func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			gotBody, gotSig = string(b), r.Header.Get("X-Sig")
			gotUA, gotCT = r.Header.Get("User-Agent"), r.Header.Get("Content-Type")
			return httpmock.NewStringResponse(200, `{"ok":true}`), nil
		})
	c := newTestClient(t, "https://api.example.com", func(s *Settings) { _ = s.SetTransport(mt) })
	body := []byte(`{"a":1}`)
	resp, err := c.Do(context.Background(), &Request{
		Op: "do", Path: "/v1/do", Query: map[string][]string{"x": {"1"}}, ContentType: "application/json", Body: body,
		Sign: func(o *Outgoing) error { o.Header.Set("X-Sig", "sig:"+string(o.Body)); return nil },
	})
	require.NoError(t, err)
	assert.Equal(t, `{"ok":true}`, string(resp.Body))
	assert.Equal(t, `{"a":1}`, gotBody)
	assert.Equal(t, `sig:{"a":1}`, gotSig)
	assert.Equal(t, UserAgent, gotUA)
	assert.Equal(t, "application/json", gotCT)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestRetryResendsWholeBodyAndResigns(t *testing.T) {
	var mu sync.Mutex
	var bodies, sigs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		sigs = append(sigs, r.Header.Get("X-Attempt"))
		n := len(bodies)
		mu.Unlock()
		if n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	attempt := 0
	_, err := c.Do(context.Background(), &Request{Path: "/x", Body: []byte("payload"), Idempotent: true,
		Sign: func(o *Outgoing) error { attempt++; o.Header.Set("X-Attempt", string(rune('0'+attempt))); return nil }})
	require.NoError(t, err)
	assert.Equal(t, []string{"payload", "payload", "payload"}, bodies)
	assert.Equal(t, []string{"1", "2", "3"}, sigs)
}

func TestNonIdempotentNotRetriedOn5xx(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>bad gateway</html>"))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), &Request{Path: "/write", Body: []byte("{}")})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, KindHTTP, te.Kind)
	assert.Equal(t, 502, te.StatusCode)
	assert.Contains(t, te.Excerpt, "bad gateway")
	assert.Equal(t, int32(1), hits.Load())
}

// resetServer accepts connections, reads a full request, writes a partial
// response and resets the connection.
func resetServer(t *testing.T) (addr string, hits *atomic.Int32, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hits = &atomic.Int32{}
	var wg sync.WaitGroup
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err == nil {
					_, _ = io.Copy(io.Discard, req.Body)
					hits.Add(1)
					_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\""))
				}
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				conn.Close()
			}()
		}
	}()
	return "http://" + ln.Addr().String(), hits, func() { ln.Close(); wg.Wait() }
}

func TestResetMidResponse(t *testing.T) {
	addr, hits, stop := resetServer(t)
	defer stop()
	c := newTestClient(t, addr, nil)

	_, err := c.Do(context.Background(), &Request{Path: "/create", Body: []byte(`{"amount":1}`)})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.True(t, te.Sent)
	assert.Equal(t, int32(1), hits.Load(), "a write that reached the server must not be re-sent")

	hits.Store(0)
	_, err = c.Do(context.Background(), &Request{Path: "/query", Body: []byte(`{}`), Idempotent: true})
	require.Error(t, err)
	assert.Equal(t, int32(3), hits.Load(), "an idempotent call is retried up to MaxAttempts")
}

func TestConnectionRefusedRetriedEvenForWrites(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	c := newTestClient(t, "http://"+addr, nil)
	_, err := c.Do(context.Background(), &Request{Path: "/create", Body: []byte(`{}`)})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, KindNetwork, te.Kind)
	assert.False(t, te.Sent)
	assert.Equal(t, 3, te.Attempts)
}

func TestRetryAfterHonouredAndCtxCancelMidBackoff(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, func(s *Settings) {
		_ = s.SetRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Minute})
	})
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	_, err := c.Do(context.Background(), &Request{Path: "/w", Body: []byte("x")})
	require.Error(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second, 2 * time.Second}, waits)
	assert.Equal(t, int32(3), hits.Load(), "429 means not processed: even writes retry")

	// Cancelled while waiting: returns at once with context.Canceled.
	c.sleep = sleepCtx
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err = c.Do(ctx, &Request{Path: "/w", Body: []byte("x")})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 1500*time.Millisecond)

	// A deadline shorter than the wait: fail now instead of sleeping.
	ctx, cancel2 := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel2()
	_, err = c.Do(ctx, &Request{Path: "/w", Body: []byte("x")})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 429, te.StatusCode)
}

func TestAttemptTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL, func(s *Settings) {
		_ = s.SetTimeout(50 * time.Millisecond)
		_ = s.SetRetry(RetryPolicy{MaxAttempts: 1})
	})
	_, err := c.Do(context.Background(), &Request{Path: "/slow", Body: []byte("{}")})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, KindTimeout, te.Kind)
	assert.True(t, te.Timeout())
	assert.ErrorIs(t, err, context.DeadlineExceeded, "an attempt that ran out of WithTimeout is a deadline")
}

func TestCheckVerdicts(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"code":"LIMITED"}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	platformErr := errors.New("rate limited by platform")
	_, err := c.Do(context.Background(), &Request{Path: "/", Body: []byte("{}"),
		Check: func(r *Response) (Verdict, error) { return RetrySafe, platformErr }})
	assert.ErrorIs(t, err, platformErr)
	assert.Equal(t, int32(3), hits.Load())
	hits.Store(0)
	_, err = c.Do(context.Background(), &Request{Path: "/", Body: []byte("{}"),
		Check: func(r *Response) (Verdict, error) { return RetryIfIdempotent, platformErr }})
	assert.ErrorIs(t, err, platformErr)
	assert.Equal(t, int32(1), hits.Load())
}

func TestNoSecretInLogsOrErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		_, _ = w.Write([]byte(`{"echo":"app-secret-value","access_token":"tok-abcdef"}`))
	}))
	defer srv.Close()
	var buf bytes.Buffer
	c := newTestClient(t, srv.URL, func(s *Settings) {
		_ = s.SetLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	})
	_, err := c.Do(context.Background(), &Request{Path: "/x", Query: map[string][]string{"access_token": {"tok-abcdef"}},
		Header: http.Header{"Authorization": {"bearer tok-abcdef"}}, Body: []byte(`{"appSecret":"app-secret-value"}`), Idempotent: true})
	require.Error(t, err)
	all := buf.String() + err.Error()
	assert.NotContains(t, all, "app-secret-value")
	assert.NotContains(t, all, "tok-abcdef")
	assert.Contains(t, buf.String(), "hetong: request")
}

func TestDownloadStreamsAndChecksErrors(t *testing.T) {
	payload := bytes.Repeat([]byte("pdf"), 100000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"code":404}`))
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(payload)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	isPDF := func(r *http.Response) bool { return !IsJSON(r.Header.Get("Content-Type"), nil) }
	var out bytes.Buffer
	n, err := c.Download(context.Background(), &Request{Method: http.MethodGet, Path: "/file", Idempotent: true}, isPDF, &out)
	require.NoError(t, err)
	assert.Equal(t, int64(len(payload)), n)
	assert.Equal(t, payload, out.Bytes())

	notFound := errors.New("platform says 404")
	_, err = c.Download(context.Background(), &Request{Method: http.MethodGet, Path: "/missing",
		Check: func(r *Response) (Verdict, error) { return Final, notFound }}, isPDF, io.Discard)
	assert.ErrorIs(t, err, notFound)
}

func TestMultipartStreamsOnce(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, h, err := r.FormFile("file")
		if err != nil {
			w.WriteHeader(400)
			return
		}
		b, _ := io.ReadAll(f)
		got = r.FormValue("title") + "|" + h.Filename + "|" + string(b)
		w.WriteHeader(503) // ask for a retry the stream cannot honour
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	nb, ct := Multipart([]Part{{Field: "title", Value: "合同"}, {Field: "file", FileName: "a.pdf", Reader: strings.NewReader("%PDF-1.4")}})
	_, err := c.Do(context.Background(), &Request{Path: "/upload", ContentType: ct, NewBody: nb, Idempotent: true})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 503, te.StatusCode, "the real failure is reported, not the replay refusal")
	assert.Equal(t, "合同|a.pdf|%PDF-1.4", got)
}

func TestMultipartGoroutineEndsWhenRequestFails(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	before := runtimeGoroutines()
	c := newTestClient(t, "http://"+addr, func(s *Settings) { _ = s.SetRetry(RetryPolicy{MaxAttempts: 1}) })
	for i := 0; i < 20; i++ {
		nb, ct := Multipart([]Part{{Field: "f", FileName: "x", Reader: strings.NewReader(strings.Repeat("x", 1<<20))}})
		_, err := c.Do(context.Background(), &Request{Path: "/u", ContentType: ct, NewBody: nb})
		require.Error(t, err)
	}
	assert.LessOrEqual(t, settleGoroutines(before), before+2)
}

func TestNilContextAndBadURL(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", nil)
	//nolint:staticcheck // a nil ctx must be an error, not a panic
	_, err := c.Do(nil, &Request{Path: "/"}) //lint:ignore SA1012 testing nil ctx handling
	assert.Error(t, err)
	var s Settings
	assert.Error(t, s.SetBaseURL("ftp://x"))
	assert.Error(t, s.SetBaseURL("/relative"))
	assert.Error(t, s.SetTimeout(0))
	assert.Error(t, s.SetRetry(RetryPolicy{}))
	assert.Error(t, s.SetRateLimit(-1, 1))
	assert.Error(t, s.SetHTTPClient(nil))
	assert.Error(t, s.SetClock(nil))
}

func TestIsJSON(t *testing.T) {
	assert.True(t, IsJSON("application/json;charset=utf-8", []byte(`{"a":1}`)))
	assert.True(t, IsJSON("", []byte(" \n[1]")))
	assert.False(t, IsJSON("text/html", []byte(`{"looks":"json"}`)))
	assert.False(t, IsJSON("application/json", []byte("<html>blocked</html>")), "an HTML page labelled JSON is not JSON")
	assert.False(t, IsJSON("", []byte("502 Bad Gateway")))
	assert.True(t, IsJSON("application/json", nil), "an empty JSON answer is left to the decoder")
}

// A ctx cancelled after a retryable answer arrived is reported as
// cancelled, not as the answer that would have been retried.
func TestCancelledBetweenAttemptsSaysCanceled(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := c.Do(ctx, &Request{Path: "/", Body: []byte("{}"), Check: func(r *Response) (Verdict, error) {
		cancel() // the caller gives up while the answer is being judged
		return DefaultCheck(r)
	}})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, KindCanceled, te.Kind)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(1), hits.Load())
}

func TestConnectionRefusedReadIsNotSent(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	c := newTestClient(t, "http://"+addr, func(s *Settings) { _ = s.SetRetry(RetryPolicy{MaxAttempts: 1}) })
	_, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/q", Idempotent: true})
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.False(t, te.Sent, "a refused connection sent nothing")
}

func TestStreamedBodyWithDeclaredLength(t *testing.T) {
	var gotLen int64
	var gotTE []string
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotLen, gotTE = r.ContentLength, r.TransferEncoding
		b, _ := io.ReadAll(r.Body)
		got = string(b)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	payload := strings.Repeat("x", 70000)
	_, err := c.Do(context.Background(), &Request{Path: "/u", ContentLength: int64(len(payload)),
		NewBody: func() (io.Reader, error) { return io.MultiReader(strings.NewReader(payload)), nil }})
	require.NoError(t, err)
	assert.Equal(t, int64(len(payload)), gotLen)
	assert.Empty(t, gotTE, "not chunked")
	assert.Equal(t, payload, got)

	// Without a declared length the stream goes chunked.
	_, err = c.Do(context.Background(), &Request{Path: "/u",
		NewBody: func() (io.Reader, error) { return io.MultiReader(strings.NewReader("abc")), nil }})
	require.NoError(t, err)
	assert.Equal(t, []string{"chunked"}, gotTE)
}

// resty buffers any io.Reader body it is handed; a streamed upload must
// reach the wire without that copy.
func TestStreamedUploadIsNotBuffered(t *testing.T) {
	var got int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	const size = 32 << 20
	nb, ct := Multipart([]Part{{Field: "file", FileName: "big.pdf", Reader: io.LimitReader(zeros{}, size)}})
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.Do(context.Background(), &Request{Path: "/u", ContentType: ct, NewBody: nb})
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Greater(t, got, int64(size))
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(4<<20), "a 32 MiB upload must not be copied into memory")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
