package dingtalk

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
)

// apiTime decodes the new API's UTC minute-precision times
// ("2022-08-31T11:52Z") and anything [flex.Time] accepts.
type apiTime struct{ time.Time }

// UnmarshalJSON tries the new API layout first, then the flex shapes.
func (t *apiTime) UnmarshalJSON(b []byte) error {
	s := rawText(b)
	for _, layout := range []string{"2006-01-02T15:04Z07:00", time.RFC3339} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	v, err := flex.ParseTime(s)
	t.Time = v
	return err
}

// GetWorkflowInstanceRequest names the instance to read.
type GetWorkflowInstanceRequest struct {
	ProcessInstanceID string // required
}

// WorkflowInstance is an instance as the new API returns it. Times are UTC
// with minute precision.
type WorkflowInstance struct {
	Title                      string                    `json:"title"`
	CreateTime                 time.Time                 `json:"-"`
	FinishTime                 time.Time                 `json:"-"`
	OriginatorUserID           string                    `json:"originatorUserId"`
	OriginatorDeptID           string                    `json:"-"`
	OriginatorDeptName         string                    `json:"originatorDeptName"`
	Status                     string                    `json:"status"`
	Result                     string                    `json:"result"`
	BusinessID                 string                    `json:"businessId"`
	BizAction                  string                    `json:"bizAction"`
	BizData                    string                    `json:"bizData"`
	ApproverUserIDs            []string                  `json:"approverUserIds"`
	CCUserIDs                  []string                  `json:"ccUserIds"`
	AttachedProcessInstanceIDs []string                  `json:"attachedProcessInstanceIds"`
	MainProcessInstanceID      string                    `json:"mainProcessInstanceId"`
	FormComponentValues        FormValues                `json:"formComponentValues"`
	OperationRecords           []WorkflowOperationRecord `json:"operationRecords"`
	Tasks                      []WorkflowTask            `json:"tasks"`
}

// UnmarshalJSON decodes the times and the department ID.
func (w *WorkflowInstance) UnmarshalJSON(b []byte) error {
	type plain WorkflowInstance
	x := struct {
		*plain
		CreateTime apiTime     `json:"createTime"`
		FinishTime apiTime     `json:"finishTime"`
		DeptID     flex.String `json:"originatorDeptId"`
	}{plain: (*plain)(w)}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	w.CreateTime, w.FinishTime, w.OriginatorDeptID = x.CreateTime.Time, x.FinishTime.Time, string(x.DeptID)
	return nil
}

// WorkflowOperationRecord is one history entry (new API).
type WorkflowOperationRecord struct {
	UserID      string       `json:"userId"`
	Date        time.Time    `json:"-"`
	Type        string       `json:"type"`
	Result      string       `json:"result"`
	ShowName    string       `json:"showName"`
	Remark      string       `json:"remark"`
	ActivityID  string       `json:"activityId"`
	CCUserIDs   []string     `json:"ccUserIds"`
	Images      []string     `json:"images"`
	Attachments []Attachment `json:"attachments"`
}

// UnmarshalJSON decodes the date.
func (o *WorkflowOperationRecord) UnmarshalJSON(b []byte) error {
	type plain WorkflowOperationRecord
	x := struct {
		*plain
		Date apiTime `json:"date"`
	}{plain: (*plain)(o)}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	o.Date = x.Date.Time
	return nil
}

// WorkflowTask is one approver's task (new API).
type WorkflowTask struct {
	TaskID            string    `json:"-"`
	UserID            string    `json:"userId"`
	Status            string    `json:"status"`
	Result            string    `json:"result"`
	ActivityID        string    `json:"activityId"`
	CreateTime        time.Time `json:"-"`
	FinishTime        time.Time `json:"-"`
	PCURL             string    `json:"pcUrl"`
	MobileURL         string    `json:"mobileUrl"`
	ProcessInstanceID string    `json:"processInstanceId"`
}

// UnmarshalJSON decodes the times and the numeric task ID.
func (t *WorkflowTask) UnmarshalJSON(b []byte) error {
	type plain WorkflowTask
	x := struct {
		*plain
		TaskID     flex.String `json:"taskId"`
		CreateTime apiTime     `json:"createTime"`
		FinishTime apiTime     `json:"finishTime"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	t.TaskID, t.CreateTime, t.FinishTime = string(x.TaskID), x.CreateTime.Time, x.FinishTime.Time
	return nil
}

// GetWorkflowInstanceResponse is the instance.
type GetWorkflowInstanceResponse struct {
	Instance *WorkflowInstance
}

// GetWorkflowInstance reads one instance through the new API
// (GET /v1.0/workflow/processInstances, the endpoint of
// [Client.GetProcessInstance], decoded with Go times).
func (c *Client) GetWorkflowInstance(ctx context.Context, req *GetWorkflowInstanceRequest) (*GetWorkflowInstanceResponse, error) {
	if req == nil || strings.TrimSpace(req.ProcessInstanceID) == "" {
		return nil, c.withOp("GetWorkflowInstance", invalid("GetWorkflowInstanceRequest.ProcessInstanceID", "required"))
	}
	var out struct {
		Result *WorkflowInstance `json:"result"`
	}
	w := &GetProcessInstanceRequest{ProcessInstanceID: req.ProcessInstanceID}
	if err := c.send(ctx, &epGetProcessInstance, w, &out); err != nil {
		return nil, err
	}
	if out.Result == nil {
		return nil, &Error{Op: "GetWorkflowInstance", Message: "response has no result", red: c.tc.Redactor()}
	}
	return &GetWorkflowInstanceResponse{Instance: out.Result}, nil
}
