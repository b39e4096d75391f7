package zeyi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resigned is cbBody delivered again by 则一: same result, new timestamp
// and nonce, so a new signature.
func resigned(nonce string, at time.Time) *http.Request {
	return signedCallback(cbBody, func(h http.Header) {
		ts := Timestamp(at)
		h.Set("timestamp", ts)
		h.Set("nonce", nonce)
		h.Set("sign", Sign(cbKey, cbSecret, ts, nonce, []byte(cbBody)))
	})
}

// TestCallbackHandlerPanicDoesNotLoseTheEvent: a handler that panics gets
// a retryable 500, and 则一's retry (re-signed, and the identical request
// too) runs the handler again. Before, the nonce stayed recorded after a
// panic and the retry got 409: the event was lost.
func TestCallbackHandlerPanicDoesNotLoseTheEvent(t *testing.T) {
	for name, retry := range map[string]func() *http.Request{
		"identical request": func() *http.Request { return signedCallback(cbBody, nil) },
		"re-signed":         func() *http.Request { return resigned("zz9zz9", cbNow.Add(time.Second)) },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := cbConfig()
			cfg.Deduper = NewMemoryDeduper()
			calls := 0
			h := NewCallbackHandler(cfg, func(context.Context, *CallbackEvent) error {
				calls++
				if calls == 1 {
					panic("nil map in the user's code")
				}
				return nil
			})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, signedCallback(cbBody, nil))
			assert.Equal(t, http.StatusInternalServerError, w.Code)
			assert.NotContains(t, w.Body.String(), "nil map")

			w = httptest.NewRecorder()
			h.ServeHTTP(w, retry())
			assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, 2, calls, "the retry ran the handler")
		})
	}
}

// TestCallbackHandlerOncePerMessage: redeliveries of one result with new
// nonces are one message (keyed on its identity, not its bytes); another
// result is another message.
func TestCallbackHandlerOncePerMessage(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	h := NewCallbackHandler(cbConfig(), func(context.Context, *CallbackEvent) error {
		mu.Lock()
		calls++
		mu.Unlock()
		return nil
	})
	for i, nonce := range []string{"aaaaa1", "aaaaa2", "AAAAA3"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, resigned(nonce, cbNow.Add(time.Duration(i)*time.Second)))
		assert.Equal(t, http.StatusOK, w.Code)
	}
	assert.Equal(t, 1, calls, "handled once by the default in-process deduper")

	// The sign check ignores case; an upper-cased sign is the same message.
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signedCallback(cbBody, func(h http.Header) { h.Set("sign", strings.ToUpper(h.Get("sign"))) }))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, 1, calls, "a byte variant of a handled message does not run it again")

	other := `{"code":"JR202510110000001","auditType":"JINRUN_VEHICLE_FEE_AUDIT","businessId":"dt-124","type":"finish","result":"refuse"}`
	w = httptest.NewRecorder()
	h.ServeHTTP(w, signedCallback(other, resignBody(other)))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, 2, calls)
}

// blockingDeduper is a Deduper whose reservation is held by another
// delivery: Reserve reports neither reserved nor done.
type blockingDeduper struct{ reserved, committed, released []string }

func (d *blockingDeduper) Reserve(_ context.Context, key string, _ time.Duration) (bool, bool, error) {
	d.reserved = append(d.reserved, key)
	return false, false, nil
}
func (d *blockingDeduper) Commit(_ context.Context, key string, _ time.Duration) error {
	d.committed = append(d.committed, key)
	return nil
}
func (d *blockingDeduper) Release(_ context.Context, key string) error {
	d.released = append(d.released, key)
	return nil
}

// TestCallbackHandlerInFlight: a redelivery while the first delivery is
// being handled gets a retryable 503, never 200; the key is namespaced.
func TestCallbackHandlerInFlight(t *testing.T) {
	d := &blockingDeduper{}
	called := false
	h := NewCallbackHandler(cbConfig(), func(context.Context, *CallbackEvent) error { called = true; return nil }, WithDeduper(d))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signedCallback(cbBody, nil))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.False(t, called)
	require.Len(t, d.reserved, 1)
	assert.Regexp(t, `^zeyi:`+cbKey+`:[0-9a-f]{32}$`, d.reserved[0])
}

