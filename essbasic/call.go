package essbasic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/sign"
	"github.com/hetong-go/hetong/internal/transport"
)

// requestClient identifies this SDK in X-TC-RequestClient.
const requestClient = "hetong-go_" + transport.Version

// call says how one action is sent.
type call struct {
	action     string
	idempotent bool
	fileHost   bool
}

// invoke marshals params once and runs the action.
func (c *Client) invoke(ctx context.Context, k call, params, out any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return &Error{Op: k.action, Message: "cannot encode request", Err: err}
	}
	return c.invokeBody(ctx, k, body, out)
}

// invokeBody sends body, signed afresh on every attempt, and decodes the
// Response object into out.
func (c *Client) invokeBody(ctx context.Context, k call, body []byte, out any) error {
	return c.invokePayload(ctx, k, &payload{body: body}, out)
}

// payload is a request body: bytes in memory, or a spooled stream whose
// size and SHA-256 are known before it is sent (a large upload).
type payload struct {
	body []byte
	open func() (io.Reader, error)
	size int64
	hash string
}

func (c *Client) invokePayload(ctx context.Context, k call, p *payload, out any) error {
	base := c.apiBase
	if k.fileHost {
		base = c.fileBase
	}
	hdr := http.Header{}
	hdr.Set("X-TC-Action", k.action)
	hdr.Set("X-TC-Version", APIVersion)
	req := &transport.Request{
		Op:          k.action,
		Method:      http.MethodPost,
		BaseURL:     base,
		Path:        "/",
		Header:      hdr,
		ContentType: jsonContentType,
		Body:        p.body,
		Idempotent:  k.idempotent,
		Sign:        c.sign,
		Check:       func(r *transport.Response) (transport.Verdict, error) { return c.check(k.action, r) },
	}
	if p.open != nil {
		req.NewBody, req.ContentLength = p.open, p.size
		req.Sign = func(o *transport.Outgoing) error { return c.signHash(o, p.hash) }
	}
	resp, err := c.tc.Do(ctx, req)
	if err != nil {
		return c.wrap(k.action, err)
	}
	if out == nil {
		return nil
	}
	// Lenient: the platform has sent strings for numbers (and back) before.
	if err := flex.UnmarshalLenient(resp.Body, &struct{ Response any }{out}); err != nil {
		head, _ := parseHead(resp.Body)
		return &Error{Op: k.action, Message: "cannot decode response", RequestID: head.RequestID,
			HTTPStatus: resp.StatusCode, Err: err}
	}
	return nil
}

// sign adds the per-attempt headers: a fresh timestamp and the TC3
// signature over the exact body and the host the attempt goes to.
func (c *Client) sign(o *transport.Outgoing) error {
	return c.signHash(o, sign.SHA256Hex(o.Body))
}

// signHash is sign for a body whose SHA-256 hex is already known.
func (c *Client) signHash(o *transport.Outgoing, payloadHash string) error {
	ts := c.tc.Now().Unix()
	h := o.Header
	h.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	h.Set("X-TC-Language", c.language)
	h.Set("X-TC-RequestClient", requestClient)
	if c.region != "" {
		h.Set("X-TC-Region", c.region)
	}
	if c.token != "" {
		h.Set("X-TC-Token", c.token)
	}
	date := tc3Date(ts)
	h.Set("Authorization", tc3Authorization(c.secretID, date, c.keys.forDate(date), o.URL.Host, jsonContentType, ts, payloadHash))
	return nil
}

// wireError is the platform's error object.
type wireError struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

// head is what every response carries besides the action's fields.
type head struct {
	Error     *wireError `json:"Error"`
	RequestID string     `json:"RequestId"`
}

