package kingdee

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
)

// Bills names the bills an operation acts on: by number, by internal id, or both.
type Bills struct {
	// FormID is the business object, e.g. FormPayApply.
	FormID string `json:"-"`
	// Numbers are bill numbers (FBillNo).
	Numbers []string `json:"Numbers,omitempty"`
	// IDs are internal ids (FID); sent joined by commas.
	IDs []string `json:"-"`
	// CreateOrgID is the creating organisation's id, 0 for none.
	CreateOrgID int64 `json:"CreateOrgId,omitempty"`
	// UseOrgID is the using organisation's id, 0 for none.
	UseOrgID int64 `json:"UseOrgId,omitempty"`
	// NetworkCtrl turns network control (网控) on.
	NetworkCtrl bool `json:"NetworkCtrl,omitempty"`
}

func (b *Bills) check(op, name string) error {
	if strings.TrimSpace(b.FormID) == "" {
		return inputError(op, name+".FormID", "required")
	}
	if len(b.Numbers) == 0 && len(b.IDs) == 0 {
		return inputError(op, name+".Numbers", "give Numbers or IDs")
	}
	for i, id := range b.IDs {
		if strings.TrimSpace(id) == "" || strings.Contains(id, ",") {
			return inputError(op, name+".IDs", "entry "+strconv.Itoa(i)+" is empty or contains a comma")
		}
	}
	return nil
}

// billsData is Bills on the wire, with Ids joined.
type billsData struct {
	*Bills
	IDs string `json:"Ids,omitempty"`
}

func (b *Bills) data() billsData { return billsData{Bills: b, IDs: strings.Join(b.IDs, ",")} }

// SubmitRequest submits bills (提交).
type SubmitRequest struct {
	Bills
	// SelectedPostID is the workflow post id, 0 for none.
	SelectedPostID int64
	// IgnoreInterationFlag ignores interaction prompts (default true).
	IgnoreInterationFlag *bool
}

// AuditRequest audits bills (审核).
type AuditRequest struct {
	Bills
	// InterationFlags are interaction flags joined by ";".
	InterationFlags string
	// IgnoreInterationFlag ignores interaction prompts (default true).
	IgnoreInterationFlag *bool
	// IsVerifyProcInst checks the workflow instance (default true).
	IsVerifyProcInst *bool
	// UseBatControlTimes applies batch control times.
	UseBatControlTimes bool
}

// UnAuditRequest reverses an audit (反审核).
type UnAuditRequest struct {
	Bills
	// InterationFlags are interaction flags joined by ";".
	InterationFlags string
	// IgnoreInterationFlag ignores interaction prompts (default true).
	IgnoreInterationFlag *bool
	// IsVerifyProcInst checks the workflow instance (default true).
	IsVerifyProcInst *bool
}

// DeleteRequest deletes bills (删除); only unaudited bills can be deleted.
type DeleteRequest struct {
	Bills
}

// OperationResponse is the answer of Submit, Audit, UnAudit, Delete and
// the other operations that act on existing bills.
type OperationResponse struct {
	// Entities lists the bills the operation succeeded on.
	Entities []Entity
	// Messages are the server's SuccessMessages.
	Messages []string
}

// opBody merges the Bills keys with an operation's own keys.
type opBody[T any] struct {
	billsData
	Extra *T
}

// MarshalJSON writes the Bills keys and the operation's keys as one object.
func (o opBody[T]) MarshalJSON() ([]byte, error) {
	a, err := json.Marshal(o.billsData)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(o.Extra)
	if err != nil {
		return nil, err
	}
	return mergeObjects(a, b), nil
}

// mergeObjects joins two JSON objects' members (keys must not repeat).
func mergeObjects(a, b []byte) []byte {
	if len(b) <= 2 || string(b) == "null" {
		return a
	}
	if len(a) <= 2 {
		return b
	}
	out := make([]byte, 0, len(a)+len(b))
	out = append(out, a[:len(a)-1]...)
	out = append(out, ',')
	return append(out, b[1:]...)
}

