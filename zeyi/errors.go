package zeyi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// Error is every failure a Client method returns for a call that went on
// the wire. Gateway answers with success=false (a system error, 系统异常)
// or businessException=true (a business error, 业务异常) carry the
// gateway's errorCode and message; transport failures (refused, timeout,
// HTML proxy page, ...) carry what happened in Message and the cause in
// Err, so errors.Is(err, context.DeadlineExceeded) still works.
type Error struct {
	// Code is the gateway's errorCode (undocumented values; often empty).
	Code string
	// Message is the gateway's message, or a description of a transport
	// failure. It is redacted.
	Message string
	// Business reports businessException=true: the gateway understood the
	// request and refused it (e.g. a code that already has an approval).
	Business bool
	// System reports success=false without a business exception.
	System bool
	// RequestID is the X-Request-Id response header when the gateway sends
	// one (the doc defines none).
	RequestID string
	// HTTPStatus is the HTTP status of the answer, 0 when none arrived.
	HTTPStatus int
	// Op names the call, e.g. "audit/send".
	Op string
	// Err is the cause: a *transport.Error for transport failures.
	Err error
}

// Error implements error. It never contains a secret.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("zeyi: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	if !e.Business && !e.System && e.Code == "" && e.Err != nil {
		b.WriteString(e.Err.Error()) // a transport failure says it best itself
		return b.String()
	}
	switch {
	case e.Business:
		b.WriteString("business error")
	case e.System:
		b.WriteString("system error")
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		if e.Business || e.System || e.Code != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Message)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// IsCode reports whether err is an *Error with the given errorCode.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// IsBusiness reports whether err is a business error (businessException=true).
func IsBusiness(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Business
}

// wrapError turns whatever transport.Client.Do returned into an *Error.
func wrapError(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Op == "" {
			e.Op = op
		}
		return e
	}
	out := &Error{Op: op, Message: "request failed", Err: err}
	var te *transport.Error
	if errors.As(err, &te) {
		out.HTTPStatus = te.StatusCode
		out.Message = te.Kind.String()
	}
	return out
}
