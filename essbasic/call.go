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

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/sign"
	"github.com/hetong-go/hetong/internal/transport"
)

// requestClient identifies this SDK in X-TC-RequestClient.
const requestClient = "hetong-go_" + transport.Version

// Header values every request shares (the transport copies them per attempt).
var (
	versionHeader       = []string{APIVersion}
	requestClientHeader = []string{requestClient}
)

// call says how one action is sent.
type call struct {
	action     string
	idempotent bool
	fileHost   bool
	// returns: the action's answer has fields besides RequestId, so an
	// answer without any of them is a failure, not an empty success.
	returns bool
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
	// Canonical keys written directly: Set would re-canonicalise (and
	// allocate) on every call. Header names are case-insensitive.
	hdr := http.Header{"X-Tc-Action": {k.action}, "X-Tc-Version": versionHeader}
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
		Check:       func(r *transport.Response) (transport.Verdict, error) { return c.check(k, r, out) },
	}
	if p.open != nil {
		req.NewBody, req.ContentLength = p.open, p.size
		req.Sign = func(o *transport.Outgoing) error { return c.signHash(o, p.hash) }
	}
	if _, err := c.tc.Do(ctx, req); err != nil {
		return c.wrap(k.action, err)
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
	h["X-Tc-Timestamp"] = []string{strconv.FormatInt(ts, 10)}
	h["X-Tc-Language"] = []string{c.language}
	h["X-Tc-Requestclient"] = requestClientHeader
	if c.region != "" {
		h["X-Tc-Region"] = []string{c.region}
	}
	if c.token != "" {
		h["X-Tc-Token"] = []string{string(c.token)}
	}
	date, key := c.keys.forTime(ts)
	h["Authorization"] = []string{tc3Authorization(c.secretID, Service, date, key, o.URL.Host, jsonContentType, ts, payloadHash)}
	return nil
}

// wrap turns a transport failure into an *Error that keeps the cause and
// describes it once (no doubled prefix, no doubled status).
func (c *Client) wrap(action string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	status := errfmt.Status(err)
	msg := errfmt.Describe(err)
	if status != 0 {
		msg = strings.Replace(msg, fmt.Sprintf(" (HTTP %d)", status), "", 1)
	}
	return &Error{Op: action, Message: msg, HTTPStatus: status, Err: err}
}

// RawRequest calls an action this package does not model (or models
// differently) with the same signing, envelope, retries and errors.
type RawRequest struct {
	// Action is the action name, e.g. "DescribeResourceUrlsByFlows":
	// letters and digits only. It goes in X-TC-Action; the request always
	// goes to "/" of the configured host, never elsewhere.
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
		return nil, withOp("Raw", errNilRequest("RawRequest"))
	}
	if errfmt.Blank(req.Action) {
		return nil, withOp("Raw", missing("RawRequest.Action"))
	}
	if !isActionName(req.Action) {
		return nil, withOp("Raw", invalid("RawRequest.Action", "must be an action name (letters and digits), not a path or URL"))
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

// isActionName: a Tencent Cloud action is an identifier such as
// "DescribeFlowDetailInfo".
func isActionName(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

// request is what every generated request type offers send.
type request[T any] interface {
	*T
	agent() **Agent
	validate() error
}

// send runs one typed action: it copies the request (the caller's value is
// never changed), fills the default Agent, validates, and calls.
func send[Resp, Req any, P request[Req]](ctx context.Context, c *Client, k call, req P) (*Resp, error) {
	if req == nil {
		return nil, withOp(k.action, errNilRequest(k.action+"Request"))
	}
	r := *req
	p := P(&r)
	a := p.agent()
	*a = c.agentFor(*a)
	if err := p.validate(); err != nil {
		return nil, withOp(k.action, under(k.action+"Request", err))
	}
	out := new(Resp)
	if err := c.invoke(ctx, k, p, out); err != nil {
		return nil, err
	}
	return out, nil
}
