package zeyi

import (
	"context"
	"fmt"
	"net/url"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/flex"
)

// Paths under the base URL.
const (
	PathSendAudit   = "audit/send"
	PathCancelAudit = "audit/cancel"
)

// FormItemType is the type of one approval form field.
type FormItemType string

// Form item types (the doc numbers them "1.text" and "2.file").
const (
	// FormText is a text field (文本格式): Value is the text.
	FormText FormItemType = "text"
	// FormFile is a file field (文件格式): Value is the file's URL.
	FormFile FormItemType = "file"
)

// FormItem is one field of the approval form (审批表单字段). The seed
// revision names the field in Key and may add ExtendValue; later
// revisions name it in Name. Set the one your gateway revision expects;
// empty fields are not sent.
type FormItem struct {
	Type FormItemType `json:"type"`
	// Key is the field name (字段名称), seed revision.
	Key string `json:"key,omitempty"`
	// Name is the field name in later revisions.
	Name string `json:"name,omitempty"`
	// Value is the text, or the file URL (字段值).
	Value string `json:"value"`
	// ExtendValue is an additional value (字段附加值), seed revision.
	ExtendValue string `json:"extendValue,omitempty"`
	// Sensitive asks the client to encrypt Value with Config.Encryption
	// before sending. Sending a sensitive value with encryption off is an
	// error, never a silent plaintext send.
	Sensitive bool `json:"-"`
}

// TextItem returns a text form item named key.
func TextItem(key, value string) FormItem { return FormItem{Type: FormText, Key: key, Value: value} }

// FileItem returns a file form item named key whose value is fileURL.
func FileItem(key, fileURL string) FormItem {
	return FormItem{Type: FormFile, Key: key, Value: fileURL}
}

// AmountItem returns a text form item named key whose value is the exact
// decimal amount a, as given (e.g. "12000.00"); money never passes
// through float64.
func AmountItem(key string, a hetong.Amount) FormItem { return TextItem(key, a.String()) }

// Encrypted returns a copy of it marked Sensitive.
func (it FormItem) Encrypted() FormItem { it.Sensitive = true; return it }

// ConditionParam is one condition parameter (条件参数) that steers the
// DingTalk approval flow.
type ConditionParam struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SendAuditRequest starts an approval (发起审批, audit/send). Required:
// Code (or ID), AuditType and OriginatorUsername (or Username); a missing
// one is reported under the seed name (Code, OriginatorUsername). All other
// fields are optional and empty ones are not sent, so one struct serves the
// seed revision and the later ones.
type SendAuditRequest struct {
	// Code is the business number (业务编号). The gateway keeps at most one
	// approved or in-progress approval per code.
	Code string `json:"code,omitempty"`
	// ID is the business key (业务主键) of later revisions, which renamed code.
	ID string `json:"id,omitempty"`
	// AuditType is the approval type (审批类型, 则一提供).
	AuditType string `json:"auditType,omitempty"`
	// OriginatorUsername is the originator's 则一 employee number (发起人工号).
	OriginatorUsername string `json:"originatorUsername,omitempty"`
	// Username is the originator's employee number in later revisions.
	Username string `json:"username,omitempty"`
	// OrgCode is the owning organisation (业务所属组织), seed revision only.
	OrgCode string `json:"orgCode,omitempty"`
	// AuditFormList is the approval form.
	AuditFormList []FormItem `json:"auditFormList,omitempty"`
	// ConditionParamList holds the flow's condition parameters.
	ConditionParamList []ConditionParam `json:"conditionParamList,omitempty"`
}

// SendAuditResponse is audit/send's result. The seed revision returns a
// null result (both fields empty); later ones return the approval's code
// and id.
type SendAuditResponse struct {
	// Code is the approval number (审批单号).
	Code string
	// AuditID is the approval id (审批ID), needed to cancel in later revisions.
	AuditID string
}

// CancelAuditRequest cancels an approval (撤销审批, audit/cancel).
// Required: Code (or AuditID) and Type (or AuditType).
type CancelAuditRequest struct {
	// Code is the business number (业务编号).
	Code string `json:"code,omitempty"`
	// AuditID is the approval id returned by SendAudit (later revisions).
	AuditID string `json:"auditId,omitempty"`
	// Type is the business type (业务类型, 则一提供), seed revision.
	Type string `json:"type,omitempty"`
	// AuditType is the approval type, later revisions' name for Type.
	AuditType string `json:"auditType,omitempty"`
	// Remark is the reason (撤销原因).
	Remark string `json:"remark,omitempty"`
	// Username is the cancelling employee's number (撤销人员工号).
	Username string `json:"username,omitempty"`
}

