package qiyuesuo

import (
	"errors"

	"github.com/hetong-go/hetong/internal/errfmt"

	"github.com/hetong-go/hetong/internal/transport"
)

// Response codes (响应码) the SDK knows by name. The platform reports
// either a numeric code (e.g. 442) or an 8-digit responseCode; [IsCode]
// matches both.
const (
	// CodeOK is the responseCode of a successful call.
	CodeOK = "00000000"
	// CodeInvalidParameter: 无效的参数 (bad format, missing required, out of range, wrong type).
	CodeInvalidParameter = "11990005"
	// CodeNotYourTurn: 未轮到签署 (another action must finish first).
	CodeNotYourTurn = "11011107"
	// CodeContractNotFound: 合同不存在.
	CodeContractNotFound = "11101003"
	// CodeInvalidContractStatus: 无效的合同状态.
	CodeInvalidContractStatus = "11011101"
	// CodePermissionMismatch: 权限不匹配.
	CodePermissionMismatch = "14990002"
	// CodeAuthFailed is the code (and HTTP status) of a rejected signature,
	// timestamp or nonce.
	CodeAuthFailed = "441"
	// CodeInvalidToken is the code (and HTTP status) of an unknown App Token.
	CodeInvalidToken = "442"
	// CodeRequestFailed is the generic 4-digit failure code.
	CodeRequestFailed = "1001"
)

// ErrInvalidRequest is wrapped by every error about a request that was
// refused before anything was sent (a missing or conflicting field), and
// by NewClient's errors about the Config and options.
var ErrInvalidRequest = errfmt.ErrInvalidRequest

// Error is a failed call. API errors carry the platform's Code and/or
// ResponseCode and Message; transport failures (timeouts, refused
// connections, HTML error pages) carry a Message and unwrap to the
// transport error, so errors.Is(err, context.DeadlineExceeded) works.
// Validation errors (nothing was sent) unwrap to [ErrInvalidRequest].
// Error() never contains a credential.
type Error struct {
	// Op is the call that failed: the method name, e.g. "ContractDraft".
	Op string
	// Code is the numeric code field as decimal text, e.g. "442" ("" when absent or 0).
	Code string
	// ResponseCode is the 8-digit responseCode field ("" when absent).
	ResponseCode string
	// Message is the platform's message or a description of the failure.
	Message string
	// RequestID is the platform's request id when it sent one.
	RequestID string
	// HTTPStatus is the response status (0 when no response arrived).
	HTTPStatus int
	// Err is the cause: a transport failure or [ErrInvalidRequest].
	Err error
}

// Error reads "qiyuesuo: <Op>: <message> (code …, request …, HTTP …)",
// each parenthesised part only when known.
func (e *Error) Error() string {
	code := e.ResponseCode
	if code == "" {
		code = e.Code
	}
	return errfmt.Format("qiyuesuo", e.Op, e.Message, code, e.RequestID, e.HTTPStatus)
}

// GoString keeps %#v as redacted as Error().
func (e *Error) GoString() string { return e.Error() }

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// IsCode reports whether err is an [*Error] whose ResponseCode or numeric
// Code equals code, e.g. IsCode(err, CodeContractNotFound) or
// IsCode(err, CodeInvalidToken).
func IsCode(err error, code string) bool {
	var e *Error
	if !errors.As(err, &e) || code == "" {
		return false
	}
	return e.ResponseCode == code || e.Code == code
}

// invalidErr is a request refused before sending.
func invalidErr(op, msg string, causes ...error) *Error {
	return &Error{Op: op, Message: msg, Err: errors.Join(append([]error{ErrInvalidRequest}, causes...)...)}
}

// wrapErr turns whatever the transport returned into an *Error of op.
func (c *Client) wrapErr(op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		e.Op = op
		return e
	}
	var te *transport.Error
	if errors.As(err, &te) {
		return &Error{Op: op, HTTPStatus: te.StatusCode, Message: c.tc.Redactor().String(errfmt.Describe(te)), Err: te}
	}
	return &Error{Op: op, Message: c.tc.Redactor().String(err.Error()), Err: err}
}
