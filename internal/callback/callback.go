// Package callback is the plumbing every platform's inbound callback needs:
// a bounded body read that leaves the request readable, constant-time
// comparison, a timestamp window, a replay (dedup) hook, and an
// http.Handler skeleton that acknowledges only after the user's func
// succeeded.
package callback

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultMaxBody is the body limit when a platform's config sets none.
const DefaultMaxBody = 1 << 20

// Error is a rejected callback. Status is the 4xx (or 5xx) to answer with;
// Reason is safe to show and never contains secrets or which byte of a
// signature differed.
type Error struct {
	Status int
	Reason string
	Err    error
}

// Error gives the reason the callback was rejected.
func (e *Error) Error() string {
	if e.Err != nil && e.Reason == "" {
		return "callback rejected: " + e.Err.Error()
	}
	return "callback rejected: " + e.Reason
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Reject returns an *Error with the given status and reason.
func Reject(status int, reason string) *Error { return &Error{Status: status, Reason: reason} }

// Sentinel causes callers can test with errors.Is.
var (
	ErrTooLarge  = errors.New("callback body too large")
	ErrSignature = errors.New("callback signature mismatch")
	ErrStale     = errors.New("callback timestamp outside the allowed window")
	ErrReplay    = errors.New("callback replayed")
)

// ReadBody reads at most limit bytes (DefaultMaxBody when limit <= 0) and
// replaces r.Body so the body can be read again. A larger body is an
// *Error with status 413.
func ReadBody(r *http.Request, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	if r == nil || r.Body == nil {
		return nil, Reject(http.StatusBadRequest, "empty request")
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	r.Body.Close()
	if err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Reason: "cannot read body", Err: err}
	}
	if int64(len(b)) > limit {
		return nil, &Error{Status: http.StatusRequestEntityTooLarge, Reason: fmt.Sprintf("body larger than %d bytes", limit), Err: ErrTooLarge}
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// Equal compares two strings in constant time (for equal lengths).
func Equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// EqualFold is Equal for hex digests that may arrive in either case.
func EqualFold(a, b string) bool { return Equal(lowerASCII(a), lowerASCII(b)) }

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// CheckSignature returns a 401 *Error wrapping ErrSignature unless got equals want.
func CheckSignature(got, want string) error {
	if got == "" || !EqualFold(got, want) {
		return &Error{Status: http.StatusUnauthorized, Reason: "signature mismatch", Err: ErrSignature}
	}
	return nil
}

// CheckWindow returns a 401 *Error wrapping ErrStale when ts is more than
// window away from now. A window <= 0 disables the check.
func CheckWindow(ts, now time.Time, window time.Duration) error {
	if window <= 0 {
		return nil
	}
	d := now.Sub(ts)
	if d < 0 {
		d = -d
	}
	if d > window {
		return &Error{Status: http.StatusUnauthorized, Reason: "timestamp outside window", Err: ErrStale}
	}
	return nil
}

// Deduper remembers keys (nonces, message IDs) to refuse replays. Seen
// records key and reports whether it had been recorded within ttl.
// Implementations must be safe for concurrent use.
type Deduper interface {
	Seen(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// MemoryDeduper is an in-process [Deduper] that forgets keys after their ttl.
type MemoryDeduper struct {
	mu   sync.Mutex
	seen map[string]time.Time
	now  func() time.Time
}

// NewMemoryDeduper returns an empty deduper; now may be nil for time.Now.
func NewMemoryDeduper(now func() time.Time) *MemoryDeduper {
	if now == nil {
		now = time.Now
	}
	return &MemoryDeduper{seen: map[string]time.Time{}, now: now}
}

// Seen implements Deduper.
func (d *MemoryDeduper) Seen(_ context.Context, key string, ttl time.Duration) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if len(d.seen) > 4096 {
		for k, exp := range d.seen {
			if now.After(exp) {
				delete(d.seen, k)
			}
		}
	}
	if exp, ok := d.seen[key]; ok && now.Before(exp) {
		return true, nil
	}
	d.seen[key] = now.Add(ttl)
	return false, nil
}

// Forget removes key, so a callback whose handler failed can be accepted
// again when the platform retries it.
func (d *MemoryDeduper) Forget(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.seen, key)
}

// CheckReplay returns a 409 *Error wrapping ErrReplay when d has seen key
// within ttl. A nil d disables the check.
func CheckReplay(ctx context.Context, d Deduper, key string, ttl time.Duration) error {
	if d == nil || key == "" {
		return nil
	}
	seen, err := d.Seen(ctx, key, ttl)
	if err != nil {
		return &Error{Status: http.StatusServiceUnavailable, Reason: "replay store unavailable", Err: err}
	}
	if seen {
		return &Error{Status: http.StatusConflict, Reason: "replayed callback", Err: ErrReplay}
	}
	return nil
}

// Ack is what a handler writes back to the platform.
type Ack struct {
	Status      int
	ContentType string
	Body        []byte
}

// Write sends the acknowledgement.
func (a Ack) Write(w http.ResponseWriter) {
	if a.ContentType != "" {
		w.Header().Set("Content-Type", a.ContentType)
	}
	status := a.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(a.Body)
}

// Handler is the skeleton of every platform's callback handler: parse and
// verify, run the user's func, and acknowledge only when it returned nil.
// A parse error is answered with its *Error status (400 otherwise); a
// handler error with 500 so the platform retries. OnError, when set, sees
// every failure.
type Handler[E any] struct {
	Parse   func(r *http.Request) (E, error)
	Handle  func(ctx context.Context, ev E) error
	Ack     func(ev E) (Ack, error)
	Fail    func(status int, err error) Ack
	OnError func(r *http.Request, err error)
}

// ServeHTTP implements http.Handler.
func (h Handler[E]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev, err := h.Parse(r)
	if err != nil {
		status := http.StatusBadRequest
		var ce *Error
		if errors.As(err, &ce) && ce.Status != 0 {
			status = ce.Status
		}
		h.fail(w, r, status, err)
		return
	}
	if err := h.Handle(r.Context(), ev); err != nil {
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	ack, err := h.Ack(ev)
	if err != nil {
		h.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	ack.Write(w)
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

// Forgetter is a Deduper that can drop a key again.
type Forgetter interface {
	Forget(key string)
}

// Forget drops key from d when d can forget, so that a callback whose
// handler failed is accepted when the platform delivers it again. Handlers
// call it on failure; a Deduper without Forget keeps the key.
func Forget(d Deduper, key string) {
	if f, ok := d.(Forgetter); ok && key != "" {
		f.Forget(key)
	}
}
