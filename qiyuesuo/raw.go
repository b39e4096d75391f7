package qiyuesuo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// RawRequest calls an endpoint this package does not model, with the same
// signing, envelope check and errors as the typed calls.
type RawRequest struct {
	// Method is GET or POST.
	Method string
	// Path is the API path, e.g. "/v2/contract/delay".
	Path string
	// Query is sent as the query string (GET endpoints).
	Query url.Values
	// Body is marshalled to JSON (POST endpoints); nil sends no body.
	Body any
	// Idempotent allows re-sending after a 5xx or a lost response. Set it
	// only for reads and for writes the platform deduplicates.
	Idempotent bool
}

// RawResponse carries the envelope and the undecoded result.
type RawResponse struct {
	Meta   `json:"-"`
	Result json.RawMessage
}

// Raw calls an unmodelled endpoint.
func (c *Client) Raw(ctx context.Context, req *RawRequest) (*RawResponse, error) {
	if err := checkNil("RawRequest", req); err != nil {
		return nil, err
	}
	m := strings.ToUpper(req.Method)
	if m != http.MethodGet && m != http.MethodPost {
		return nil, invalid("RawRequest.Method", "want GET or POST")
	}
	if !strings.HasPrefix(req.Path, "/") {
		return nil, invalid("RawRequest.Path", "want an absolute path like /v2/contract/delay")
	}
	cl := call{op: req.Path, method: m, path: req.Path, query: req.Query, body: req.Body, idempotent: req.Idempotent}
	return send[RawResponse](ctx, c, cl, func(r *RawResponse) any { return &r.Result })
}
