package qiyuesuo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/go-querystring/query"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

const (
	contentTypeJSON = "application/json;charset=UTF-8"
	contentTypeForm = "application/x-www-form-urlencoded;charset=UTF-8"
)

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

// bodyKind says how an endpoint's request travels.
type bodyKind int

const (
	bodyNone      bodyKind = iota // no parameters
	bodyJSON                      // a JSON body
	bodyQuery                     // the query string (url tags)
	bodyMultipart                 // a streamed multipart body (form tags)
	bodyForm                      // an urlencoded body (url tags)
)

// endpoint is one API of the platform, as the generated methods call it.
type endpoint struct {
	op, method, path string
	body             bodyKind
	// request is the Go name of the request type, the root of field paths
	// in validation errors.
	request string
	// idempotent calls may be re-sent after a 5xx or a lost response.
	idempotent bool
}

// request is what every generated request type provides.
type request interface {
	validate(path string) error
}

type multipartRequest interface {
	formParts() ([]transport.Part, error)
}

// prepare validates req and encodes it for ep; nothing is sent.
func (c *Client) prepare(ep endpoint, req request) (*transport.Request, error) {
	tr := &transport.Request{Op: ep.op, Method: ep.method, Path: ep.path, Idempotent: ep.idempotent, Sign: c.sign}
	if ep.body == bodyNone {
		return tr, nil
	}
	if err := req.validate(ep.request); err != nil {
		return nil, validationErr(ep.op, err)
	}
	var err error
	switch ep.body {
	case bodyJSON:
		tr.Body, err = marshal(req)
		tr.ContentType = contentTypeJSON
	case bodyQuery:
		tr.Query, err = query.Values(req)
	case bodyForm:
		var v url.Values
		if v, err = query.Values(req); err == nil {
			tr.Body, tr.ContentType = []byte(v.Encode()), contentTypeForm
		}
	case bodyMultipart:
		mr, ok := req.(multipartRequest)
		if !ok {
			return nil, invalidErr(ep.op, ep.request+": not a multipart request")
		}
		var parts []transport.Part
		if parts, err = mr.formParts(); err == nil {
			tr.NewBody, tr.ContentType = transport.Multipart(parts)
		}
	}
	if err != nil {
		return nil, validationErr(ep.op, err)
	}
	return tr, nil
}

func validationErr(op string, err error) *Error {
	var fe *fieldError
	if errors.As(err, &fe) && fe.cause != nil {
		return invalidErr(op, fe.Error(), fe.cause)
	}
	return invalidErr(op, err.Error())
}

// invoke runs ep with req, fills meta and decodes the result into each of
// outs: a *json.RawMessage takes the result as it came (null included);
// any other out is a typed result that must be present.
func (c *Client) invoke(ctx context.Context, ep endpoint, req request, meta *Meta, outs ...any) error {
	tr, err := c.prepare(ep, req)
	if err != nil {
		return err
	}
	var env envelope
	tr.Check = func(r *transport.Response) (transport.Verdict, error) { return c.check(r, &env) }
	resp, err := c.tc.Do(ctx, tr)
	if err != nil {
		if errors.Is(err, ErrFileTooLarge) {
			return &Error{Op: ep.op, Message: ErrFileTooLarge.Error(), Err: ErrFileTooLarge}
		}
		return c.wrapErr(ep.op, err)
	}
	*meta = env.meta(resp.StatusCode)
	for _, out := range outs {
		if err := c.decodeResult(ep.op, env.Result, out, *meta); err != nil {
			return err
		}
		if h, ok := out.(secretHolder); ok {
			for _, v := range h.secrets() {
				c.tc.Redactor().Add(v)
			}
		}
	}
	return nil
}

// secretHolder is a result that carries a secret the client must never
// log or print from then on.
type secretHolder interface{ secrets() []string }

// secrets registers the app's callbackSecretKey with the redactor.
func (r *AppTokenInfo) secrets() []string { return []string{r.CallbackSecretKey} }

func (c *Client) decodeResult(op string, raw json.RawMessage, out any, m Meta) error {
	if r, ok := out.(*json.RawMessage); ok {
		*r = append(json.RawMessage(nil), raw...)
		return nil
	}
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return &Error{Op: op, Message: "the platform answered success without the result", RequestID: m.RequestID, HTTPStatus: m.HTTPStatus,
			Err: &transport.Error{Kind: transport.KindDecode, StatusCode: m.HTTPStatus}}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		te := &transport.Error{Kind: transport.KindDecode, StatusCode: m.HTTPStatus, Excerpt: c.tc.Redactor().String(transport.Excerpt(raw)), Err: err}
		return &Error{Op: op, HTTPStatus: m.HTTPStatus, RequestID: m.RequestID, Message: "cannot decode result: " + err.Error(), Err: te}
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
	e := &Error{ResponseCode: m.ResponseCode, Message: c.tc.Redactor().String(m.Message), RequestID: m.RequestID, HTTPStatus: r.StatusCode}
	if m.Code != 0 {
		e.Code = strconv.Itoa(m.Code)
	}
	return verdict, e
}

// DownloadResponse describes a file written to the caller's writer.
type DownloadResponse struct {
	// Bytes is the number of bytes written.
	Bytes int64
	// ContentType is the response's type, e.g. application/zip or application/pdf.
	ContentType string
	// FileName is the name from Content-Disposition, when sent.
	FileName string
	// HTTPStatus is the response's HTTP status.
	HTTPStatus int
}

// isFile tells a file stream from a JSON error body by its Content-Type.
func isFile(r *http.Response) bool {
	return !transport.IsJSON(r.Header.Get("Content-Type"), nil)
}

// stream runs a download endpoint, copying the file into w without
// holding it in memory. A JSON body is the platform's error, never
// written to w. If the body breaks off, the error comes with the response
// saying how many bytes reached w (a download is not resumed or retried
// once bytes were written).
func (c *Client) stream(ctx context.Context, ep endpoint, req request, w io.Writer) (*DownloadResponse, error) {
	tr, err := c.prepare(ep, req)
	if err != nil {
		return nil, err
	}
	if w == nil {
		return nil, invalidErr(ep.op, "w: required")
	}
	var env envelope
	tr.Check = func(r *transport.Response) (transport.Verdict, error) { return c.check(r, &env) }
	st, err := c.tc.Open(ctx, tr, isFile)
	if err != nil {
		return nil, c.wrapErr(ep.op, err)
	}
	defer st.Body.Close()
	res := &DownloadResponse{ContentType: st.Header.Get("Content-Type"), FileName: fileName(st.Header), HTTPStatus: st.StatusCode}
	if !isFile(&http.Response{Header: st.Header}) {
		// A 2xx JSON success envelope where a file was expected.
		return nil, &Error{Op: ep.op, HTTPStatus: st.StatusCode, Message: "expected a file, got a JSON body", ResponseCode: string(env.ResponseCode)}
	}
	n, err := io.Copy(w, st.Body)
	res.Bytes = n
	if err != nil {
		kind := transport.KindBody
		if ctx.Err() != nil {
			kind = transport.KindCanceled
		}
		te := &transport.Error{Kind: kind, Method: ep.method, URL: ep.path, StatusCode: st.StatusCode, Sent: true, Err: err}
		return res, &Error{Op: ep.op, HTTPStatus: st.StatusCode, Message: "download interrupted after " + strconv.FormatInt(n, 10) + " bytes: " + c.tc.Redactor().String(err.Error()), Err: te}
	}
	return res, nil
}

func fileName(h http.Header) string {
	_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil {
		return ""
	}
	return params["filename"]
}
