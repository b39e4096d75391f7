package zeyi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// envelope is the wrapper of every gateway answer:
// {"success","businessException","errorCode","message","result"}.
// Result holds the caller's pointer, so the answer is decoded in one pass.
type envelope struct {
	Success           *flex.Bool  `json:"success"`
	BusinessException flex.Bool   `json:"businessException"`
	ErrorCode         flex.String `json:"errorCode"`
	Message           flex.String `json:"message"`
	Result            any         `json:"result"`
}

// apiError returns the *Error an envelope stands for, or nil when it
// reports success.
func (env *envelope) apiError(status int, h http.Header, redact func(string) string) *Error {
	ok := env.Success != nil && bool(*env.Success)
	if ok && !bool(env.BusinessException) {
		return nil
	}
	e := &Error{
		Code:       redact(string(env.ErrorCode)),
		Message:    redact(string(env.Message)),
		Business:   bool(env.BusinessException),
		System:     !bool(env.BusinessException),
		RequestID:  h.Get("X-Request-Id"),
		HTTPStatus: status,
	}
	if e.Message == "" {
		e.Message = "system error (success=false)"
		if e.Business {
			e.Message = "business error (businessException=true)"
		}
	}
	return e
}

// call marshals body once, signs and sends those exact bytes to path, and
// decodes the envelope, with its result into out when out is non-nil, in
// one pass. Every failure is an *Error.
func (c *Client) call(ctx context.Context, op, path string, body, out any, idempotent bool) (*transport.Response, error) {
	data, err := marshal(body)
	if err != nil {
		return nil, &Error{Op: op, Message: "cannot encode request: " + err.Error(), Err: err}
	}
	resp, err := c.tc.Do(ctx, &transport.Request{
		Op: op, Method: http.MethodPost, Path: path, ContentType: ContentType, Body: data,
		Idempotent: idempotent, Sign: c.signOutgoing,
		Check: func(r *transport.Response) (transport.Verdict, error) { return c.check(r, out) },
	})
	if err != nil {
		return nil, wrapError(op, err)
	}
	return resp, nil
}

// marshal encodes body without HTML escaping, so file URLs with & stay
// readable on the wire. A nil body is sent empty and signed as "".
func marshal(body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	// json.Marshal is the cheaper path; it escapes <, > and & as \u003c,
	// \u003e and \u0026, so only a body with such an escape is encoded
	// again without HTML escaping.
	b, err := json.Marshal(body)
	if err != nil || !bytes.Contains(b, []byte(`\u00`)) {
		return b, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// check decodes the envelope whatever the HTTP status (the gateway may
// explain a 4xx or 5xx in one), maps failures to *Error, and leaves
// statuses without an envelope to the transport's own classification. On
// success the result has been decoded into out.
func (c *Client) check(r *transport.Response, out any) (transport.Verdict, error) {
	if !transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		if len(bytes.TrimSpace(r.Body)) == 0 && r.StatusCode/100 != 2 {
			return transport.DefaultCheck(r) // a bare status says it all
		}
		// An HTML login or proxy page, plain text, or nothing at all: say
		// so, with an excerpt.
		return transport.StatusVerdict(r.StatusCode), &transport.Error{Kind: transport.KindNotJSON, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body)}
	}
	env := envelope{Result: out}
	err := json.Unmarshal(r.Body, &env)
	if (err != nil && !isTypeError(err)) || env.Success == nil {
		// Not an envelope at all ({}, null, [], a Spring error page).
		reset(out)
		if r.StatusCode/100 != 2 {
			return transport.DefaultCheck(r)
		}
		return transport.Final, &transport.Error{Kind: transport.KindDecode, Excerpt: transport.Excerpt(r.Body), Err: errNoEnvelope(err)}
	}
	if e := env.apiError(r.StatusCode, r.Header, c.tc.Redactor().String); e != nil {
		reset(out)
		return transport.StatusVerdict(r.StatusCode), e
	}
	if r.StatusCode/100 != 2 {
		reset(out)
		return transport.DefaultCheck(r)
	}
	if err != nil {
		// A success whose result does not have the documented shape.
		return transport.Final, &transport.Error{Kind: transport.KindDecode, Excerpt: transport.Excerpt(r.Body), Err: err}
	}
	return transport.Final, nil
}

// reset zeroes what a failed attempt decoded into out, so a retry whose
// result is null does not return the failed attempt's result.
func reset(out any) {
	if out != nil {
		reflect.ValueOf(out).Elem().SetZero()
	}
}

// isTypeError reports a JSON value of the wrong type: the rest of the
// document was still decoded.
func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

// envelopeError says why a JSON body is not a gateway envelope.
type envelopeError struct{ cause error }

// Error implements error.
func (e envelopeError) Error() string {
	if e.cause != nil {
		return "not a gateway envelope: " + e.cause.Error()
	}
	return "not a gateway envelope: no success field"
}

// Unwrap returns the JSON error, if any.
func (e envelopeError) Unwrap() error { return e.cause }

func errNoEnvelope(cause error) error { return envelopeError{cause} }
