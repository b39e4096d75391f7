package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
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

type createWire struct {
	AgentID          int64           `json:"agent_id,omitempty"`
	ProcessCode      string          `json:"process_code"`
	OriginatorUserID string          `json:"originator_user_id"`
	DeptID           int64           `json:"dept_id"`
	Approvers        string          `json:"approvers,omitempty"`
	ApproversV2      []ApproverGroup `json:"approvers_v2,omitempty"`
	CCList           string          `json:"cc_list,omitempty"`
	CCPosition       string          `json:"cc_position,omitempty"`
	Form             []createValue   `json:"form_component_values"`
}

type createValue struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	ExtValue string `json:"ext_value,omitempty"`
}

func (r *CreateInstanceRequest) wire() (*createWire, error) {
	const name = "CreateInstanceRequest"
	if r == nil {
		return nil, errors.New("dingtalk: " + name + ": must not be nil")
	}
	if err := checkStart(name, r.ProcessCode, r.OriginatorUserID, r.FormComponentValues, len(r.Approvers), len(r.CCList)); err != nil {
		return nil, err
	}
	if r.DeptID == 0 {
		return nil, errors.New("dingtalk: " + name + ".DeptID: must be set (-1 for the root department)")
	}
	w := &createWire{AgentID: r.AgentID, ProcessCode: r.ProcessCode, OriginatorUserID: r.OriginatorUserID,
		DeptID: r.DeptID, Approvers: strings.Join(r.Approvers, ","), ApproversV2: r.ApproversV2,
		CCList: strings.Join(r.CCList, ","), CCPosition: r.CCPosition}
	for _, v := range r.FormComponentValues {
		w.Form = append(w.Form, createValue{Name: v.Name, Value: v.Value, ExtValue: v.ExtValue})
	}
	return w, nil
}

// checkStart validates what both ways of starting an approval require.
func checkStart(name, processCode, originator string, form []FormValue, approvers, cc int) error {
	switch {
	case strings.TrimSpace(processCode) == "":
		return errors.New("dingtalk: " + name + ".ProcessCode: must not be empty")
	case strings.TrimSpace(originator) == "":
		return errors.New("dingtalk: " + name + ".OriginatorUserID: must not be empty")
	case len(form) == 0:
		return errors.New("dingtalk: " + name + ".FormComponentValues: must not be empty")
	case len(form) > 150:
		return fmt.Errorf("dingtalk: %s.FormComponentValues: at most 150, got %d", name, len(form))
	case approvers > 20:
		return fmt.Errorf("dingtalk: %s.Approvers: at most 20, got %d", name, approvers)
	case cc > 20:
		return fmt.Errorf("dingtalk: %s.CCList: at most 20, got %d", name, cc)
	}
	for i, v := range form {
		if strings.TrimSpace(v.Name) == "" {
			return fmt.Errorf("dingtalk: %s.FormComponentValues[%d].Name: must not be empty", name, i)
		}
	}
	return nil
}

// CreateInstanceResponse carries the new instance's ID.
type CreateInstanceResponse struct {
	ProcessInstanceID string
	RequestID         string
}

// CreateInstance starts an approval (POST /topapi/processinstance/create).
// It is sent once: DingTalk does not deduplicate it, so a failure after the
// request went out is reported, never retried.
func (c *Client) CreateInstance(ctx context.Context, req *CreateInstanceRequest) (*CreateInstanceResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, err
	}
	var out struct {
		ID        flex.String `json:"process_instance_id"`
		RequestID string      `json:"request_id"`
	}
	if err := c.call(ctx, apiCall{path: pathCreateInstance, body: w}, &out); err != nil {
		return nil, err
	}
	return &CreateInstanceResponse{ProcessInstanceID: string(out.ID), RequestID: out.RequestID}, nil
}
