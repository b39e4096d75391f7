package dingtalk

import (
	"context"
)

// WorkflowApprovers is one approval step of a new-API start request.
type WorkflowApprovers struct {
	ActionType string   `json:"actionType"` // AND, OR, NONE
	UserIDs    []string `json:"userIds"`
}

// StartWorkflowInstanceRequest starts an approval through the new API.
type StartWorkflowInstanceRequest struct {
	ProcessCode      string              // required
	OriginatorUserID string              // required
	DeptID           int64               // 发起人部门 (optional; -1 is the root department)
	MicroappAgentID  int64               // optional
	Approvers        []WorkflowApprovers // optional, at most 20 steps
	// TargetSelectActioners name the approvers of the nodes the initiator
	// chooses (自选审批人); templates with such nodes require them. The
	// actionerKey of each node comes from [Client.ProcessForecast].
	TargetSelectActioners []StartProcessInstanceRequestTargetSelectActioners
	CCList                []string // at most 20
	CCPosition            string   // START, FINISH, START_FINISH
	BizDetailPageURL      string   // custom detail page shown for the instance (bizDetailPageUrl)
	// FormComponentValues fill the form by Name (at most 150); a detail
	// table (TableField) takes its rows in Rows.
	FormComponentValues []FormValue
}

func (r *StartWorkflowInstanceRequest) wire() (*StartProcessInstanceRequest, error) {
	const name = "StartWorkflowInstanceRequest"
	if r == nil {
		return nil, invalid(name, "required")
	}
	if err := checkStart(name, r.ProcessCode, r.OriginatorUserID, r.FormComponentValues, len(r.Approvers), len(r.CCList)); err != nil {
		return nil, err
	}
	w := &StartProcessInstanceRequest{ProcessCode: r.ProcessCode, OriginatorUserID: r.OriginatorUserID,
		CCList: r.CCList, CCPosition: r.CCPosition, BizDetailPageURL: r.BizDetailPageURL, TargetSelectActioners: r.TargetSelectActioners}
	if r.DeptID != 0 {
		w.DeptID = ptr(r.DeptID)
	}
	if r.MicroappAgentID != 0 {
		w.MicroappAgentID = ptr(r.MicroappAgentID)
	}
	for _, a := range r.Approvers {
		w.Approvers = append(w.Approvers, StartProcessInstanceRequestApprovers(a))
	}
	for _, v := range r.FormComponentValues {
		w.FormComponentValues = append(w.FormComponentValues, StartProcessInstanceRequestFormComponentValues{
			Name: v.Name, Value: v.Value, ID: v.ID, ComponentType: v.ComponentType, ExtValue: v.ExtValue,
			BizAlias: v.BizAlias, Details: tableDetails(v.Rows)})
	}
	return w, nil
}

// tableDetails turns table rows into the start request's details: one
// entry per row whose details are the row's cells.
func tableDetails(rows [][]FormValue) []StartProcessInstanceRequestFormComponentValuesDetails {
	var out []StartProcessInstanceRequestFormComponentValuesDetails
	for _, row := range rows {
		var cells []StartProcessInstanceRequestFormComponentValuesDetailsDetails
		for _, c := range row {
			cells = append(cells, StartProcessInstanceRequestFormComponentValuesDetailsDetails{Name: c.Name, Value: c.Value,
				ID: c.ID, ComponentType: c.ComponentType, ExtValue: c.ExtValue, BizAlias: c.BizAlias})
		}
		out = append(out, StartProcessInstanceRequestFormComponentValuesDetails{Details: cells})
	}
	return out
}

// StartWorkflowInstanceResponse carries the new instance's ID.
type StartWorkflowInstanceResponse struct {
	InstanceID string
}

// StartWorkflowInstance starts an approval through the new API
// (POST /v1.0/workflow/processInstances, through
// [Client.StartProcessInstance]). It is sent once, never retried after it
// may have reached DingTalk.
func (c *Client) StartWorkflowInstance(ctx context.Context, req *StartWorkflowInstanceRequest) (*StartWorkflowInstanceResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, c.withOp("StartWorkflowInstance", err)
	}
	out, err := c.StartProcessInstance(ctx, w)
	if err != nil {
		return nil, err
	}
	return &StartWorkflowInstanceResponse{InstanceID: out.InstanceID}, nil
}
