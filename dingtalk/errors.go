package dingtalk

import (
	"errors"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/transport"
)

// Error codes the SDK acts on. Old-API codes are errcode values written as
// decimal text; new-API codes are the "code" strings.
const (
	CodeSystemBusy            = "-1"                    // 系统繁忙: retried
	CodeAuthFailed            = "88"                    // look at SubCode (40014: bad token)
	CodeMissingParameter      = "40035"                 // 缺少参数
	CodeInvalidToken          = "40014"                 // 不合法的access_token: token refreshed, call retried once
	CodeExpiredToken          = "42001"                 // access_token超时: token refreshed, call retried once
	CodeBadAppKeyOrSecret     = "40096"                 // 不合法的appKey或appSecret
	CodeRateLimitGlobal       = "90002"                 // API-wide limit: retried with backoff
	CodeRateLimitApp          = "90018"                 // per-app QPS limit: retried with backoff
	CodeRateLimitISV          = "90019"                 // third-party app QPS limit: retried with backoff
	CodeInvalidAuthentication = "InvalidAuthentication" // new API bad token: refreshed, retried once
)

// Error is every failure a [Client] method returns for a call that went on
// the wire. Old-API failures carry errcode as Code (decimal text, e.g.
// "40014") and sub_code as SubCode; new-API failures carry the code string
// (e.g. "InvalidAuthentication") and the HTTP status. A transport failure
// (no answer, a timeout, an HTML page) has an empty Code, a Message saying
// what happened, and Err set to the cause, so errors.Is(err,
// context.DeadlineExceeded) still works.
type Error struct {
	Op         string // the API path, e.g. "/topapi/processinstance/get"
	Code       string // errcode ("88") or new-API code ("InvalidAuthentication")
	SubCode    string // sub_code when errcode is 88
	Message    string // errmsg / message / sub_msg, or what went wrong
	RequestID  string // request_id / requestid when the platform sent one
	HTTPStatus int
	Err        error

	red *redact.Redactor
}

// Error reads "dingtalk: <Op>: <message> (code …, request …, HTTP …)",
// each parenthesised part only when known; old-API failures add the
// sub_code after the code. Secrets (tokens, the app secret) are masked.
func (e *Error) Error() string {
	msg, code := e.Message, e.Code
	var te *transport.Error
	if e.Code == "" && errors.As(e.Err, &te) {
		msg = errfmt.Describe(e.Err) // says what happened, with the redacted URL and an excerpt
	} else if e.Code == "" && e.Err != nil && !errors.Is(e.Err, ErrInvalidRequest) {
		msg += ": " + e.Err.Error()
	}
	if e.SubCode != "" {
		code += ", sub_code " + e.SubCode
	}
	return e.red.String(errfmt.Format("dingtalk", e.Op, msg, code, e.RequestID, e.HTTPStatus))
}

// GoString makes %#v print the redacted message, as Error does.
func (e *Error) GoString() string { return e.Error() }

// Unwrap returns the cause (a *transport error, a context error), if any.
func (e *Error) Unwrap() error { return e.Err }

// IsCode reports whether err is (or wraps) an [*Error] whose Code or
// SubCode equals code, e.g. IsCode(err, CodeInvalidToken).
func IsCode(err error, code string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == code || (e.SubCode != "" && e.SubCode == code)
}

// isAuthError reports the codes that mean "this token is no good": the
// token is invalidated and the call retried once.
func isAuthError(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case CodeInvalidToken, CodeExpiredToken, CodeInvalidAuthentication:
		return true
	case CodeAuthFailed:
		return e.SubCode == CodeInvalidToken || e.SubCode == CodeExpiredToken
	}
	return false
}

// wrapErr turns whatever a call returned into an *Error: platform errors
// pass through (with op and redactor filled), transport failures are
// wrapped with a message saying what happened.
func (c *Client) wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		// A token fetch error is shared by every caller that waited for the
		// fetch; it was completed where it was made, so only fill what is
		// missing and never write to a finished error.
		if e.Op == "" {
			e.Op = op
		}
		if e.red == nil {
			e.red = c.tc.Redactor()
		}
		return err
	}
	out := &Error{Op: op, Message: "request failed", Err: err, red: c.tc.Redactor()}
	var te *transport.Error
	if errors.As(err, &te) {
		out.HTTPStatus = te.StatusCode
		out.Message = te.Kind.String()
		if te.Kind == transport.KindNotJSON {
			out.Message = "response is not JSON (an HTML block page or a proxy's error page)"
		}
	}
	return out
}