// Submit submits bills for approval (提交). Never retried.
func (c *Client) Submit(ctx context.Context, req *SubmitRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("Submit", "SubmitRequest", "required")
	}
	type extra struct {
		SelectedPostID       int64 `json:"SelectedPostId,omitempty"`
		IgnoreInterationFlag *bool `json:"IgnoreInterationFlag,omitempty"`
	}
	return billOp(ctx, c, "Submit", &req.Bills, &extra{req.SelectedPostID, req.IgnoreInterationFlag})
}

// Audit audits bills (审核). Never retried.
func (c *Client) Audit(ctx context.Context, req *AuditRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("Audit", "AuditRequest", "required")
	}
	type extra struct {
		InterationFlags      string `json:"InterationFlags,omitempty"`
		IgnoreInterationFlag *bool  `json:"IgnoreInterationFlag,omitempty"`
		IsVerifyProcInst     *bool  `json:"IsVerifyProcInst,omitempty"`
		UseBatControlTimes   bool   `json:"UseBatControlTimes,omitempty"`
	}
	return billOp(ctx, c, "Audit", &req.Bills, &extra{req.InterationFlags, req.IgnoreInterationFlag, req.IsVerifyProcInst, req.UseBatControlTimes})
}

// UnAudit reverses an audit (反审核). Never retried.
func (c *Client) UnAudit(ctx context.Context, req *UnAuditRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("UnAudit", "UnAuditRequest", "required")
	}
	type extra struct {
		InterationFlags      string `json:"InterationFlags,omitempty"`
		IgnoreInterationFlag *bool  `json:"IgnoreInterationFlag,omitempty"`
		IsVerifyProcInst     *bool  `json:"IsVerifyProcInst,omitempty"`
	}
	return billOp(ctx, c, "UnAudit", &req.Bills, &extra{req.InterationFlags, req.IgnoreInterationFlag, req.IsVerifyProcInst})
}

// Delete deletes bills (删除). Never retried.
func (c *Client) Delete(ctx context.Context, req *DeleteRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("Delete", "DeleteRequest", "required")
	}
	return billOp[struct{}](ctx, c, "Delete", &req.Bills, nil)
}

// CancelAssignRequest withdraws submitted bills (撤销), back to created.
type CancelAssignRequest struct {
	Bills
}

// CancelAssign withdraws a submission (撤销). Never retried.
func (c *Client) CancelAssign(ctx context.Context, req *CancelAssignRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("CancelAssign", "CancelAssignRequest", "required")
	}
	return billOp[struct{}](ctx, c, "CancelAssign", &req.Bills, nil)
}

// ExecuteOperationRequest runs a named operation (Forbid, Enable, Close, ...).
type ExecuteOperationRequest struct {
	Bills
	// OpNumber is the operation code, e.g. "Forbid" or "Enable".
	OpNumber string
	// PkEntryIDs limits the operation to some entries of some bills.
	PkEntryIDs []PkEntryIDs
	// IgnoreInterationFlag ignores interaction prompts (default true).
	IgnoreInterationFlag *bool
}

// PkEntryIDs names entries of one bill.
type PkEntryIDs struct {
	// ID is the bill id.
	ID string `json:"Id"`
	// EntryIDs are the entry row ids.
	EntryIDs []string `json:"EntryIds"`
}

// ExecuteOperation runs a named operation (操作接口: Forbid, Enable,
// Close, ...). On the wire the service keeps Kingdee's spelling,
// DynamicFormService.ExcuteOperation. Never retried.
func (c *Client) ExecuteOperation(ctx context.Context, req *ExecuteOperationRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("ExecuteOperation", "ExecuteOperationRequest", "required")
	}
	if strings.TrimSpace(req.OpNumber) == "" {
		return nil, inputError("ExecuteOperation", "ExecuteOperationRequest.OpNumber", "required (e.g. Forbid)")
	}
	if err := req.Bills.check("ExecuteOperation", "ExecuteOperationRequest"); err != nil {
		return nil, err
	}
	type extra struct {
		PkEntryIDs           []PkEntryIDs `json:"PkEntryIds,omitempty"`
		IgnoreInterationFlag *bool        `json:"IgnoreInterationFlag,omitempty"`
	}
	payload := struct {
		FormID   string `json:"formid"`
		OpNumber string `json:"opNumber"`
		Data     any    `json:"data"`
	}{req.FormID, req.OpNumber, opBody[extra]{req.Bills.data(), &extra{req.PkEntryIDs, req.IgnoreInterationFlag}}}
	return c.operation(ctx, dfs("ExcuteOperation", payload, false))
}

