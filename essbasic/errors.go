package essbasic

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/errfmt"
)

// Common (platform-wide) error codes that every Tencent Cloud API may
// return; the business codes of essbasic are the generated Code*
// constants.
const (
	// CodeAuthFailureInvalidAuthorization: the Authorization header is malformed.
	CodeAuthFailureInvalidAuthorization = "AuthFailure.InvalidAuthorization"
	// CodeAuthFailureInvalidSecretID: the SecretId is not valid.
	CodeAuthFailureInvalidSecretID = "AuthFailure.InvalidSecretId"
	// CodeAuthFailureSecretIDNotFound: no such SecretId.
	CodeAuthFailureSecretIDNotFound = "AuthFailure.SecretIdNotFound"
	// CodeAuthFailureSignatureExpire: the timestamp is more than 5 minutes off (clock skew).
	CodeAuthFailureSignatureExpire = "AuthFailure.SignatureExpire"
	// CodeAuthFailureSignatureFailure: the signature does not match.
	CodeAuthFailureSignatureFailure = "AuthFailure.SignatureFailure"
	// CodeAuthFailureTokenFailure: the STS token is invalid.
	CodeAuthFailureTokenFailure = "AuthFailure.TokenFailure"
	// CodeAuthFailureUnauthorizedOperation: the key may not call this action.
	CodeAuthFailureUnauthorizedOperation = "AuthFailure.UnauthorizedOperation"
	// CodeActionOffline: the action has been taken offline.
	CodeActionOffline = "ActionOffline"
	// CodeInvalidAction: no such action.
	CodeInvalidAction = "InvalidAction"
	// CodeNoSuchVersion: no such API version.
	CodeNoSuchVersion = "NoSuchVersion"
	// CodeRequestLimitExceeded: over the rate limit (20/s per action); retried.
	CodeRequestLimitExceeded = "RequestLimitExceeded"
	// CodeResourceInUse: the resource is in use.
	CodeResourceInUse = "ResourceInUse"
)

// Error is every failure of a call that reached (or tried to reach) the
// platform — an API error from the {"Response":{"Error":...}} envelope, an
// unexpected or non-JSON response, a transport failure (then Err is the
// cause and errors.Is(err, context.DeadlineExceeded) works) — and every
// request refused before sending (then Err is [ErrInvalidRequest]).
// Its text, in every fmt verb, never contains a secret.
type Error struct {
	// Op is the essbasic action that failed, e.g. "CreateSignUrls", or the
	// SDK operation ("NewClient", "DownloadResource").
	Op string
	// Code is the platform's error code, e.g. "ResourceNotFound.Flow";
	// empty for failures without a platform answer.
	Code string
	// Message is the platform's message, or what happened. For input
	// refused before sending it reads "<Field>: <rule>".
	Message string
	// RequestID is the platform's RequestId, when one came back.
	RequestID string
	// HTTPStatus is the response status (0 when no response arrived).
	HTTPStatus int
	// Excerpt is a bounded, redacted excerpt of an unexpected body.
	Excerpt string
	// Err is the cause, if any.
	Err error
}

// Error reads "essbasic: <Op>: <message> (code …, request …, HTTP …)", each
// parenthesised part only when known.
func (e *Error) Error() string {
	msg := e.Message
	if e.Excerpt != "" {
		msg += fmt.Sprintf("; body: %q", e.Excerpt)
	}
	return errfmt.Format("essbasic", e.Op, msg, e.Code, e.RequestID, e.HTTPStatus)
}

// GoString makes %#v print the same redacted text as Error.
func (e *Error) GoString() string { return "&essbasic.Error{" + strconv.Quote(e.Error()) + "}" }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// IsCode reports whether err is an *Error whose Code is code or lies below
// it in the dotted hierarchy: IsCode(err, "AuthFailure") matches
// "AuthFailure.SignatureFailure".
func IsCode(err error, code string) bool {
	var e *Error
	if !errors.As(err, &e) || e.Code == "" || code == "" {
		return false
	}
	return e.Code == code || strings.HasPrefix(e.Code, code+".")
}

// ErrInvalidRequest is wrapped by every error about input refused before
// anything was sent (a missing field, too many ids, an oversize upload, a
// bad Config). It is the same value in every package of the SDK.
var ErrInvalidRequest = errfmt.ErrInvalidRequest

// invalid is the error for input refused before sending: Message is
// "<field>: <rule>" in the SDK's shared words; the caller sets Op.
func invalid(field, rule string) *Error {
	return &Error{Message: errfmt.Field(field, rule), Err: ErrInvalidRequest}
}

// withOp names the operation of an error that does not say it yet.
func withOp(op string, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Op == "" {
		e.Op = op
	}
	return err
}

// under prefixes the field path of a refused-input error with its parent's
// ("Agent" + "AppId" → "Agent.AppId"; "FlowInfos[1]" + "FlowName"), so that
// validators build paths only when something is wrong.
func under(parent string, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Err == ErrInvalidRequest {
		sep := "."
		if strings.HasPrefix(e.Message, "[") {
			sep = ""
		}
		e.Message = parent + sep + e.Message
	}
	return err
}

func missing(path string) error { return invalid(path, errfmt.Required) }

func errNilRequest(typ string) error { return invalid(typ, errfmt.Required) }

// checkLen enforces a documented list bound; max 0 means unbounded.
func checkLen(path string, n, min, max int) error {
	if n < min {
		if min == 1 {
			return missing(path)
		}
		return invalid(path, errfmt.AtLeastItems(min))
	}
	if max > 0 && n > max {
		return invalid(path, errfmt.AtMostItems(max))
	}
	return nil
}
