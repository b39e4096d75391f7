package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
)

// New-API (api.dingtalk.com, workflow_1_0) approval paths.
const (
	pathWorkflowInstances = "/v1.0/workflow/processInstances"
	pathWorkflowListIDs   = "/v1.0/workflow/processes/instanceIds/query"
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
// (GET /v1.0/workflow/processInstances).
func (c *Client) GetWorkflowInstance(ctx context.Context, req *GetWorkflowInstanceRequest) (*GetWorkflowInstanceResponse, error) {
	if req == nil || strings.TrimSpace(req.ProcessInstanceID) == "" {
		return nil, errors.New("dingtalk: GetWorkflowInstanceRequest.ProcessInstanceID: must not be empty")
	}
	var out struct {
		Result *WorkflowInstance `json:"result"`
	}
	k := apiCall{path: pathWorkflowInstances, method: http.MethodGet, newAPI: true, idempotent: true,
		query: url.Values{"processInstanceId": {req.ProcessInstanceID}}}
	if err := c.call(ctx, k, &out); err != nil {
		return nil, err
	}
	if out.Result == nil {
		return nil, &Error{Op: pathWorkflowInstances, Message: "response has no result", red: c.tc.Redactor()}
	}
	return &GetWorkflowInstanceResponse{Instance: out.Result}, nil
}

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
	switch {
	case r == nil:
		return nil, errors.New("dingtalk: " + name + ": must not be nil")
	case strings.TrimSpace(r.ProcessCode) == "":
		return nil, errors.New("dingtalk: " + name + ".ProcessCode: must not be empty")
	case strings.TrimSpace(r.OriginatorUserID) == "":
		return nil, errors.New("dingtalk: " + name + ".OriginatorUserID: must not be empty")
	}
	if err := checkForm(name, r.FormComponentValues, len(r.Approvers), len(r.CCList)); err != nil {
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

// ListWorkflowInstanceIDsRequest selects instance IDs through the new API.
type ListWorkflowInstanceIDsRequest struct {
	ProcessCode string    // required
	StartTime   time.Time // required
	EndTime     time.Time // optional
	NextToken   int64     // 0 first, then the previous NextToken
	MaxResults  int       // 1..20; 0 means 20
	UserIDs     []string  // originators, optional
	Statuses    []string  // RUNNING, TERMINATED, COMPLETED; optional
}

type listWorkflowWire struct {
	ProcessCode string   `json:"processCode"`
	StartTime   int64    `json:"startTime"`
	EndTime     int64    `json:"endTime,omitempty"`
	NextToken   int64    `json:"nextToken"`
	MaxResults  int      `json:"maxResults"`
	UserIDs     []string `json:"userIds,omitempty"`
	Statuses    []string `json:"statuses,omitempty"`
}

func (r *ListWorkflowInstanceIDsRequest) wire() (*listWorkflowWire, error) {
	const name = "ListWorkflowInstanceIDsRequest"
	if r == nil {
		return nil, errors.New("dingtalk: " + name + ": must not be nil")
	}
	if err := checkWindow(name, r.ProcessCode, r.StartTime, r.EndTime); err != nil {
		return nil, err
	}
	n, err := pageSize(name+".MaxResults", r.MaxResults)
	if err != nil {
		return nil, err
	}
	if r.NextToken < 0 {
		return nil, fmt.Errorf("dingtalk: %s.NextToken: must not be negative, got %d", name, r.NextToken)
	}
	w := &listWorkflowWire{ProcessCode: r.ProcessCode, StartTime: r.StartTime.UnixMilli(), NextToken: r.NextToken,
		MaxResults: n, UserIDs: r.UserIDs, Statuses: r.Statuses}
	if !r.EndTime.IsZero() {
		w.EndTime = r.EndTime.UnixMilli()
	}
	return w, nil
}

// ListWorkflowInstanceIDsResponse is one page of IDs.
type ListWorkflowInstanceIDsResponse struct {
	IDs       []string
	NextToken int64 // pass as NextToken for the next page when HasMore
	HasMore   bool
}

// ListWorkflowInstanceIDs returns one page of instance IDs
// (POST /v1.0/workflow/processes/instanceIds/query).
func (c *Client) ListWorkflowInstanceIDs(ctx context.Context, req *ListWorkflowInstanceIDsRequest) (*ListWorkflowInstanceIDsResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, err
	}
	var out struct {
		Result struct {
			List      []flex.String `json:"list"`
			NextToken flex.String   `json:"nextToken"`
		} `json:"result"`
	}
	if err := c.call(ctx, apiCall{path: pathWorkflowListIDs, newAPI: true, body: w, idempotent: true}, &out); err != nil {
		return nil, err
	}
	res := &ListWorkflowInstanceIDsResponse{IDs: make([]string, len(out.Result.List))}
	for i, id := range out.Result.List {
		res.IDs[i] = string(id)
	}
	if nt := string(out.Result.NextToken); nt != "" {
		var n flex.Int64
		if err := n.UnmarshalJSON([]byte(nt)); err != nil {
			return nil, &Error{Op: pathWorkflowListIDs, Message: "nextToken is not a number", Err: err, red: c.tc.Redactor()}
		}
		res.NextToken, res.HasMore = int64(n), true
	}
	return res, nil
}

// WorkflowInstanceIDs yields every instance ID req selects, following
// nextToken until it is absent.
func (c *Client) WorkflowInstanceIDs(ctx context.Context, req *ListWorkflowInstanceIDsRequest) iter.Seq2[string, error] {
	if _, err := req.wire(); err != nil {
		return failed(err)
	}
	page := *req
	return idPages(req.NextToken, func(token int64) ([]string, int64, bool, error) {
		page.NextToken = token
		res, err := c.ListWorkflowInstanceIDs(ctx, &page)
		if err != nil {
			return nil, 0, false, err
		}
		return res.IDs, res.NextToken, res.HasMore, nil
	})
}
