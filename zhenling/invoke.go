package zhenling

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// call is one prepared request to an operation.
type call struct {
	op     string
	body   []byte                                                                         // exact JSON bytes (nil for streams)
	stream func(attempt int) (newBody func() (io.Reader, error), ctype string, err error) // streamed multipart body
	ctype  string
	method string
	query  url.Values
}

// invoke runs an operation with a JSON body and returns its decoded result.
func (c *Client) invoke(ctx context.Context, opName string, body []byte) (*Result, error) {
	return c.runOp(ctx, &call{op: opName, body: body, ctype: "application/json"})
}

// runOp resolves cl.op (failing before anything is sent when it is not
// configured) and runs it.
func (c *Client) runOp(ctx context.Context, cl *call) (*Result, error) {
	op, path, q, err := c.resolveCall(cl)
	if err != nil {
		return nil, err
	}
	return c.run(ctx, op, path, q, cl)
}

// resolveCall resolves cl.op and adds the call's own query parameters.
func (c *Client) resolveCall(cl *call) (Operation, string, url.Values, error) {
	op, path, q, err := c.resolve(cl.op)
	if err != nil {
		return op, "", nil, err
	}
	if len(cl.query) == 0 {
		return op, path, q, nil
	}
	merged := make(url.Values, len(q)+len(cl.query))
	for k, v := range q {
		merged[k] = v
	}
	for k, v := range cl.query {
		merged[k] = v
	}
	return op, path, merged, nil
}

