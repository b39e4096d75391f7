package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
)

// Old-API (oapi) approval paths.
const (
	pathListIDs        = "/topapi/processinstance/listids"
	pathGetInstance    = "/topapi/processinstance/get"
	pathCreateInstance = "/topapi/processinstance/create"
)

// MaxPageSize is the largest page processinstance/listids and the new
// instanceIds/query accept.
const MaxPageSize = 20

// Instance statuses (status) and results (result) of an approval.
const (
	StatusNew        = "NEW"
	StatusRunning    = "RUNNING"
	StatusTerminated = "TERMINATED"
	StatusCompleted  = "COMPLETED"
	StatusCanceled   = "CANCELED"

	ResultAgree  = "agree"
	ResultRefuse = "refuse"
)

// ListInstanceIDsRequest asks topapi/processinstance/listids for the IDs of
// the instances of one approval form started in a time window.
type ListInstanceIDsRequest struct {
	ProcessCode string    // 审批流的唯一码, "PROC-…" (required)
	StartTime   time.Time // instances started at or after (required)
	EndTime     time.Time // and before; zero means now
	Size        int       // page size, 1..20; 0 means 20
	Cursor      int64     // 0 first, then the previous NextCursor
	UserIDs     []string  // only these originators (at most 20)
}

type listIDsWire struct {
	ProcessCode string `json:"process_code"`
	StartTime   int64  `json:"start_time"`
	EndTime     int64  `json:"end_time,omitempty"`
	Size        int    `json:"size"`
	Cursor      int64  `json:"cursor"`
	UserIDList  string `json:"userid_list,omitempty"`
}

func (r *ListInstanceIDsRequest) wire() (*listIDsWire, error) {
	const name = "ListInstanceIDsRequest"
	if r == nil {
		return nil, errors.New("dingtalk: " + name + ": must not be nil")
	}
	if err := checkWindow(name, r.ProcessCode, r.StartTime, r.EndTime); err != nil {
		return nil, err
	}
	size, err := pageSize(name+".Size", r.Size)
	if err != nil {
		return nil, err
	}
	if r.Cursor < 0 {
		return nil, fmt.Errorf("dingtalk: %s.Cursor: must not be negative, got %d", name, r.Cursor)
	}
	if len(r.UserIDs) > 20 {
		return nil, fmt.Errorf("dingtalk: %s.UserIDs: at most 20, got %d", name, len(r.UserIDs))
	}
	w := &listIDsWire{ProcessCode: r.ProcessCode, StartTime: r.StartTime.UnixMilli(), Size: size,
		Cursor: r.Cursor, UserIDList: strings.Join(r.UserIDs, ",")}
	if !r.EndTime.IsZero() {
		w.EndTime = r.EndTime.UnixMilli()
	}
	return w, nil
}

// checkWindow validates the fields every instance-ID listing shares.
func checkWindow(name, processCode string, start, end time.Time) error {
	if strings.TrimSpace(processCode) == "" {
		return fmt.Errorf("dingtalk: %s.ProcessCode: must not be empty", name)
	}
	if start.IsZero() {
		return fmt.Errorf("dingtalk: %s.StartTime: must be set", name)
	}
	if !end.IsZero() && end.Before(start) {
		return fmt.Errorf("dingtalk: %s.EndTime: %s is before StartTime %s", name,
			end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	return nil
}

func pageSize(field string, n int) (int, error) {
	switch {
	case n == 0:
		return MaxPageSize, nil
	case n < 0 || n > MaxPageSize:
		return 0, fmt.Errorf("dingtalk: %s: must be 1..%d, got %d", field, MaxPageSize, n)
	}
	return n, nil
}

// ListInstanceIDsResponse is one page of instance IDs.
type ListInstanceIDsResponse struct {
	IDs        []string
	NextCursor int64 // pass as Cursor for the next page when HasMore
	HasMore    bool  // false when DingTalk sent no next_cursor
	RequestID  string
}

// ListInstanceIDs returns one page of the IDs of instances of
// req.ProcessCode started in [StartTime, EndTime]
// (POST /topapi/processinstance/listids). Use [Client.InstanceIDs] to page
// through all of them.
func (c *Client) ListInstanceIDs(ctx context.Context, req *ListInstanceIDsRequest) (*ListInstanceIDsResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, err
	}
	var out struct {
		RequestID string `json:"request_id"`
		Result    struct {
			List       []flex.String `json:"list"`
			NextCursor *flex.Int64   `json:"next_cursor"`
		} `json:"result"`
	}
	if err := c.call(ctx, apiCall{path: pathListIDs, body: w, idempotent: true}, &out); err != nil {
		return nil, err
	}
	res := &ListInstanceIDsResponse{IDs: make([]string, len(out.Result.List)), RequestID: out.RequestID}
	for i, id := range out.Result.List {
		res.IDs[i] = string(id)
	}
	if nc := out.Result.NextCursor; nc != nil {
		res.NextCursor, res.HasMore = int64(*nc), true
	}
	return res, nil
}

// InstanceIDs yields every instance ID req selects, fetching pages as the
// loop asks for them and following next_cursor until DingTalk stops sending
// one. req.Cursor is the starting cursor. After an error it yields nothing
// more.
func (c *Client) InstanceIDs(ctx context.Context, req *ListInstanceIDsRequest) iter.Seq2[string, error] {
	if _, err := req.wire(); err != nil {
		return failed(err)
	}
	page := *req
	return idPages(req.Cursor, func(cursor int64) ([]string, int64, bool, error) {
		page.Cursor = cursor
		res, err := c.ListInstanceIDs(ctx, &page)
		if err != nil {
			return nil, 0, false, err
		}
		return res.IDs, res.NextCursor, res.HasMore, nil
	})
}

// failed yields err once.
func failed(err error) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) { yield("", err) }
}

