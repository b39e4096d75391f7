package essbasic

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
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
// platform: an API error from the {"Response":{"Error":...}} envelope, an
// unexpected or non-JSON response, or a transport failure (then Err is the
// *transport.Error and errors.Is(err, context.DeadlineExceeded) works).
// Its text never contains a secret.
type Error struct {
	// Op is the essbasic action that failed, e.g. "CreateSignUrls" (or
	// "DownloadResource").
	Op string
	// Code is the platform's error code, e.g. "ResourceNotFound.Flow";
	// empty for failures without a platform answer.
	Code string
	// Message is the platform's message, or what happened.
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

// Error describes the failure without any secret: code, message, request id.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("essbasic: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	var te *transport.Error
	if e.Code == "" && errors.As(e.Err, &te) {
		return b.String() + te.Error() // it already says what, where and how often
	}
	if e.Code != "" {
		b.WriteString(e.Code + ": ")
	}
	b.WriteString(e.Message)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (RequestId %s)", e.RequestID)
	}
	if e.HTTPStatus != 0 && e.HTTPStatus != 200 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, "; body: %q", e.Excerpt)
	}
	if e.Err != nil && e.Code == "" {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

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

// ErrInvalidRequest is wrapped by every error about a request that was
// refused before anything was sent (a missing field, too many ids, an
// oversize upload).
var ErrInvalidRequest = errors.New("invalid request")

type fieldError struct {
	path, problem string
}

func (e *fieldError) Error() string { return "essbasic: " + e.path + ": " + e.problem }
func (e *fieldError) Unwrap() error { return ErrInvalidRequest }

func missing(path string) error { return &fieldError{path, "required"} }

func errNilRequest(typ string) error { return &fieldError{typ, "must not be nil"} }

// checkLen enforces a documented list bound; max 0 means unbounded.
func checkLen(path string, n, min, max int) error {
	if n < min {
		return &fieldError{path, fmt.Sprintf("needs at least %d item(s), got %d", min, n)}
	}
	if max > 0 && n > max {
		return &fieldError{path, fmt.Sprintf("at most %d items, got %d", max, n)}
	}
	return nil
}
