package dingtalk

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
)

// GetInstanceRequest names the instance to read.
type GetInstanceRequest struct {
	ProcessInstanceID string // required
}

// GetInstanceResponse is the whole instance.
type GetInstanceResponse struct {
	RequestID string
	Instance  *ProcessInstance
}

// ProcessInstance is an approval instance as topapi/processinstance/get
// returns it. Times are in China Standard Time.
type ProcessInstance struct {
	Title                      string            `json:"title"`
	CreateTime                 time.Time         `json:"-"`
	FinishTime                 time.Time         `json:"-"` // zero while running
	OriginatorUserID           string            `json:"originator_userid"`
	OriginatorDeptID           string            `json:"originator_dept_id"` // "-1" is the root department
	OriginatorDeptName         string            `json:"originator_dept_name"`
	Status                     string            `json:"status"` // NEW, RUNNING, TERMINATED, COMPLETED, CANCELED
	Result                     string            `json:"result"` // agree, refuse; empty while running
	ApproverUserIDs            []string          `json:"approver_userids"`
	CCUserIDs                  []string          `json:"cc_userids"`
	BusinessID                 string            `json:"business_id"` // 审批编号
	BizAction                  string            `json:"biz_action"`  // NONE, MODIFY, REVOKE
	AttachedProcessInstanceIDs []string          `json:"attached_process_instance_ids"`
	MainProcessInstanceID      string            `json:"main_process_instance_id"`
	FormComponentValues        FormValues        `json:"form_component_values"`
	OperationRecords           []OperationRecord `json:"operation_records"`
	Tasks                      []Task            `json:"tasks"`
}

// UnmarshalJSON decodes the "yyyy-MM-dd HH:mm:ss" times.
func (p *ProcessInstance) UnmarshalJSON(b []byte) error {
	type plain ProcessInstance
	w := struct {
		*plain
		CreateTime flex.Time   `json:"create_time"`
		FinishTime flex.Time   `json:"finish_time"`
		DeptID     flex.String `json:"originator_dept_id"`
	}{plain: (*plain)(p)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p.CreateTime, p.FinishTime, p.OriginatorDeptID = w.CreateTime.Time, w.FinishTime.Time, string(w.DeptID)
	return nil
}

// OperationRecord is one entry of an instance's history.
type OperationRecord struct {
	UserID          string       `json:"userid"`
	Date            time.Time    `json:"-"`
	OperationType   string       `json:"operation_type"`   // EXECUTE_TASK_NORMAL, START_PROCESS_INSTANCE, ADD_REMARK, …
	OperationResult string       `json:"operation_result"` // AGREE, REFUSE, NONE
	Remark          string       `json:"remark"`
	Attachments     []Attachment `json:"attachments"`
}

// UnmarshalJSON decodes the date.
func (o *OperationRecord) UnmarshalJSON(b []byte) error {
	type plain OperationRecord
	w := struct {
		*plain
		Date flex.Time `json:"date"`
	}{plain: (*plain)(o)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	o.Date = w.Date.Time
	return nil
}

// Task is one approver's task.
type Task struct {
	TaskID     string    `json:"-"`
	UserID     string    `json:"userid"`
	TaskStatus string    `json:"task_status"` // NEW, RUNNING, PAUSED, CANCELED, COMPLETED, TERMINATED
	TaskResult string    `json:"task_result"` // AGREE, REFUSE, REDIRECTED
	CreateTime time.Time `json:"-"`
	FinishTime time.Time `json:"-"`
	URL        string    `json:"url"`
}

// UnmarshalJSON decodes the times and the task ID (string or number).
func (t *Task) UnmarshalJSON(b []byte) error {
	type plain Task
	w := struct {
		*plain
		TaskID     flex.String `json:"taskid"`
		CreateTime flex.Time   `json:"create_time"`
		FinishTime flex.Time   `json:"finish_time"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	t.TaskID, t.CreateTime, t.FinishTime = string(w.TaskID), w.CreateTime.Time, w.FinishTime.Time
	return nil
}

// GetInstance reads one instance with its form values, history and tasks
// (POST /topapi/processinstance/get, the endpoint of
// [Client.OapiGetProcessInstance], decoded with Go times).
func (c *Client) GetInstance(ctx context.Context, req *GetInstanceRequest) (*GetInstanceResponse, error) {
	if req == nil || strings.TrimSpace(req.ProcessInstanceID) == "" {
		return nil, c.withOp("GetInstance", invalid("GetInstanceRequest.ProcessInstanceID", "required"))
	}
	var out struct {
		RequestID string           `json:"request_id"`
		Instance  *ProcessInstance `json:"process_instance"`
	}
	w := &OapiGetProcessInstanceRequest{ProcessInstanceID: req.ProcessInstanceID}
	if err := c.send(ctx, &epOapiGetProcessInstance, w, &out); err != nil {
		return nil, err
	}
	if out.Instance == nil {
		return nil, &Error{Op: "GetInstance", Message: "response has no process_instance", RequestID: out.RequestID, red: c.tc.Redactor()}
	}
	return &GetInstanceResponse{RequestID: out.RequestID, Instance: out.Instance}, nil
}
