package qiyuesuo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// RawRequest calls an endpoint this package does not model, with the same
// signing, envelope check and errors as the typed calls, on the client's
// own host.
type RawRequest struct {
	// Method is GET or POST.
	Method string
	// Path is the API path, e.g. "/v2/contract/delay"; never a URL.
	Path string
	// Query is sent as the query string.
	Query url.Values
	// Body is marshalled to JSON; nil sends no body.
	Body any
	// Idempotent allows re-sending after a 5xx or a lost response. Set it
	// only for reads and for writes the platform deduplicates.
	Idempotent bool
}

// RawResponse carries the envelope and the undecoded result.
type RawResponse struct {
	Meta
	// Result is the envelope's result as it arrived.
	Result json.RawMessage
}

// Raw calls an unmodelled endpoint on the client's host.
func (c *Client) Raw(ctx context.Context, req *RawRequest) (*RawResponse, error) {
	const op = "Raw"
	if req == nil {
		return nil, invalidErr(op, "RawRequest: required")
	}
	m := strings.ToUpper(req.Method)
	if m != http.MethodGet && m != http.MethodPost {
		return nil, invalidErr(op, "RawRequest.Method: must be one of GET, POST")
	}
	if !strings.HasPrefix(req.Path, "/") || transport.RelativePath(req.Path) != nil {
		return nil, invalidErr(op, "RawRequest.Path: must be a path like /v2/contract/delay, not a URL")
	}
	tr := &transport.Request{Op: op, Method: m, Path: req.Path, Query: req.Query, Idempotent: req.Idempotent, Sign: c.sign}
	if req.Body != nil {
		b, err := marshal(req.Body)
		if err != nil {
			return nil, invalidErr(op, "RawRequest.Body: cannot encode: "+err.Error())
		}
		tr.Body, tr.ContentType = b, contentTypeJSON
	}
	var env envelope
	tr.Check = func(r *transport.Response) (transport.Verdict, error) { return c.check(r, &env) }
	resp, err := c.tc.Do(ctx, tr)
	if err != nil {
		return nil, c.wrapErr(op, err)
	}
	res := &RawResponse{Meta: env.meta(resp.StatusCode)}
	res.Result = append(json.RawMessage(nil), env.Result...)
	return res, nil
}
