package zhenling

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/transport"
)

// ErrInvalidRequest is wrapped by every error about input refused before
// anything was sent: a missing field, a bad Config, an invalid option.
var ErrInvalidRequest = errfmt.ErrInvalidRequest

// Error is every failure a call returns:
//   - input refused before sending (Err is [ErrInvalidRequest], Message
//     "<Field>: <rule>");
//   - an HZERO gateway error {failed, code, message, type};
//   - an OAuth2 error {error, error_description} (Code "invalid_token", ...);
//   - a HITF envelope with success=false, or a result whose code/errcode is
//     not "0" (Code is that business code, a string);
//   - a transport failure (HTTPStatus 0 or the status seen, Message says
//     what happened, Err is the cause, so errors.Is(err,
//     context.DeadlineExceeded) works);
//   - a body that is not JSON (an HTML proxy page, a 502 text), or an
//     answer without the data the call must return, with a bounded excerpt
//     in Raw.
//
// Error() reads "zhenling: <Op>: <message> (code …, request …, HTTP …)".
// Error strings are redacted: no token or client secret appears in them.
type Error struct {
	Op         string // operation name, e.g. "3.24", or "NewClient"
	Code       string // platform code: business code, HZERO code or OAuth error
	Message    string // platform message (msg / errmsg / message / error_description)
	RequestID  string // gateway request id header, when one was sent
	HTTPStatus int    // HTTP status; 0 when no response arrived
	Type       string // HZERO severity ("warn", "error"), when given
	Raw        string // bounded, redacted excerpt of the response body
	Err        error  // the cause, e.g. ErrInvalidRequest or a transport failure
}

// Error returns a redacted, one-line description.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = errfmt.Describe(e.Err)
	}
	if msg == "" {
		msg = "call failed"
	}
	return errfmt.Format("zhenling", e.Op, msg, e.Code, e.RequestID, e.HTTPStatus)
}

// GoString keeps %#v as redacted as Error().
func (e *Error) GoString() string { return fmt.Sprintf("&zhenling.Error{%q}", e.Error()) }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// IsCode reports whether err is (or wraps) an *Error with the given code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// IsAuthError reports whether err says the access token was rejected
// (HTTP 401 or OAuth2 invalid_token).
func IsAuthError(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.HTTPStatus == 401 || e.Code == "invalid_token"
}

// required is the rule for a missing value.
const required = errfmt.Required

// invalid is input refused before anything was sent: Message
// "<field>: <rule>". The caller's operation is filled in by withOp.
func invalid(field, rule string) *Error {
	return &Error{Message: errfmt.Field(field, rule), Err: ErrInvalidRequest}
}

// invalidf is invalid with a formatted rule.
func invalidf(field, format string, args ...any) *Error {
	return invalid(field, fmt.Sprintf(format, args...))
}

// withOp names op in an *Error that has no operation yet.
func withOp(op string, err error) error {
	if err == nil {
		return nil
	}
	var ze *Error
	if errors.As(err, &ze) && ze.Op == "" {
		ze.Op = op
	}
	return err
}

// wrapErr makes err an *Error (a transport failure is wrapped) and
// redacts the platform text it carries.
func (c *Client) wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var ze *Error
	if errors.As(err, &ze) {
		if ze.Op == "" {
			ze.Op = op
		}
		red := c.t.Redactor()
		ze.Raw, ze.Message, ze.Code = red.String(ze.Raw), red.String(ze.Message), red.String(ze.Code)
		return ze
	}
	var te *transport.Error
	if !errors.As(err, &te) {
		return &Error{Op: op, Message: c.t.Redactor().String(strings.TrimPrefix(err.Error(), "zhenling: ")), Err: err}
	}
	e := &Error{Op: op, HTTPStatus: te.StatusCode, Message: c.t.Redactor().String(describe(te)), Raw: c.t.Redactor().String(te.Excerpt), Err: te}
	switch {
	case te.Kind == transport.KindNotJSON:
		e.Message = "response is not JSON (a proxy or gateway page?)"
	case errors.Is(te, errNoData):
		e.Message = errNoData.Error()
	}
	return e
}

// describe says what a transport failure was, without the HTTP status
// and body excerpt that the *Error shows in its own fields.
func describe(te *transport.Error) string {
	var b strings.Builder
	if te.Method != "" {
		b.WriteString(te.Method + " " + te.URL + ": ")
	}
	b.WriteString(te.Kind.String())
	if te.Err != nil {
		fmt.Fprintf(&b, ": %v", te.Err)
	}
	if te.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", te.Attempts)
	}
	return b.String()
}

func excerpt(b []byte) string { return transport.Excerpt(b) }