// recordingDeduper records commits and releases around a real store.
type recordingDeduper struct {
	Deduper
	committed, released int
}

func (d *recordingDeduper) Commit(ctx context.Context, key string, ttl time.Duration) error {
	d.committed++
	return d.Deduper.Commit(ctx, key, ttl)
}
func (d *recordingDeduper) Release(ctx context.Context, key string) error {
	d.released++
	return d.Deduper.Release(ctx, key)
}

// TestCallbackHandlerCommitsAfterSuccess: commit only after the handler
// succeeded, release after an error; CallbackConfig.Deduper wins over
// WithDeduper.
func TestCallbackHandlerCommitsAfterSuccess(t *testing.T) {
	d := &recordingDeduper{Deduper: NewMemoryDeduper()}
	unused := &blockingDeduper{}
	cfg := cbConfig()
	cfg.Deduper = d
	fail := true
	h := NewCallbackHandler(cfg, func(context.Context, *CallbackEvent) error {
		if fail {
			return errors.New("later")
		}
		assert.Zero(t, d.committed, "not committed before the handler returned")
		return nil
	}, WithDeduper(unused))
	h.ServeHTTP(httptest.NewRecorder(), signedCallback(cbBody, nil))
	assert.Equal(t, 0, d.committed)
	assert.Equal(t, 1, d.released)
	fail = false
	h.ServeHTTP(httptest.NewRecorder(), signedCallback(cbBody, nil))
	assert.Equal(t, 1, d.committed)
	assert.Empty(t, unused.reserved)
}

// TestCallbackHandlerMisconfigured: a nil func or an invalid option
// answers 500 instead of panicking.
func TestCallbackHandlerMisconfigured(t *testing.T) {
	for name, h := range map[string]http.Handler{
		"nil func":    NewCallbackHandler(cbConfig(), nil),
		"nil deduper": NewCallbackHandler(cbConfig(), func(context.Context, *CallbackEvent) error { return nil }, WithDeduper(nil)),
		"no secret":   NewCallbackHandler(CallbackConfig{AppKey: cbKey, AppSecret: "  "}, func(context.Context, *CallbackEvent) error { return nil }),
	} {
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			assert.NotPanics(t, func() { h.ServeHTTP(w, signedCallback(cbBody, nil)) })
			assert.Equal(t, http.StatusInternalServerError, w.Code)
		})
	}
}

// TestCallbackHandlerClockOption: WithClock sets the window's now.
func TestCallbackHandlerClockOption(t *testing.T) {
	cfg := cbConfig()
	cfg.Now = nil
	ok := func(context.Context, *CallbackEvent) error { return nil }
	w := httptest.NewRecorder()
	NewCallbackHandler(cfg, ok).ServeHTTP(w, signedCallback(cbBody, nil))
	assert.Equal(t, http.StatusUnauthorized, w.Code, "2022's timestamp is stale today")
	w = httptest.NewRecorder()
	NewCallbackHandler(cfg, ok, WithClock(func() time.Time { return cbNow })).ServeHTTP(w, signedCallback(cbBody, nil))
	assert.Equal(t, http.StatusOK, w.Code)
}

func TestCallbackStatus(t *testing.T) {
	assert.Equal(t, 200, CallbackStatus(nil))
	for err, want := range map[error]int{ErrSignature: 401, ErrStale: 401, ErrReplay: 409, ErrTooLarge: 413, ErrMalformed: 400, ErrDecrypt: 400} {
		assert.Equal(t, want, CallbackStatus(err), "%v", err)
	}
	_, err := ParseCallback(httptest.NewRequest(http.MethodPut, "/cb", nil), cbConfig())
	assert.Equal(t, 405, CallbackStatus(err))
}

// TestCallbackHandlerLogsPanicRedacted: a panic is logged through
// WithLogger, with the callback secrets masked.
func TestCallbackHandlerLogsPanicRedacted(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	h := NewCallbackHandler(cbConfig(), func(context.Context, *CallbackEvent) error {
		panic("cannot connect with " + cbSecret + " / " + cbToken)
	}, WithLogger(logger))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, signedCallback(cbBody, nil))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, logs.String(), "panicked")
	assert.NotContains(t, logs.String(), cbSecret)
	assert.NotContains(t, logs.String(), cbToken)
	assert.NotContains(t, w.Body.String(), cbSecret)
}
