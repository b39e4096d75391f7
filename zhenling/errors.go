package zhenling

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// Error is every failure a call returns once something went on the wire:
//   - an HZERO gateway error {failed, code, message, type};
//   - an OAuth2 error {error, error_description} (Code "invalid_token", ...);
//   - a HITF envelope with success=false, or a result whose code/errcode is
//     not "0" (Code is that business code, a string);
//   - a transport failure (HTTPStatus 0 or the status seen, Message says
//     what happened, Err is the *transport.Error, so errors.Is(err,
//     context.DeadlineExceeded) works);
//   - a body that is not JSON (an HTML proxy page, a 502 text), with a
//     bounded excerpt in Raw.
//
// Error strings are redacted: no token or client secret appears in them.
type Error struct {
	Code       string // platform code: business code, HZERO code or OAuth error
	Message    string // platform message (msg / errmsg / message / error_description)
	RequestID  string // gateway request id header, when one was sent
	HTTPStatus int    // HTTP status; 0 when no response arrived
	Type       string // HZERO severity ("warn", "error"), when given
	Op         string // operation name, e.g. "3.24"
	Raw        string // bounded, redacted excerpt of the response body
	Err        error  // the cause, e.g. a *transport.Error
}

// Error returns a redacted, one-line description.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("zhenling: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	switch {
	case e.Code != "" && e.Message != "":
		fmt.Fprintf(&b, "%s: %s", e.Code, e.Message)
	case e.Code != "":
		b.WriteString(e.Code)
	case e.Message != "":
		b.WriteString(e.Message)
	default:
		b.WriteString("call failed")
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	} else if e.Raw != "" {
		fmt.Fprintf(&b, "; body: %q", e.Raw)
	}
	return b.String()
}

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
		return err
	}
	e := &Error{Op: op, HTTPStatus: te.StatusCode, Message: te.Kind.String(), Err: te}
	if te.Kind == transport.KindNotJSON {
		e.Message = "response is not JSON (a proxy or gateway page?)"
	}
	return e
}

func excerpt(b []byte) string { return transport.Excerpt(b) }
