package callback

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// ErrPanic is the cause recorded when a user's handler panicked. The
// message is released and the platform told to retry.
var ErrPanic = errors.New("callback handler panicked")

// Handler is the skeleton of every platform's callback handler:
//
//  1. Parse verifies and decodes the request; a failure is answered with
//     StatusOf(err) and the user's func never runs.
//  2. Key names the message (event id, or its canonical signed fields);
//     the Deduper reserves it. A message handled before is acknowledged
//     again without running the func; one being handled by another
//     delivery right now gets 503, so the platform retries later.
//  3. Handle runs with panics recovered. On success the key is committed
//     and Ack written; on error or panic the key is released and the
//     platform gets a 500 (it retries).
type Handler[E any] struct {
	Parse  func(r *http.Request) (E, error)
	Key    func(ev E) string // "" turns dedup off for that message
	Dedup  Deduper           // nil turns dedup off
	Handle func(ctx context.Context, ev E) error
	Ack    func(ev E) (Ack, error)
	// Fail renders a failure in the platform's format; nil writes text/plain.
	Fail func(status int, err error) Ack
	// OnError, when set, sees every failure.
	OnError func(r *http.Request, err error)
	// Log records panics and dedup store failures (redacted by the caller).
	Log *slog.Logger
	// PendingTTL and DoneTTL default to DefaultPendingTTL and DefaultDoneTTL.
	PendingTTL, DoneTTL time.Duration
}

// ServeHTTP implements http.Handler.
func (h Handler[E]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev, err := h.Parse(r)
	if err != nil {
		h.fail(w, r, StatusOf(err), err)
		return
	}
	ctx := r.Context()
	key := ""
	if h.Dedup != nil && h.Key != nil {
		key = h.Key(ev)
	}
	if key != "" {
		reserved, done, err := h.Dedup.Reserve(ctx, key, orDefault(h.PendingTTL, DefaultPendingTTL))
		switch {
		case err != nil:
			h.fail(w, r, http.StatusServiceUnavailable, &Error{Status: http.StatusServiceUnavailable, Reason: "dedup store unavailable", Err: err})
			return
		case done:
			h.ack(w, r, ev) // handled before: say so again, the platform stops re-pushing
			return
		case !reserved:
			h.fail(w, r, http.StatusServiceUnavailable, &Error{Status: http.StatusServiceUnavailable, Reason: "message is being handled by another delivery", Err: ErrReplay})
			return
		}
	}
	if err := h.run(ctx, ev); err != nil {
		h.release(ctx, key)
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	ack, err := h.Ack(ev)
	if err != nil {
		h.release(ctx, key)
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	if key != "" {
		if err := h.Dedup.Commit(context.WithoutCancel(ctx), key, orDefault(h.DoneTTL, DefaultDoneTTL)); err != nil && h.Log != nil {
			h.Log.LogAttrs(ctx, slog.LevelWarn, "hetong: callback handled but not recorded; a redelivery may run it again",
				slog.String("error", err.Error()))
		}
	}
	ack.Write(w)
}

// run calls the user's func and turns a panic into an error.
func (h Handler[E]) run(ctx context.Context, ev E) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &Error{Status: http.StatusInternalServerError, Reason: "handler panicked", Err: fmt.Errorf("%w: %v", ErrPanic, p)}
			if h.Log != nil {
				h.Log.LogAttrs(ctx, slog.LevelError, "hetong: callback handler panicked; the platform will retry",
					slog.String("panic", fmt.Sprint(p)))
			}
		}
	}()
	return h.Handle(ctx, ev)
}

func (h Handler[E]) ack(w http.ResponseWriter, r *http.Request, ev E) {
	ack, err := h.Ack(ev)
	if err != nil {
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	ack.Write(w)
}

func (h Handler[E]) release(ctx context.Context, key string) {
	if key == "" {
		return
	}
	if err := h.Dedup.Release(context.WithoutCancel(ctx), key); err != nil && h.Log != nil {
		h.Log.LogAttrs(ctx, slog.LevelWarn, "hetong: cannot release callback key; the retry waits for it to expire",
			slog.String("error", err.Error()))
	}
}

func (h Handler[E]) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.OnError != nil {
		h.OnError(r, err)
	}
	if h.Fail != nil {
		h.Fail(status, err).Write(w)
		return
	}
	Ack{Status: status, ContentType: "text/plain; charset=utf-8", Body: []byte(http.StatusText(status))}.Write(w)
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