// run sends cl and returns the raw result.
func (c *Client) run(ctx context.Context, op Operation, path string, q url.Values, cl *call) (*Result, error) {
	var res *Result
	err := c.exec(ctx, op, path, q, cl, func(r *transport.Response) (transport.Verdict, error) {
		var v transport.Verdict
		var err error
		res, v, err = decodeResponse(r)
		return v, err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// exec sends cl, letting check decode each complete response.
func (c *Client) exec(ctx context.Context, op Operation, path string, q url.Values, cl *call, check func(*transport.Response) (transport.Verdict, error)) error {
	attempt := 0
	return c.withToken(ctx, func(tok string) error {
		attempt++
		req, err := c.request(op, path, q, cl, tok, attempt)
		if err != nil {
			return err
		}
		req.Check = check
		_, err = c.t.Do(ctx, req)
		return c.wrapErr(op.Name, err)
	})
}

// invokeTyped sends a JSON body to operation opName and decodes the
// result's data straight into *data (see decodeTyped).
func invokeTyped[D any](ctx context.Context, c *Client, opName string, body []byte, data *D, required bool, tolerant func(json.RawMessage, *D) error) error {
	cl := &call{op: opName, body: body, ctype: "application/json"}
	op, path, q, err := c.resolveCall(cl)
	if err != nil {
		return err
	}
	return c.exec(ctx, op, path, q, cl, func(r *transport.Response) (transport.Verdict, error) {
		return decodeTyped(r, data, required, tolerant)
	})
}

// request builds the transport request for one attempt series.
func (c *Client) request(op Operation, path string, q url.Values, cl *call, tok string, attempt int) (*transport.Request, error) {
	m := cl.method
	if m == "" {
		m = http.MethodPost
	}
	req := &transport.Request{
		Op: op.Name, Method: m, Path: path, Query: q, Header: c.headerFor(tok), ContentType: cl.ctype,
		Body: cl.body, Idempotent: op.Idempotent,
	}
	if cl.stream != nil {
		nb, ct, err := cl.stream(attempt)
		if err != nil {
			return nil, err
		}
		req.NewBody, req.ContentType = nb, ct
	}
	return req, nil
}

// authHeader is the request header for one token, built once and shared
// read-only by every call that uses the token (the transport copies it).
type authHeader struct {
	token  string
	header http.Header
}

// headerFor returns the header that authenticates with tok.
func (c *Client) headerFor(tok string) http.Header {
	if a := c.auth.Load(); a != nil && a.token == tok {
		return a.header
	}
	h := http.Header{"Authorization": {"bearer " + tok}, "Accept": {"application/json"}}
	c.auth.Store(&authHeader{token: tok, header: h})
	return h
}

// withToken runs fn with a valid token and, when the gateway rejects it,
// once more with a fresh one. A rejected token was refused before the
// operation ran, so even a write is safe to re-send.
func (c *Client) withToken(ctx context.Context, fn func(tok string) error) error {
	if ctx == nil {
		return nilContext()
	}
	return c.tokens.Do(ctx, func(tok string) error {
		if tok == "" {
			return &Error{Op: OpToken, Message: "empty access token"}
		}
		return fn(tok)
	}, IsAuthError)
}

// encodeRequest checks the user context and encodes a request body.
func encodeRequest(where string, v any, uc UserContext, extra map[string]any) ([]byte, error) {
	if err := uc.validate(where); err != nil {
		return nil, err
	}
	return encodeBody(where, v, extra)
}

// encodeBody marshals v once and merges extra into the top-level object.
// A key of extra that a typed field already set is an error, so that a
// typo cannot silently override a documented field.
func encodeBody(where string, v any, extra map[string]any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, unencodable(where, err)
	}
	if len(extra) == 0 {
		return b, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, unencodable(where, err)
	}
	for k, x := range extra {
		if _, dup := m[k]; dup {
			return nil, invalidf(fmt.Sprintf("%s.Extra[%q]", where, k), "must not repeat a typed field")
		}
		raw, err := json.Marshal(x)
		if err != nil {
			return nil, unencodable(fmt.Sprintf("%s.Extra[%q]", where, k), err)
		}
		m[k] = raw
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, unencodable(where, err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// unencodable is a request value that JSON cannot encode.
func unencodable(where string, err error) error {
	return &Error{Message: where + ": cannot encode: " + err.Error(), Err: fmt.Errorf("%w: %w", ErrInvalidRequest, err)}
}

// InvokeRequest is a raw HITF call, for interfaces a tenant publishes that
// this package does not model. It is signed, retried and decoded exactly
// like the typed methods.
type InvokeRequest struct {
	InvokeCode string // e.g. SingleScript or DataImport
	Domain     string // the HITF domain code
	Body       any    // marshalled to JSON; json.RawMessage is sent as is
	// Idempotent allows retrying after the server may have seen the call:
	// set it for queries only.
	Idempotent bool
}

// Invoke calls any HITF operation and returns the decoded result. It is
// sent to the configured host only: an invoke code is a path segment, and
// one that looks like a path or URL is refused.
func (c *Client) Invoke(ctx context.Context, req *InvokeRequest) (*Result, error) {
	if req == nil {
		return nil, withOp("Invoke", invalid("InvokeRequest", required))
	}
	if strings.TrimSpace(req.InvokeCode) == "" {
		return nil, withOp("Invoke", invalid("InvokeRequest.InvokeCode", required))
	}
	if strings.ContainsAny(req.InvokeCode, "?#\\") || strings.Contains(req.InvokeCode, "..") {
		return nil, withOp("Invoke", invalid("InvokeRequest.InvokeCode", "must be an invoke code, not a path or URL"))
	}
	if strings.TrimSpace(req.Domain) == "" {
		return nil, withOp("Invoke", invalid("InvokeRequest.Domain", required))
	}
	body, err := encodeBody("InvokeRequest.Body", req.Body, nil)
	if err != nil {
		return nil, withOp("Invoke", err)
	}
	op := Operation{Name: "Invoke", Title: req.Domain, InvokeCode: req.InvokeCode, Domain: req.Domain, Idempotent: req.Idempotent}
	cl := &call{op: op.Name, body: body, ctype: "application/json"}
	return c.run(ctx, op, InvokePath(req.InvokeCode), url.Values{"domain": {req.Domain}}, cl)
}
