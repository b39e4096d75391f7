package dingtalk

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
)

// RawRequest calls an endpoint the SDK does not model yet, with the same
// token handling, envelope checks, retries and errors as the typed methods.
type RawRequest struct {
	// NewAPI selects api.dingtalk.com (header token, {code,message} errors);
	// false selects oapi.dingtalk.com (?access_token=, errcode envelope).
	NewAPI bool
	Method string     // default POST
	Path   string     // e.g. "/topapi/processinstance/cspace/info" (required)
	Query  url.Values // extra query parameters
	Body   any        // marshalled to JSON once; nil sends no body
	// Idempotent allows retries after the request may have reached
	// DingTalk: set it for reads.
	Idempotent bool
}

// RawResponse is the response body, already checked for errors.
type RawResponse struct {
	Body json.RawMessage
}

// Raw runs req and returns the body of a successful response.
func (c *Client) Raw(ctx context.Context, req *RawRequest) (*RawResponse, error) {
	switch {
	case req == nil:
		return nil, c.withOp("Raw", invalid("RawRequest", "required"))
	case !strings.HasPrefix(req.Path, "/") || strings.HasPrefix(req.Path, "//"):
		return nil, c.withOp("Raw", invalid("RawRequest.Path", "must be a path on the configured host, starting with one /"))
	}
	var out json.RawMessage
	k := apiCall{path: req.Path, method: strings.ToUpper(req.Method), newAPI: req.NewAPI, query: req.Query,
		body: req.Body, idempotent: req.Idempotent}
	if err := c.call(ctx, k, &out); err != nil {
		return nil, err
	}
	return &RawResponse{Body: out}, nil
}
