package zeyi

import (
	"context"
	"encoding/json"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/transport"
)

// RawRequest calls an endpoint this package does not model, with the same
// signing, envelope handling and errors as the typed calls.
type RawRequest struct {
	// Path is relative to the base URL, e.g. "audit/send". An absolute URL
	// is refused: a signed request never leaves the configured gateway.
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

// Raw sends req to a path on the configured gateway and returns the
// envelope's result undecoded. A 200 that is not an envelope (empty, {},
// null) fails like every other call.
func (c *Client) Raw(ctx context.Context, req *RawRequest) (*RawResponse, error) {
	if req == nil || errfmt.Blank(req.Path) {
		return nil, invalid("Raw", errfmt.Field("RawRequest.Path", errfmt.Required))
	}
	if err := transport.RelativePath(req.Path); err != nil {
		return nil, invalid("Raw", errfmt.Field("RawRequest.Path", "must be a path on the configured gateway, not an absolute URL"))
	}
	var res resultBytes
	resp, err := c.call(ctx, req.Path, req.Path, req.Body, &res, req.Idempotent)
	if err != nil {
		return nil, err
	}
	if res == nil {
		res = resultBytes("null")
	}
	return &RawResponse{HTTPStatus: resp.StatusCode, Result: json.RawMessage(res)}, nil
}

// resultBytes keeps the result as a slice of the answer's body instead of
// a copy (json.RawMessage copies): the body is read fresh for every call
// and never reused, and a large answer then costs its size once, not twice.
type resultBytes []byte

// UnmarshalJSON implements json.Unmarshaler.
func (r *resultBytes) UnmarshalJSON(b []byte) error {
	*r = b[:len(b):len(b)] // an append by the caller never writes into the body
	return nil
}