func billOp[T any](ctx context.Context, c *Client, op string, b *Bills, extra *T) (*OperationResponse, error) {
	if err := b.check(op, op+"Request"); err != nil {
		return nil, err
	}
	return c.operation(ctx, dfs(op, formData{FormID: b.FormID, Data: opBody[T]{b.data(), extra}}, false))
}

// operation runs k and reads SuccessEntitys. On partial failure both the
// response and the *Error are returned.
func (c *Client) operation(ctx context.Context, k call) (*OperationResponse, error) {
	body, err := c.exec(ctx, k)
	if body == nil {
		return nil, err
	}
	var env resultEnvelope
	if derr := c.decode(k.op, body, &env); derr != nil {
		if err != nil {
			return nil, err
		}
		return nil, derr
	}
	if env.Result == nil || env.Result.ResponseStatus == nil {
		if err != nil {
			return nil, err
		}
		return nil, &Error{Op: k.op, HTTPStatus: 200, Message: "the answer holds no ResponseStatus", red: c.tc.Redactor()}
	}
	out := &OperationResponse{}
	out.Entities, out.Messages = env.Result.ResponseStatus.entities(), env.Result.ResponseStatus.messages()
	if err != nil && len(out.Entities) == 0 {
		return nil, err
	}
	return out, err
}

// ViewRequest reads one bill (查看) by number or id.
type ViewRequest struct {
	// FormID is the business object.
	FormID string
	// Number is the bill number; give Number or ID.
	Number string
	// ID is the internal id (FID).
	ID string
	// CreateOrgID is the creating organisation's id, 0 for none.
	CreateOrgID int64
	// IsSortBySeq sorts entries by sequence.
	IsSortBySeq bool
}

// ViewResponse holds the bill as the server shows it.
type ViewResponse struct {
	// Bill is the whole bill object.
	Bill json.RawMessage
}

// Decode unmarshals the bill into v (a *PayApply, a map, ...).
func (r *ViewResponse) Decode(v any) error { return json.Unmarshal(r.Bill, v) }

// View reads one bill (查看). Idempotent.
func (c *Client) View(ctx context.Context, req *ViewRequest) (*ViewResponse, error) {
	if req == nil {
		return nil, inputError("View", "ViewRequest", "required")
	}
	if strings.TrimSpace(req.FormID) == "" {
		return nil, inputError("View", "ViewRequest.FormID", "required")
	}
	if req.Number == "" && req.ID == "" {
		return nil, inputError("View", "ViewRequest.Number", "give Number or ID")
	}
	data := struct {
		CreateOrgID int64  `json:"CreateOrgId,omitempty"`
		Number      string `json:"Number,omitempty"`
		ID          string `json:"Id,omitempty"`
		IsSortBySeq bool   `json:"IsSortBySeq,omitempty"`
	}{req.CreateOrgID, req.Number, req.ID, req.IsSortBySeq}
	k := dfs("View", formData{FormID: req.FormID, Data: data}, true)
	body, err := c.exec(ctx, k)
	if err != nil {
		return nil, err
	}
	var res struct {
		Result struct {
			Result json.RawMessage `json:"Result"`
		} `json:"Result"`
	}
	if err := c.decode(k.op, body, &res); err != nil {
		return nil, err
	}
	if len(res.Result.Result) == 0 || string(res.Result.Result) == "null" {
		return nil, &Error{Op: k.op, HTTPStatus: 200, MsgCode: MsgCodeNotFound, Code: codeText(MsgCodeNotFound), Message: "no bill in the answer", red: c.tc.Redactor()}
	}
	return &ViewResponse{Bill: res.Result.Result}, nil
}

