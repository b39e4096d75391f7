package qiyuesuo

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

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
// refused before anything was sent (a missing or conflicting field).
var ErrInvalidRequest = errors.New("qiyuesuo: invalid request")

// Error is a failed call. API errors carry the platform's Code and/or
// ResponseCode and Message; transport failures (timeouts, refused
// connections, HTML error pages) carry a Message and unwrap to the
// transport error, so errors.Is(err, context.DeadlineExceeded) works.
// Error() never contains a credential.
type Error struct {
	// Code is the numeric code field (0 when absent).
	Code int
	// ResponseCode is the 8-digit responseCode field ("" when absent).
	ResponseCode string
	// Message is the platform's message or a description of the failure.
	Message string
	// RequestID is the platform's request id when it sent one.
	RequestID string
	// HTTPStatus is the response status (0 when no response arrived).
	HTTPStatus int
	// Err is the cause of a transport failure.
	Err error
}

// Error describes the failure without any credential.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("qiyuesuo: ")
	if e.Code != 0 || e.ResponseCode != "" {
		b.WriteString("error")
		if e.Code != 0 {
			fmt.Fprintf(&b, " code %d", e.Code)
		}
		if e.ResponseCode != "" {
			fmt.Fprintf(&b, " responseCode %s", e.ResponseCode)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.HTTPStatus != 0 && e.Err == nil {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	return b.String()
}

// Unwrap returns the transport cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// IsCode reports whether err is an [*Error] whose ResponseCode or numeric
// Code equals code, e.g. IsCode(err, CodeContractNotFound) or
// IsCode(err, CodeInvalidToken).
func IsCode(err error, code string) bool {
	var e *Error
	if !errors.As(err, &e) || code == "" {
		return false
	}
	return e.ResponseCode == code || (e.Code != 0 && strconv.Itoa(e.Code) == code)
}

// fieldError names the request field that was refused before sending.
type fieldError struct {
	field, msg string
	err        error // an extra cause, e.g. ErrFileTooLarge
}

func (e *fieldError) Error() string { return "qiyuesuo: " + e.field + ": " + e.msg }

func (e *fieldError) Unwrap() []error {
	if e.err != nil {
		return []error{ErrInvalidRequest, e.err}
	}
	return []error{ErrInvalidRequest}
}

func invalid(field, msg string) error { return &fieldError{field: field, msg: msg} }

// wrapErr turns whatever the transport returned into an *Error.
func (c *Client) wrapErr(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var te *transport.Error
	if errors.As(err, &te) {
		return &Error{HTTPStatus: te.StatusCode, Message: te.Error(), Err: te}
	}
	return &Error{Message: c.tc.Redactor().String(err.Error()), Err: err}
}
