// Package callback is the plumbing every platform's inbound callback needs:
// a bounded body read that leaves the request readable, constant-time
// comparison, a timestamp window, the shared sentinels and their HTTP
// statuses, the reserve / commit / release dedup contract, and an
// http.Handler skeleton that runs the user's func once per message,
// survives its panics, and acknowledges only after it succeeded.
package callback

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hetong-go/hetong/internal/aesx"
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

// The sentinels every platform package re-exports, so that one errors.Is
// works on what any package's ParseCallback returns.
var (
	// ErrTooLarge: the body is larger than the configured limit (413).
	ErrTooLarge = errors.New("callback body too large")
	// ErrSignature: the signature is missing or does not match (401).
	ErrSignature = errors.New("callback signature mismatch")
	// ErrStale: the timestamp is outside the allowed window (401).
	ErrStale = errors.New("callback timestamp outside the allowed window")
	// ErrReplay: the message was seen before, or is being handled by another
	// delivery right now (409, or 503 while in flight).
	ErrReplay = errors.New("callback replayed")
	// ErrDecrypt: the payload cannot be decrypted (400). It is aesx.ErrDecrypt.
	ErrDecrypt = aesx.ErrDecrypt
	// ErrMalformed: the request is not a well-formed callback: wrong method,
	// bad encoding, missing fields, JSON that does not parse (400).
	ErrMalformed = errors.New("malformed callback")
)

// Malformed returns a 400 *Error wrapping ErrMalformed (and cause, when given).
func Malformed(reason string, cause error) *Error {
	return &Error{Status: http.StatusBadRequest, Reason: reason, Err: joinCause(ErrMalformed, cause)}
}

// Undecryptable returns a 400 *Error wrapping ErrDecrypt.
func Undecryptable() *Error {
	return &Error{Status: http.StatusBadRequest, Reason: "cannot decrypt", Err: ErrDecrypt}
}

// MethodNotAllowed returns a 405 *Error wrapping ErrMalformed for a
// callback that did not arrive as POST.
func MethodNotAllowed(method string) *Error {
	return &Error{Status: http.StatusMethodNotAllowed, Reason: "method " + method + " not allowed; want POST", Err: ErrMalformed}
}

func joinCause(sentinel, cause error) error {
	if cause == nil || errors.Is(cause, sentinel) {
		if cause == nil {
			return sentinel
		}
		return cause
	}
	return fmt.Errorf("%w: %w", sentinel, cause)
}

// StatusOf returns the HTTP status a callback handler answers for err: the
// status of an *Error, else by sentinel (413 ErrTooLarge, 401 ErrSignature
// and ErrStale, 409 ErrReplay, 400 ErrDecrypt and ErrMalformed), 200 for
// nil, and 400 for any other error from parsing.
func StatusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	var ce *Error
	if errors.As(err, &ce) && ce.Status != 0 {
		return ce.Status
	}
	switch {
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrSignature), errors.Is(err, ErrStale):
		return http.StatusUnauthorized
	case errors.Is(err, ErrReplay):
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

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