// PushRequest pushes bills down to a target form (下推), e.g. a 付款申请单
// to a 付款单 with rule CN_PAYAPPLYTOPAYBILL.
type PushRequest struct {
	// FormID is the source business object.
	FormID string `json:"-"`
	// IDs are source bill ids (joined by commas on the wire).
	IDs []string `json:"-"`
	// Numbers are source bill numbers.
	Numbers []string `json:"Numbers,omitempty"`
	// EntryIDs are source entry ids (joined by commas on the wire).
	EntryIDs []string `json:"-"`
	// RuleID is the conversion rule, e.g. "CN_PAYAPPLYTOPAYBILL".
	RuleID string `json:"RuleId,omitempty"`
	// TargetBillTypeID is the target bill type.
	TargetBillTypeID string `json:"TargetBillTypeId,omitempty"`
	// TargetOrgID is the target organisation id, 0 for none.
	TargetOrgID int64 `json:"TargetOrgId,omitempty"`
	// TargetFormID is the target business object, e.g. "AP_PAYBILL".
	TargetFormID string `json:"TargetFormId,omitempty"`
	// IsEnableDefaultRule uses the default rule when RuleID is empty.
	IsEnableDefaultRule bool `json:"IsEnableDefaultRule,omitempty"`
	// IsDraftWhenSaveFail keeps a draft when saving the target fails.
	IsDraftWhenSaveFail bool `json:"IsDraftWhenSaveFail,omitempty"`
	// CustomParams are passed to the conversion plug-ins.
	CustomParams map[string]any `json:"CustomParams,omitempty"`
}

// Push pushes bills down (下推) and returns the created target bills. Never retried.
func (c *Client) Push(ctx context.Context, req *PushRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("Push", "PushRequest", "required")
	}
	if strings.TrimSpace(req.FormID) == "" {
		return nil, inputError("Push", "PushRequest.FormID", "required")
	}
	if len(req.IDs) == 0 && len(req.Numbers) == 0 && len(req.EntryIDs) == 0 {
		return nil, inputError("Push", "PushRequest.Numbers", "give Numbers, IDs or EntryIDs")
	}
	data := struct {
		*PushRequest
		IDs      string `json:"Ids,omitempty"`
		EntryIDs string `json:"EntryIds,omitempty"`
	}{req, strings.Join(req.IDs, ","), strings.Join(req.EntryIDs, ",")}
	return c.operation(ctx, dfs("Push", formData{FormID: req.FormID, Data: data}, false))
}

// AllocateRequest allocates base data to organisations (分配).
type AllocateRequest struct {
	// FormID is the base-data business object, e.g. "BD_MATERIAL".
	FormID string
	// PkIDs are the ids of the data to allocate.
	PkIDs []string
	// TOrgIDs are the target organisation ids.
	TOrgIDs []string
	// IsAutoSubmitAndAudit submits and audits the allocated data (Allocate only).
	IsAutoSubmitAndAudit bool
}

func (r *AllocateRequest) data(op string, withAudit bool) (any, error) {
	if r == nil {
		return nil, inputError(op, "AllocateRequest", "required")
	}
	if strings.TrimSpace(r.FormID) == "" {
		return nil, inputError(op, "AllocateRequest.FormID", "required")
	}
	if len(r.PkIDs) == 0 {
		return nil, inputError(op, "AllocateRequest.PkIDs", "required")
	}
	if len(r.TOrgIDs) == 0 {
		return nil, inputError(op, "AllocateRequest.TOrgIDs", "required")
	}
	return struct {
		PkIDs                string `json:"PkIds"`
		TOrgIDs              string `json:"TOrgIds"`
		IsAutoSubmitAndAudit bool   `json:"IsAutoSubmitAndAudit,omitempty"`
	}{strings.Join(r.PkIDs, ","), strings.Join(r.TOrgIDs, ","), withAudit && r.IsAutoSubmitAndAudit}, nil
}

// Allocate allocates base data to organisations (分配). Never retried.
func (c *Client) Allocate(ctx context.Context, req *AllocateRequest) (*OperationResponse, error) {
	data, err := req.data("Allocate", true)
	if err != nil {
		return nil, err
	}
	return c.operation(ctx, dfs("Allocate", formData{FormID: req.FormID, Data: data}, false))
}

// CancelAllocate cancels an allocation (取消分配). Never retried.
func (c *Client) CancelAllocate(ctx context.Context, req *AllocateRequest) (*OperationResponse, error) {
	data, err := req.data("CancelAllocate", false)
	if err != nil {
		return nil, err
	}
	return c.operation(ctx, dfs("CancelAllocate", formData{FormID: req.FormID, Data: data}, false))
}