// idPages yields the IDs of page after page, starting at cursor, until a
// page says there is no more or the cursor stops moving.
func idPages(cursor int64, fetch func(cursor int64) (ids []string, next int64, more bool, err error)) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for {
			ids, next, more, err := fetch(cursor)
			if err != nil {
				yield("", err)
				return
			}
			for _, id := range ids {
				if !yield(id, nil) {
					return
				}
			}
			if !more || next == cursor { // no progress: stop rather than loop
				return
			}
			cursor = next
		}
	}
}

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
// (POST /topapi/processinstance/get).
func (c *Client) GetInstance(ctx context.Context, req *GetInstanceRequest) (*GetInstanceResponse, error) {
	if req == nil || strings.TrimSpace(req.ProcessInstanceID) == "" {
		return nil, errors.New("dingtalk: GetInstanceRequest.ProcessInstanceID: must not be empty")
	}
	var out struct {
		RequestID string           `json:"request_id"`
		Instance  *ProcessInstance `json:"process_instance"`
	}
	body := map[string]string{"process_instance_id": req.ProcessInstanceID}
	if err := c.call(ctx, apiCall{path: pathGetInstance, body: body, idempotent: true}, &out); err != nil {
		return nil, err
	}
	if out.Instance == nil {
		return nil, &Error{Op: pathGetInstance, Message: "response has no process_instance", RequestID: out.RequestID, red: c.tc.Redactor()}
	}
	return &GetInstanceResponse{RequestID: out.RequestID, Instance: out.Instance}, nil
}

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
	switch {
	case r == nil:
		return nil, errors.New("dingtalk: " + name + ": must not be nil")
	case strings.TrimSpace(r.ProcessCode) == "":
		return nil, errors.New("dingtalk: " + name + ".ProcessCode: must not be empty")
	case strings.TrimSpace(r.OriginatorUserID) == "":
		return nil, errors.New("dingtalk: " + name + ".OriginatorUserID: must not be empty")
	case r.DeptID == 0:
		return nil, errors.New("dingtalk: " + name + ".DeptID: must be set (-1 for the root department)")
	}
	if err := checkForm(name, r.FormComponentValues, len(r.Approvers), len(r.CCList)); err != nil {
		return nil, err
	}
	w := &createWire{AgentID: r.AgentID, ProcessCode: r.ProcessCode, OriginatorUserID: r.OriginatorUserID,
		DeptID: r.DeptID, Approvers: strings.Join(r.Approvers, ","), ApproversV2: r.ApproversV2,
		CCList: strings.Join(r.CCList, ","), CCPosition: r.CCPosition}
	for _, v := range r.FormComponentValues {
		w.Form = append(w.Form, createValue{Name: v.Name, Value: v.Value, ExtValue: v.ExtValue})
	}
	return w, nil
}

// checkForm applies the limits both create calls share.
func checkForm(name string, form []FormValue, approvers, cc int) error {
	switch {
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
