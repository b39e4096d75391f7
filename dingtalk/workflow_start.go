package dingtalk

import (
	"context"
	"errors"
)

// WorkflowApprovers is one approval step of a new-API start request.
type WorkflowApprovers struct {
	ActionType string   `json:"actionType"` // AND, OR, NONE
	UserIDs    []string `json:"userIds"`
}

// StartWorkflowInstanceRequest starts an approval through the new API.
type StartWorkflowInstanceRequest struct {
	ProcessCode         string              // required
	OriginatorUserID    string              // required
	DeptID              int64               // 发起人部门 (optional)
	MicroappAgentID     int64               // optional
	Approvers           []WorkflowApprovers // optional, at most 20 steps
	CCList              []string            // at most 20
	CCPosition          string              // START, FINISH, START_FINISH
	FormComponentValues []FormValue         // required, by Name; at most 150
}

type startWire struct {
	ProcessCode      string              `json:"processCode"`
	OriginatorUserID string              `json:"originatorUserId"`
	DeptID           int64               `json:"deptId,omitempty"`
	MicroappAgentID  int64               `json:"microappAgentId,omitempty"`
	Approvers        []WorkflowApprovers `json:"approvers,omitempty"`
	CCList           []string            `json:"ccList,omitempty"`
	CCPosition       string              `json:"ccPosition,omitempty"`
	Form             []startValue        `json:"formComponentValues"`
}

type startValue struct {
	Name          string `json:"name"`
	Value         string `json:"value"`
	ID            string `json:"id,omitempty"`
	ComponentType string `json:"componentType,omitempty"`
	ExtValue      string `json:"extValue,omitempty"`
	BizAlias      string `json:"bizAlias,omitempty"`
}

func (r *StartWorkflowInstanceRequest) wire() (*startWire, error) {
	const name = "StartWorkflowInstanceRequest"
	if r == nil {
		return nil, errors.New("dingtalk: " + name + ": must not be nil")
	}
	if err := checkStart(name, r.ProcessCode, r.OriginatorUserID, r.FormComponentValues, len(r.Approvers), len(r.CCList)); err != nil {
		return nil, err
	}
	w := &startWire{ProcessCode: r.ProcessCode, OriginatorUserID: r.OriginatorUserID, DeptID: r.DeptID,
		MicroappAgentID: r.MicroappAgentID, Approvers: r.Approvers, CCList: r.CCList, CCPosition: r.CCPosition}
	for _, v := range r.FormComponentValues {
		w.Form = append(w.Form, startValue{Name: v.Name, Value: v.Value, ID: v.ID,
			ComponentType: v.ComponentType, ExtValue: v.ExtValue, BizAlias: v.BizAlias})
	}
	return w, nil
}

// StartWorkflowInstanceResponse carries the new instance's ID.
type StartWorkflowInstanceResponse struct {
	InstanceID string
}

// StartWorkflowInstance starts an approval through the new API
// (POST /v1.0/workflow/processInstances). It is sent once, never retried
// after it may have reached DingTalk.
func (c *Client) StartWorkflowInstance(ctx context.Context, req *StartWorkflowInstanceRequest) (*StartWorkflowInstanceResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, err
	}
	var out struct {
		InstanceID string `json:"instanceId"`
	}
	if err := c.call(ctx, apiCall{path: pathWorkflowInstances, newAPI: true, body: w}, &out); err != nil {
		return nil, err
	}
	return &StartWorkflowInstanceResponse{InstanceID: out.InstanceID}, nil
}
