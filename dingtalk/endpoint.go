package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	"github.com/google/go-querystring/query"

	"github.com/hetong-go/hetong/internal/errfmt"
)

// ErrInvalidRequest is wrapped by every error about bad input, returned
// before anything is sent: errors.Is(err, ErrInvalidRequest).
var ErrInvalidRequest = errfmt.ErrInvalidRequest

// endpoint is what the generator knows about one API: how to call it.
type endpoint struct {
	name       string // the platform's action name, used as Op
	method     string
	path       string // may hold {placeholders}, filled from the request's path fields
	newAPI     bool   // api.dingtalk.com (header token) rather than oapi.dingtalk.com (?access_token=)
	anonymous  bool   // sent without a token (the token endpoints, the Stream gateway)
	idempotent bool   // may be re-sent after it may have reached DingTalk
	query      bool   // the request has query-string fields (url tags)
	body       bool   // the request has a JSON body (json tags)
	returns    bool   // the answer must carry a payload: empty, {} and null fail
}

// request is what every generated request type implements.
type request interface {
	validate() error
}

// pathRequest is a request with {placeholders} in its endpoint's path.
type pathRequest interface {
	pathArgs() []string
}

// invalid is a validation error naming the field, e.g.
// "GetProcessInstanceRequest.ProcessInstanceID: required".
func invalid(field, rule string) error {
	return &Error{Message: field + ": " + rule, Err: ErrInvalidRequest}
}

// invoke validates req, sends it to ep (path placeholders filled, query
// fields encoded with go-querystring, body fields as JSON) and decodes the
// answer leniently into a new Resp.
func invoke[Resp any, Req request](ctx context.Context, c *Client, ep *endpoint, req Req) (*Resp, error) {
	out := new(Resp)
	if err := c.send(ctx, ep, req, out); err != nil {
		return nil, err
	}
	return out, nil
}

// send is invoke for a caller-chosen answer type (the hand-written
// conveniences decode into richer types).
func (c *Client) send(ctx context.Context, ep *endpoint, req request, out any) error {
	if err := req.validate(); err != nil {
		return c.withOp(ep.name, err)
	}
	k := apiCall{op: ep.name, path: ep.path, method: ep.method, newAPI: ep.newAPI, anonymous: ep.anonymous,
		idempotent: ep.idempotent, rateKey: ep.path}
	if pr, ok := req.(pathRequest); ok {
		k.path = fillPath(ep.path, pr.pathArgs())
	}
	if ep.query {
		v, err := query.Values(req)
		if err != nil {
			return &Error{Op: ep.name, Message: "cannot encode query", Err: err, red: c.tc.Redactor()}
		}
		k.query = v
	}
	if ep.body {
		k.body = req
	}
	var raw json.RawMessage
	if err := c.call(ctx, k, &raw); err != nil {
		return err
	}
	if ep.returns && !hasPayload(raw) {
		return &Error{Op: ep.name, Message: "empty answer: DingTalk returned no " + map[bool]string{true: "result", false: "payload"}[ep.newAPI],
			Err: errEmptyAnswer, red: c.tc.Redactor()}
	}
	return c.decode(ep.name, raw, out)
}

// errEmptyAnswer is the cause when a call that must return something
// got an empty body, {} or null.
var errEmptyAnswer = errors.New("empty answer")

// envelopeKeys are the members every answer may carry besides its payload.
var envelopeKeys = map[string]bool{"errcode": true, "errmsg": true, "request_id": true, "requestid": true, "success": true}

// hasPayload reports whether raw is a JSON object with a non-null member
// besides the envelope's. An answer over 512 bytes has one (an envelope
// alone is under 300 bytes, even with a sub_msg), so only small answers
// are scanned again.
func hasPayload(raw json.RawMessage) bool {
	if len(raw) > 512 {
		return true
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	for k, v := range m {
		if !envelopeKeys[k] && string(bytes.TrimSpace(v)) != "null" {
			return true
		}
	}
	return false
}

// withOp fills the Op of a fresh validation error.
func (c *Client) withOp(op string, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Op == "" {
		e.Op, e.red = op, c.tc.Redactor()
	}
	return err
}

// fillPath replaces the {placeholders} of path, in order, with the
// path-escaped args.
func fillPath(path string, args []string) string {
	var b strings.Builder
	for _, arg := range args {
		i := strings.IndexByte(path, '{')
		j := strings.IndexByte(path, '}')
		if i < 0 || j < i {
			break
		}
		b.WriteString(path[:i] + url.PathEscape(arg))
		path = path[j+1:]
	}
	b.WriteString(path)
	return b.String()
}

// ptr returns a pointer to v, for the optional fields of generated
// requests.
func ptr[T any](v T) *T { return &v }
