package dingtalk

import (
	"context"
	"fmt"
	"strings"
)

// ApproverGroup is one step of approvers_v2.
type ApproverGroup struct {
	ActionType string   `json:"task_action_type"` // AND (会签), OR (或签), NONE (single)
	UserIDs    []string `json:"user_ids"`
}

// CreateInstanceRequest starts an approval (发起审批实例).
type CreateInstanceRequest struct {
	AgentID          int64           // the app's AgentId (optional)
	ProcessCode      string          // required
	OriginatorUserID string          // 发起人 userid (required)
	DeptID           int64           // 发起人部门 (required; -1 is the root department)
	Approvers        []string        // at most 20; empty uses the approvers set in the console
	ApproversV2      []ApproverGroup // per-step approvers, instead of Approvers
	CCList           []string        // at most 20
	CCPosition       string          // START, FINISH or START_FINISH
	// FormComponentValues fills the form by Name (at most 150). A detail
	// table's Value is a JSON string of rows; see [TableValue].
	FormComponentValues []FormValue
}

func (r *CreateInstanceRequest) wire() (*OapiCreateProcessInstanceRequest, error) {
	const name = "CreateInstanceRequest"
	if r == nil {
		return nil, invalid(name, "required")
	}
	if err := checkStart(name, r.ProcessCode, r.OriginatorUserID, r.FormComponentValues, len(r.Approvers), len(r.CCList)); err != nil {
		return nil, err
	}
	if r.DeptID == 0 {
		return nil, invalid(name+".DeptID", "required (-1 for the root department)")
	}
	w := &OapiCreateProcessInstanceRequest{ProcessCode: r.ProcessCode, OriginatorUserID: r.OriginatorUserID,
		DeptID: r.DeptID, Approvers: strings.Join(r.Approvers, ","), CCList: strings.Join(r.CCList, ","), CCPosition: r.CCPosition}
	if r.AgentID != 0 {
		w.AgentID = ptr(r.AgentID)
	}
	for _, g := range r.ApproversV2 {
		w.ApproversV2 = append(w.ApproversV2, OapiCreateProcessInstanceRequestProcessInstanceApproverVo{TaskActionType: g.ActionType, UserIDs: g.UserIDs})
	}
	for _, v := range r.FormComponentValues {
		value := v.Value
		if len(v.Rows) > 0 {
			var err error
			if value, err = TableValue(v.Rows); err != nil {
				return nil, invalid(name+".FormComponentValues", "table rows cannot be encoded")
			}
		}
		w.FormComponentValues = append(w.FormComponentValues, OapiCreateProcessInstanceRequestFormComponentValueVo{Name: v.Name, Value: value, ExtValue: v.ExtValue})
	}
	return w, nil
}

// checkStart validates what both ways of starting an approval require.
func checkStart(name, processCode, originator string, form []FormValue, approvers, cc int) error {
	switch {
	case strings.TrimSpace(processCode) == "":
		return invalid(name+".ProcessCode", "required")
	case strings.TrimSpace(originator) == "":
		return invalid(name+".OriginatorUserID", "required")
	case len(form) == 0:
		return invalid(name+".FormComponentValues", "required")
	case len(form) > 150:
		return invalid(name+".FormComponentValues", "at most 150 items")
	case approvers > 20:
		return invalid(name+".Approvers", "at most 20 items")
	case cc > 20:
		return invalid(name+".CCList", "at most 20 items")
	}
	for i, v := range form {
		if strings.TrimSpace(v.Name) == "" {
			return invalid(fmt.Sprintf("%s.FormComponentValues[%d].Name", name, i), "required")
		}
	}
	return nil
}

// CreateInstanceResponse carries the new instance's ID.
type CreateInstanceResponse struct {
	ProcessInstanceID string
	RequestID         string
}

// CreateInstance starts an approval (POST /topapi/processinstance/create,
// through [Client.OapiCreateProcessInstance]). It is sent once: DingTalk
// does not deduplicate it, so a failure after the request went out is
// reported, never retried.
func (c *Client) CreateInstance(ctx context.Context, req *CreateInstanceRequest) (*CreateInstanceResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, c.withOp("CreateInstance", err)
	}
	out, err := c.OapiCreateProcessInstance(ctx, w)
	if err != nil {
		return nil, err
	}
	return &CreateInstanceResponse{ProcessInstanceID: out.ProcessInstanceID, RequestID: out.RequestID}, nil
}
