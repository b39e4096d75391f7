package callback

import (
	"context"
	"errors"
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

// dedupHandler parses the body as the message id and runs fn.
func dedupHandler(d Deduper, fn func(ctx context.Context, id string) error) Handler[string] {
	return Handler[string]{
		Parse: func(r *http.Request) (string, error) {
			b, err := ReadBody(r, 64)
			return string(b), err
		},
		Key:    func(id string) string { return "test:app:" + id },
		Dedup:  d,
		Handle: fn,
		Ack:    func(string) (Ack, error) { return Ack{Body: []byte("success")}, nil },
	}
}

func deliver(h http.Handler, id string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(id)))
	return w
}

func TestHandlerPanicReleasesTheMessage(t *testing.T) {
	var runs atomic.Int32
	panicking := true
	h := dedupHandler(NewMemoryDeduper(nil), func(context.Context, string) error {
		runs.Add(1)
		if panicking {
			panic("nil map write")
		}
		return nil
	})
	w := deliver(h, "ev1")
	assert.Equal(t, http.StatusInternalServerError, w.Code, "a panic is answered with a retryable status")
	assert.NotEqual(t, "success", w.Body.String())
	panicking = false
	w = deliver(h, "ev1")
	assert.Equal(t, http.StatusOK, w.Code, "the platform's retry runs the handler again")
	assert.Equal(t, "success", w.Body.String())
	assert.EqualValues(t, 2, runs.Load())
}

func TestHandlerRunsOncePerMessage(t *testing.T) {
	var runs atomic.Int32
	h := dedupHandler(NewMemoryDeduper(nil), func(context.Context, string) error { runs.Add(1); return nil })
	assert.Equal(t, 200, deliver(h, "ev1").Code)
	w := deliver(h, "ev1")
	assert.Equal(t, 200, w.Code, "a handled message is acknowledged again")
	assert.Equal(t, "success", w.Body.String())
	assert.EqualValues(t, 1, runs.Load())
}

func TestHandlerRedeliveryWhileInFlightIsRetryable(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var runs atomic.Int32
	h := dedupHandler(NewMemoryDeduper(nil), func(context.Context, string) error {
		runs.Add(1)
		close(entered)
		<-release
		return errors.New("db down") // the first delivery fails after all
	})
	var first *httptest.ResponseRecorder
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); first = deliver(h, "ev1") }()
	<-entered
	second := deliver(h, "ev1")
	assert.Equal(t, http.StatusServiceUnavailable, second.Code, "never 200 while the first is still running")
	close(release)
	wg.Wait()
	assert.Equal(t, http.StatusInternalServerError, first.Code)

	ok := dedupHandler(h.Dedup, func(context.Context, string) error { runs.Add(1); return nil })
	assert.Equal(t, 200, deliver(ok, "ev1").Code, "after the failure the message is handled")
	assert.EqualValues(t, 2, runs.Load())
}

func TestHandlerCommitsOnlyAfterSuccess(t *testing.T) {
	d := &recordingDeduper{MemoryDeduper: NewMemoryDeduper(nil)}
	fail := true
	h := dedupHandler(d, func(context.Context, string) error {
		if fail {
			return errors.New("no")
		}
		return nil
	})
	assert.Equal(t, 500, deliver(h, "a").Code)
	fail = false
	assert.Equal(t, 200, deliver(h, "a").Code)
	assert.Equal(t, []string{"reserve test:app:a", "release test:app:a", "reserve test:app:a", "commit test:app:a"}, d.calls)
}

func TestHandlerStoreDown(t *testing.T) {
	var runs atomic.Int32
	h := dedupHandler(downDeduper{}, func(context.Context, string) error { runs.Add(1); return nil })
	w := deliver(h, "a")
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Zero(t, runs.Load(), "without a reservation the handler does not run")
}

func TestMemoryDeduperExpiry(t *testing.T) {
	now := time.Unix(0, 0)
	d := NewMemoryDeduper(func() time.Time { return now })
	ctx := context.Background()
	r, done, err := d.Reserve(ctx, "k", time.Minute)
	require.NoError(t, err)
	assert.True(t, r)
	assert.False(t, done)
	r, done, _ = d.Reserve(ctx, "k", time.Minute)
	assert.False(t, r)
	assert.False(t, done, "in flight")
	now = now.Add(2 * time.Minute)
	r, _, _ = d.Reserve(ctx, "k", time.Minute)
	assert.True(t, r, "a crashed handler's reservation expires")
	require.NoError(t, d.Commit(ctx, "k", time.Hour))
	require.NoError(t, d.Release(ctx, "k"))
	r, done, _ = d.Reserve(ctx, "k", time.Minute)
	assert.False(t, r)
	assert.True(t, done, "release never drops a committed key")
}

type recordingDeduper struct {
	*MemoryDeduper
	calls []string
}

func (d *recordingDeduper) Reserve(ctx context.Context, k string, ttl time.Duration) (bool, bool, error) {
	d.calls = append(d.calls, "reserve "+k)
	return d.MemoryDeduper.Reserve(ctx, k, ttl)
}

func (d *recordingDeduper) Commit(ctx context.Context, k string, ttl time.Duration) error {
	d.calls = append(d.calls, "commit "+k)
	return d.MemoryDeduper.Commit(ctx, k, ttl)
}

func (d *recordingDeduper) Release(ctx context.Context, k string) error {
	d.calls = append(d.calls, "release "+k)
	return d.MemoryDeduper.Release(ctx, k)
}

type downDeduper struct{}

func (downDeduper) Reserve(context.Context, string, time.Duration) (bool, bool, error) {
	return false, false, errors.New("connection refused")
}
func (downDeduper) Commit(context.Context, string, time.Duration) error { return nil }
func (downDeduper) Release(context.Context, string) error               { return nil }