// CancelAuditResponse is audit/cancel's (empty) result.
type CancelAuditResponse struct{}

// SendAudit starts an approval (发起审批, audit/send). It is not retried
// once the request may have reached the gateway: a second send of the
// same code would be refused as a duplicate and hide the first one's
// success.
func (c *Client) SendAudit(ctx context.Context, req *SendAuditRequest) (*SendAuditResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	body, err := c.encryptForm(req)
	if err != nil {
		return nil, err
	}
	var res struct {
		Code    flex.String `json:"code"`
		AuditID flex.String `json:"auditId"`
	}
	if _, err := c.call(ctx, opSendAudit, PathSendAudit, body, &res, false); err != nil {
		return nil, err
	}
	return &SendAuditResponse{Code: string(res.Code), AuditID: string(res.AuditID)}, nil
}

// CancelAudit cancels an approval (撤销审批, audit/cancel).
func (c *Client) CancelAudit(ctx context.Context, req *CancelAuditRequest) (*CancelAuditResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	if _, err := c.call(ctx, opCancelAudit, PathCancelAudit, req, nil, false); err != nil {
		return nil, err
	}
	return &CancelAuditResponse{}, nil
}

// Ops name the calls in errors and logs.
const (
	opSendAudit   = "SendAudit"
	opCancelAudit = "CancelAudit"
)

func (r *SendAuditRequest) validate() error {
	field := func(name, rule string) error {
		return invalid(opSendAudit, errfmt.Field("SendAuditRequest"+name, rule))
	}
	switch {
	case r == nil:
		return invalid(opSendAudit, errfmt.Field("SendAuditRequest", errfmt.Required))
	case errfmt.Blank(r.Code) && errfmt.Blank(r.ID):
		return field(".Code", errfmt.Required)
	case errfmt.Blank(r.AuditType):
		return field(".AuditType", errfmt.Required)
	case errfmt.Blank(r.OriginatorUsername) && errfmt.Blank(r.Username):
		return field(".OriginatorUsername", errfmt.Required)
	}
	for i, it := range r.AuditFormList {
		if name, rule := it.check(); rule != "" {
			return field(fmt.Sprintf(".AuditFormList[%d].%s", i, name), rule)
		}
	}
	for i, p := range r.ConditionParamList {
		if errfmt.Blank(p.Name) {
			return field(fmt.Sprintf(".ConditionParamList[%d].Name", i), errfmt.Required)
		}
	}
	return nil
}

// check returns the field of it that breaks a rule, and the rule.
func (it FormItem) check() (field, rule string) {
	switch it.Type {
	case FormText, FormFile:
	default:
		return "Type", errfmt.OneOf(string(FormText), string(FormFile))
	}
	if errfmt.Blank(it.Key) && errfmt.Blank(it.Name) {
		return "Key", errfmt.Required
	}
	if it.Type == FormFile {
		u, err := url.Parse(it.Value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "Value", "must be an absolute http(s) URL"
		}
	}
	return "", ""
}

// encryptForm returns the body to send: req itself, or a copy whose
// sensitive form values are encrypted. The caller's request is not changed.
func (c *Client) encryptForm(req *SendAuditRequest) (*SendAuditRequest, error) {
	var out *SendAuditRequest
	for i, it := range req.AuditFormList {
		if !it.Sensitive {
			continue
		}
		field := fmt.Sprintf("SendAuditRequest.AuditFormList[%d]", i)
		if c.cipher == nil {
			return nil, invalid(opSendAudit, errfmt.Field(field+".Sensitive", "needs Config.Encryption"))
		}
		if out == nil {
			cp := *req
			cp.AuditFormList = append([]FormItem(nil), req.AuditFormList...)
			out = &cp
		}
		ct, err := c.cipher.Encrypt([]byte(it.Value))
		if err != nil {
			return nil, &Error{Op: opSendAudit, Message: errfmt.Field(field+".Value", "cannot encrypt: "+err.Error()), Err: err}
		}
		out.AuditFormList[i].Value = ct
	}
	if out == nil {
		return req, nil
	}
	return out, nil
}

func (r *CancelAuditRequest) validate() error {
	field := func(name, rule string) error {
		return invalid(opCancelAudit, errfmt.Field("CancelAuditRequest"+name, rule))
	}
	switch {
	case r == nil:
		return invalid(opCancelAudit, errfmt.Field("CancelAuditRequest", errfmt.Required))
	case errfmt.Blank(r.Code) && errfmt.Blank(r.AuditID):
		return field(".Code", errfmt.Required)
	case errfmt.Blank(r.Type) && errfmt.Blank(r.AuditType):
		return field(".Type", errfmt.Required)
	}
	return nil
}