func parseHead(body []byte) (head, bool) {
	var env struct {
		Response *head `json:"Response"`
		// The legacy shape the official SDK still understands.
		Code     *json.Number `json:"code"`
		Message  string       `json:"message"`
		CodeDesc string       `json:"codeDesc"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return head{}, false
	}
	if env.Response != nil {
		return *env.Response, true
	}
	if env.Code != nil && env.Code.String() != "0" {
		code := env.CodeDesc
		if code == "" {
			code = env.Code.String()
		}
		return head{Error: &wireError{Code: code, Message: env.Message}}, true
	}
	return head{}, false
}

// check turns a complete response into success or an *Error with the
// retry verdict its code or status deserves.
func (c *Client) check(action string, r *transport.Response) (transport.Verdict, error) {
	red := c.tc.Redactor()
	if !transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		return transport.StatusVerdict(r.StatusCode), &Error{Op: action, HTTPStatus: r.StatusCode,
			Message: "response is not JSON", Excerpt: red.String(transport.Excerpt(r.Body))}
	}
	h, ok := parseHead(r.Body)
	switch {
	case !ok:
		verdict := transport.StatusVerdict(r.StatusCode)
		if r.StatusCode/100 == 2 {
			verdict = transport.RetryIfIdempotent // most likely cut short on the way
		}
		return verdict, &Error{Op: action, HTTPStatus: r.StatusCode,
			Message: "malformed response: no Response object", Excerpt: red.String(transport.Excerpt(r.Body))}
	case h.Error != nil && h.Error.Code != "":
		return codeVerdict(h.Error.Code, r.StatusCode), &Error{Op: action, Code: h.Error.Code,
			Message: red.String(h.Error.Message), RequestID: h.RequestID, HTTPStatus: r.StatusCode}
	case r.StatusCode/100 != 2:
		return transport.StatusVerdict(r.StatusCode), &Error{Op: action, HTTPStatus: r.StatusCode,
			Message: "unexpected HTTP status", RequestID: h.RequestID, Excerpt: red.String(transport.Excerpt(r.Body))}
	}
	return transport.Final, nil
}

// codeVerdict: the rate limiter refused before acting, so any call may be
// re-sent; an internal error may have acted, so only reads are.
func codeVerdict(code string, status int) transport.Verdict {
	switch {
	case code == CodeRequestLimitExceeded || strings.HasPrefix(code, CodeRequestLimitExceeded+"."):
		return transport.RetrySafe
	case code == CodeInternalError || strings.HasPrefix(code, CodeInternalError+"."):
		return transport.RetryIfIdempotent
	}
	if v := transport.StatusVerdict(status); v != transport.Final {
		return v
	}
	return transport.Final
}

// wrap turns a transport failure into an *Error that keeps the cause.
func (c *Client) wrap(action string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	var te *transport.Error
	if errors.As(err, &te) {
		msg := te.Kind.String()
		if te.Attempts > 1 {
			msg = fmt.Sprintf("%s after %d attempts", msg, te.Attempts)
		}
		return &Error{Op: action, Message: msg, HTTPStatus: te.StatusCode, Err: te}
	}
	return &Error{Op: action, Message: "call failed", Err: err}
}

// RawRequest calls an action this package does not model (or models
// differently) with the same signing, envelope, retries and errors.
type RawRequest struct {
	// Action is the action name, e.g. "DescribeResourceUrlsByFlows".
	Action string
	// Params is marshalled with encoding/json as the body; nil sends {}.
	// The client's default Agent is not added: include "Agent" yourself.
	Params any
	// Idempotent lets the call be re-sent after failures that may have
	// reached the server; set it only for reads.
	Idempotent bool
	// FileHost sends the call to the file host, as UploadFiles needs.
	FileHost bool
}

// RawResponse is the decoded envelope of a raw call.
type RawResponse struct {
	// RequestID is the platform's RequestId.
	RequestID string
	// Response is the raw Response object, RequestId included.
	Response json.RawMessage
}

// Raw runs a raw action; API errors come back as *Error like every
// typed method's.
func (c *Client) Raw(ctx context.Context, req *RawRequest) (*RawResponse, error) {
	if req == nil {
		return nil, errNilRequest("RawRequest")
	}
	if strings.TrimSpace(req.Action) == "" {
		return nil, missing("RawRequest.Action")
	}
	params := req.Params
	if params == nil {
		params = struct{}{}
	}
	out := &RawResponse{}
	if err := c.invoke(ctx, call{action: req.Action, idempotent: req.Idempotent, fileHost: req.FileHost}, params, &out.Response); err != nil {
		return nil, err
	}
	var h head
	_ = json.Unmarshal(out.Response, &h) // already parsed once in check
	out.RequestID = h.RequestID
	return out, nil
}

// request is what every generated request type offers send.
type request[T any] interface {
	*T
	agent() **Agent
	validate(path string) error
}

// send runs one typed action: it copies the request (the caller's value is
// never changed), fills the default Agent, validates, and calls.
func send[Resp, Req any, P request[Req]](ctx context.Context, c *Client, k call, req P) (*Resp, error) {
	path := k.action + "Request"
	if req == nil {
		return nil, errNilRequest(path)
	}
	r := *req
	p := P(&r)
	a := p.agent()
	*a = c.agentFor(*a)
	if err := p.validate(path); err != nil {
		return nil, err
	}
	out := new(Resp)
	if err := c.invoke(ctx, k, p, out); err != nil {
		return nil, err
	}
	return out, nil
}