// ApprovalType is the action of WorkflowAudit.
type ApprovalType int

// Workflow actions.
const (
	ApprovalApprove   ApprovalType = 1 // 同意
	ApprovalReject    ApprovalType = 2 // 驳回
	ApprovalTerminate ApprovalType = 3 // 终止
)

// WorkflowAuditRequest approves, rejects or terminates bills in a workflow (工作流审批).
type WorkflowAuditRequest struct {
	// FormID is the business object.
	FormID string `json:"FormId"`
	// IDs are bill ids (joined by commas on the wire).
	IDs []string `json:"-"`
	// Numbers are bill numbers.
	Numbers []string `json:"Numbers,omitempty"`
	// UserID is the approver's user id, 0 for the API user.
	UserID int64 `json:"UserId,omitempty"`
	// UserName is the approver's user name.
	UserName string `json:"UserName,omitempty"`
	// ApprovalType is the action: approve, reject or terminate.
	ApprovalType ApprovalType `json:"ApprovalType"`
	// ActionResultID is the workflow action result id (审批项).
	ActionResultID string `json:"ActionResultId,omitempty"`
	// PostID is the approver's post id.
	PostID int64 `json:"PostId,omitempty"`
	// PostNumber is the approver's post number.
	PostNumber string `json:"PostNumber,omitempty"`
	// Disposition is the approval comment (审批意见).
	Disposition string `json:"Disposition,omitempty"`
}

// WorkflowAudit acts on bills in a workflow. Never retried.
func (c *Client) WorkflowAudit(ctx context.Context, req *WorkflowAuditRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("WorkflowAudit", "WorkflowAuditRequest", "required")
	}
	if strings.TrimSpace(req.FormID) == "" {
		return nil, inputError("WorkflowAudit", "WorkflowAuditRequest.FormID", "required")
	}
	if len(req.IDs) == 0 && len(req.Numbers) == 0 {
		return nil, inputError("WorkflowAudit", "WorkflowAuditRequest.Numbers", "give Numbers or IDs")
	}
	if req.ApprovalType < ApprovalApprove || req.ApprovalType > ApprovalTerminate {
		return nil, inputError("WorkflowAudit", "WorkflowAuditRequest.ApprovalType", "must be one of 1 (approve), 2 (reject), 3 (terminate)")
	}
	data := struct {
		*WorkflowAuditRequest
		IDs string `json:"Ids,omitempty"`
	}{req, strings.Join(req.IDs, ",")}
	return c.operation(ctx, dfs("WorkflowAudit", formData{Data: data}, false))
}

// BusinessInfoResponse is a form's metadata.
type BusinessInfoResponse struct {
	// Info is the metadata object (NeedReturnData).
	Info json.RawMessage
}

// BusinessInfoRequest names the form whose metadata to read.
type BusinessInfoRequest struct {
	// FormID is the business object, e.g. FormPayApply.
	FormID string `json:"FormId"`
}

// QueryBusinessInfo reads a form's metadata (查询单据元数据). Idempotent.
func (c *Client) QueryBusinessInfo(ctx context.Context, req *BusinessInfoRequest) (*BusinessInfoResponse, error) {
	if req == nil || strings.TrimSpace(req.FormID) == "" {
		return nil, inputError("QueryBusinessInfo", "BusinessInfoRequest.FormID", "required")
	}
	k := dfs("QueryBusinessInfo", formData{Data: req}, true)
	body, err := c.exec(ctx, k)
	if err != nil {
		return nil, err
	}
	var res struct {
		Result struct {
			NeedReturnData json.RawMessage `json:"NeedReturnData"`
		} `json:"Result"`
	}
	if err := c.decode(k.op, body, &res); err != nil {
		return nil, err
	}
	if len(rawList(res.Result.NeedReturnData)) == 0 {
		return nil, &Error{Op: k.op, HTTPStatus: 200, Message: "the answer holds no NeedReturnData", red: c.tc.Redactor()}
	}
	return &BusinessInfoResponse{Info: res.Result.NeedReturnData}, nil
}
