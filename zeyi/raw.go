package zeyi

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
)

// RawRequest calls an endpoint this package does not model, with the same
// signing, envelope handling and errors as the typed calls.
type RawRequest struct {
	// Path is relative to the base URL, e.g. "audit/send".
	Path string
	// Body is marshalled to JSON once; those exact bytes are signed and sent.
	Body any
	// Idempotent allows retries after the gateway may have seen the call.
	// Set it only for reads or calls the gateway deduplicates.
	Idempotent bool
}

// RawResponse is a successful raw call's answer.
type RawResponse struct {
	// HTTPStatus is the HTTP status.
	HTTPStatus int
	// Result is the envelope's result, verbatim (may be null).
	Result json.RawMessage
}

// Raw sends req and returns the envelope's result undecoded.
func (c *Client) Raw(ctx context.Context, req *RawRequest) (*RawResponse, error) {
	if req == nil || strings.TrimSpace(req.Path) == "" {
		return nil, errors.New("zeyi: RawRequest.Path: required")
	}
	var res json.RawMessage
	resp, err := c.call(ctx, req.Path, req.Path, req.Body, &res, req.Idempotent)
	if err != nil {
		return nil, err
	}
	if res == nil {
		res = json.RawMessage("null")
	}
	return &RawResponse{HTTPStatus: resp.StatusCode, Result: res}, nil
}
