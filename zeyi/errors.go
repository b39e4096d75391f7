package zeyi

import (
	"errors"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/transport"
)

// ErrInvalidRequest is wrapped by every error about input refused before
// anything was sent: a missing field, a bad Config or option.
var ErrInvalidRequest = errfmt.ErrInvalidRequest

// Error is every failure a Client method returns. It reads
// "zeyi: <Op>: <message> (code …, request …, HTTP …)", each parenthesised
// part only when known, and never contains a secret.
//
// Gateway answers with success=false (a system error, 系统异常) or
// businessException=true (a business error, 业务异常) carry the gateway's
// errorCode and message; transport failures (refused, timeout, HTML proxy
// page, ...) describe what happened in Message and keep the cause in Err,
// so errors.Is(err, context.DeadlineExceeded) works. Input refused before
// sending wraps [ErrInvalidRequest] and names the field in Message.
type Error struct {
	// Op names the call, e.g. "audit/send", or "NewClient".
	Op string
	// Code is the gateway's errorCode (undocumented values; often empty).
	Code string
	// Message is the gateway's message, a description of a transport
	// failure, or "<Field>: <rule>" for refused input. It is redacted.
	Message string
	// RequestID is the X-Request-Id response header when the gateway sends
	// one (the doc defines none).
	RequestID string
	// HTTPStatus is the HTTP status of the answer, 0 when none arrived.
	HTTPStatus int
	// Err is the cause: a transport failure, a JSON error, or
	// ErrInvalidRequest.
	Err error
	// Business reports businessException=true: the gateway understood the
	// request and refused it (e.g. a code that already has an approval).
	Business bool
	// System reports success=false without a business exception.
	System bool
}

// Error implements error. It never contains a secret.
func (e *Error) Error() string {
	status := e.HTTPStatus
	var te *transport.Error
	if e.Code == "" && errors.As(e.Err, &te) && te.StatusCode == status {
		status = 0 // the transport's description already names it
	}
	return errfmt.Format("zeyi", e.Op, e.Message, e.Code, e.RequestID, status)
}

// GoString makes %#v show the redacted Error() text, never the fields.
func (e *Error) GoString() string { return "&zeyi.Error{" + e.Error() + "}" }

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

// invalid is the error for input refused before sending.
func invalid(op, msg string) *Error { return &Error{Op: op, Message: msg, Err: ErrInvalidRequest} }

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
	return &Error{Op: op, Message: errfmt.Describe(err), HTTPStatus: errfmt.Status(err), Err: err}
}
