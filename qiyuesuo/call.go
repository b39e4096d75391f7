package qiyuesuo

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

const contentTypeJSON = "application/json;charset=UTF-8"

// Meta is the envelope every response shares.
type Meta struct {
	// Code is the numeric code field (0 on success, or absent).
	Code int
	// ResponseCode is the 8-digit responseCode ("00000000" on success, or absent).
	ResponseCode string
	// Message is the platform's message, e.g. "SUCCESS".
	Message string
	// RequestID is the platform's request id when it sent one.
	RequestID string
	// HTTPStatus is the response's HTTP status.
	HTTPStatus int
}

// envelope is the wire shape: {"code":0,...} or {"responseCode":"00000000",...}.
type envelope struct {
	Code         *flex.Int64     `json:"code"`
	ResponseCode flex.String     `json:"responseCode"`
	Message      flex.String     `json:"message"`
	RequestID    flex.String     `json:"requestId"`
	Result       json.RawMessage `json:"result"`
}

func (e *envelope) ok() bool {
	return (e.Code != nil && *e.Code == 0) || e.ResponseCode == CodeOK
}

func (e *envelope) meta(status int) Meta {
	m := Meta{ResponseCode: string(e.ResponseCode), Message: string(e.Message), RequestID: string(e.RequestID), HTTPStatus: status}
	if e.Code != nil {
		m.Code = int(*e.Code)
	}
	return m
}

// call is one JSON or query endpoint.
type call struct {
	op     string
	method string
	path   string
	query  url.Values
	body   any // marshalled once into the exact bytes sent
	// idempotent reads may be re-sent after a 5xx or a lost response.
	idempotent bool
}

func post(path string, body any) call {
	return call{op: path, method: http.MethodPost, path: path, body: body}
}

func get(path string, q url.Values) call {
	return call{op: path, method: http.MethodGet, path: path, query: q, idempotent: true}
}

// do runs cl, fills meta and decodes the result into result (when non-nil).
func (c *Client) do(ctx context.Context, cl call, meta *Meta, result any) error {
	req := &transport.Request{Op: cl.op, Method: cl.method, Path: cl.path, Query: cl.query,
		Idempotent: cl.idempotent, Sign: c.sign}
	if cl.body != nil {
		b, err := marshal(cl.body)
		if err != nil {
			return invalid(cl.op, "cannot encode request: "+err.Error())
		}
		req.Body, req.ContentType = b, contentTypeJSON
	}
	var env envelope
	req.Check = func(r *transport.Response) (transport.Verdict, error) { return c.check(r, &env) }
	resp, err := c.tc.Do(ctx, req)
	if err != nil {
		return c.wrapErr(err)
	}
	*meta = env.meta(resp.StatusCode)
	return c.decodeResult(env.Result, result, resp.StatusCode)
}

func (c *Client) decodeResult(raw json.RawMessage, result any, status int) error {
	if result == nil || len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, result); err != nil {
		te := &transport.Error{Kind: transport.KindDecode, StatusCode: status, Excerpt: c.tc.Redactor().String(transport.Excerpt(raw)), Err: err}
		return &Error{HTTPStatus: status, Message: "cannot decode result: " + err.Error(), Err: te}
	}
	return nil
}

// marshal encodes v without HTML escaping (URLs keep their '&').
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// check parses the envelope before looking at the status: auth errors
// arrive as HTTP 441/442 with a JSON body.
func (c *Client) check(r *transport.Response, env *envelope) (transport.Verdict, error) {
	verdict := transport.StatusVerdict(r.StatusCode)
	if !transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		return verdict, &transport.Error{Kind: transport.KindNotJSON, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body)}
	}
	*env = envelope{}
	if err := json.Unmarshal(r.Body, env); err != nil {
		return verdict, &transport.Error{Kind: transport.KindDecode, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body), Err: err}
	}
	if env.ok() {
		return transport.Final, nil
	}
	if env.Code == nil && env.ResponseCode == "" {
		kind := transport.KindDecode
		if r.StatusCode/100 != 2 {
			kind = transport.KindHTTP
		}
		return verdict, &transport.Error{Kind: kind, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body)}
	}
	m := env.meta(r.StatusCode)
	return verdict, &Error{Code: m.Code, ResponseCode: m.ResponseCode, Message: c.tc.Redactor().String(m.Message),
		RequestID: m.RequestID, HTTPStatus: r.StatusCode}
}

// query builds url.Values, skipping empty values.
type query url.Values

func (q query) str(k, v string) query {
	if v != "" {
		q[k] = []string{v}
	}
	return q
}

func (q query) boolp(k string, v *bool) query {
	if v != nil {
		q[k] = []string{strconv.FormatBool(*v)}
	}
	return q
}

func (q query) num(k string, v int) query {
	if v != 0 {
		q[k] = []string{strconv.Itoa(v)}
	}
	return q
}

func (q query) ref(contractID, bizID ID, tenant string) query {
	return q.str("contractId", string(contractID)).str("bizId", string(bizID)).str("tenantName", tenant)
}

func (m *Meta) metaPtr() *Meta { return m }

// send runs cl into a new response R. result, when non-nil, names what the
// envelope's result decodes into.
func send[R any, P interface {
	*R
	metaPtr() *Meta
}](ctx context.Context, c *Client, cl call, result func(P) any) (P, error) {
	res := P(new(R))
	var out any
	if result != nil {
		out = result(res)
	}
	if err := c.do(ctx, cl, res.metaPtr(), out); err != nil {
		return nil, err
	}
	return res, nil
}

// self decodes the result into the response struct itself.
func self[P any](p P) any { return p }

func (q query) values() url.Values { return url.Values(q) }

func itoa(i int) string { return strconv.Itoa(i) }

func fmtTime(t DateTime) string {
	if t.IsZero() {
		return ""
	}
	return t.In(flex.Shanghai).Format(flex.DateTimeLayout)
}
