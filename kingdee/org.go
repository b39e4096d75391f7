package kingdee

import (
	"context"
	"strings"
)

// SwitchOrgRequest names the organisation to work in (切换组织).
type SwitchOrgRequest struct {
	// OrgNumber is the organisation's number, e.g. "100". Required.
	OrgNumber string `json:"OrgNumber"`
}

// SwitchOrg switches the current session to another organisation (切换组织).
// It acts on the session the client holds: a login session, or in
// signed-header mode the session the server opened for the signature (a
// new one starts in Config.OrgNum). Switching to the same organisation
// twice changes nothing, so it is retried like a read.
func (c *Client) SwitchOrg(ctx context.Context, req *SwitchOrgRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("SwitchOrg", "SwitchOrgRequest", "required")
	}
	if strings.TrimSpace(req.OrgNumber) == "" {
		return nil, inputError("SwitchOrg", "SwitchOrgRequest.OrgNumber", "required (e.g. 100)")
	}
	return c.operation(ctx, dfs("SwitchOrg", formData{Data: req}, true))
}
