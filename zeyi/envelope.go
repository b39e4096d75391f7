package zeyi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// envelope is the wrapper of every gateway answer:
// {"success","businessException","errorCode","message","result"}.
type envelope struct {
	Success           *flex.Bool      `json:"success"`
	BusinessException flex.Bool       `json:"businessException"`
	ErrorCode         flex.String     `json:"errorCode"`
	Message           flex.String     `json:"message"`
	Result            json.RawMessage `json:"result"`
}

// apiError returns the *Error an envelope stands for, or nil when it
// reports success.
func (env *envelope) apiError(status int, h http.Header, redact func(string) string) *Error {
	ok := env.Success != nil && bool(*env.Success)
	if ok && !bool(env.BusinessException) {
		return nil
	}
	return &Error{
		Code:       redact(string(env.ErrorCode)),
		Message:    redact(string(env.Message)),
		Business:   bool(env.BusinessException),
		System:     !bool(env.BusinessException),
		RequestID:  h.Get("X-Request-Id"),
		HTTPStatus: status,
	}
}

// call marshals body once, signs and sends those exact bytes to path, and
// decodes the envelope's result into out (when out is non-nil and the
// result is not null). Every failure is an *Error.
func (c *Client) call(ctx context.Context, op, path string, body, out any, idempotent bool) (*transport.Response, error) {
	data, err := marshal(body)
	if err != nil {
		return nil, &Error{Op: op, Message: "cannot encode request", Err: err}
	}
	var result json.RawMessage
	resp, err := c.tc.Do(ctx, &transport.Request{
		Op: op, Method: http.MethodPost, Path: path, ContentType: ContentType, Body: data,
		Idempotent: idempotent, Sign: c.signOutgoing,
		Check: func(r *transport.Response) (transport.Verdict, error) {
			v, env, err := c.check(r)
			if env != nil {
				result = env.Result
			}
			return v, err
		},
	})
	if err != nil {
		return nil, wrapError(op, err)
	}
	if out != nil && len(result) > 0 && string(result) != "null" {
		if err := json.Unmarshal(result, out); err != nil {
			return resp, &Error{Op: op, HTTPStatus: resp.StatusCode, Message: "cannot decode result",
				Err: &transport.Error{Kind: transport.KindDecode, StatusCode: resp.StatusCode, Excerpt: c.tc.Redactor().String(transport.Excerpt(result)), Err: err}}
		}
	}
	return resp, nil
}

// marshal encodes body without HTML escaping, so file URLs with & stay
// readable on the wire. A nil body is sent empty and signed as "".
func marshal(body any) ([]byte, error) {
	if body == nil {
		return nil, nil
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
// statuses without an envelope to the transport's own classification. It
// returns the envelope when the answer is a success.
func (c *Client) check(r *transport.Response) (transport.Verdict, *envelope, error) {
	if !transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		if len(bytes.TrimSpace(r.Body)) == 0 && r.StatusCode/100 != 2 {
			v, err := transport.DefaultCheck(r) // a bare status says it all
			return v, nil, err
		}
		// An HTML login or proxy page, or plain text: say so, with an excerpt.
		return transport.StatusVerdict(r.StatusCode), nil, &transport.Error{Kind: transport.KindNotJSON, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body)}
	}
	var env envelope
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Success == nil {
		if r.StatusCode/100 != 2 {
			v, err := transport.DefaultCheck(r)
			return v, nil, err
		}
		return transport.Final, nil, &transport.Error{Kind: transport.KindDecode, Excerpt: transport.Excerpt(r.Body), Err: errNoEnvelope(err)}
	}
	if e := env.apiError(r.StatusCode, r.Header, c.tc.Redactor().String); e != nil {
		return transport.StatusVerdict(r.StatusCode), nil, e
	}
	if r.StatusCode/100 != 2 {
		v, err := transport.DefaultCheck(r)
		return v, nil, err
	}
	return transport.Final, &env, nil
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
