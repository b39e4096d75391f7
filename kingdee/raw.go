package kingdee

import (
	"context"
	"encoding/json"
	"strings"
)

// RawRequest calls a service the SDK does not model (a customer's own
// WebAPI plug-in, a newer DynamicFormService operation, ...), with the
// same signing, session handling, envelope checks and errors.
type RawRequest struct {
	// Service is the full service name without ".common.kdsvc", e.g.
	// "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.SwitchOrg", or
	// just the operation ("SwitchOrg") for a DynamicFormService call.
	Service string
	// Body is marshalled as is, e.g. map[string]any{"data": …} or
	// map[string]any{"formid": …, "data": …}.
	Body any
	// Idempotent marks a read: it may be retried, and re-sent once after a
	// re-login when the session was lost.
	Idempotent bool
}

// RawResponse is the unparsed answer.
type RawResponse struct {
	// Body is the response body.
	Body json.RawMessage
}

// Raw calls any WebAPI service. A failed ResponseStatus is still an *Error.
func (c *Client) Raw(ctx context.Context, req *RawRequest) (*RawResponse, error) {
	if req == nil || strings.TrimSpace(req.Service) == "" {
		return nil, inputError("Raw", "RawRequest.Service", "required")
	}
	svc := strings.TrimSuffix(strings.TrimSpace(req.Service), serviceSuffix)
	if !isServiceName(svc) {
		// A URL or a path here could send the signed request elsewhere.
		return nil, inputError("Raw", "RawRequest.Service", "must be a service name such as "+
			"Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save, not a URL or path")
	}
	if !strings.Contains(svc, ".") {
		svc = dynamicFormService + svc
	}
	payload := req.Body
	if payload == nil {
		payload = struct{}{}
	}
	op := svc[strings.LastIndexByte(svc, '.')+1:]
	body, err := c.exec(ctx, call{op: op, service: svc, payload: payload, idempotent: req.Idempotent, allowEmpty: true})
	if err != nil {
		return nil, err
	}
	if !json.Valid(body) { // only the first element of an array was checked
		return nil, &Error{Op: op, HTTPStatus: 200, Message: "server sent " + notJSON(body), red: c.tc.Redactor()}
	}
	return &RawResponse{Body: json.RawMessage(body)}, nil
}

// isServiceName accepts dotted identifiers only: letters, digits, "_" and
// "." (no leading or doubled dot), so the call stays on the client's site.
func isServiceName(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		ok := r == '.' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}
