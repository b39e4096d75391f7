package essbasic

import (
	"encoding/json"
	"fmt"
)

// Callback message types the typed decoders know; others pass through as
// CallbackEvent.MsgType.
const (
	MsgTypeFlowStatusChange        = "FlowStatusChange"
	MsgTypeOrgAuth                 = "OrgAuth"
	MsgTypeOrgCertify              = "OrgCertify"
	MsgTypeOrgOpenTsignBiz         = "OrgOpenTsignBiz"
	MsgTypeVerifyStaffInfo         = "VerifyStaffInfo"
	MsgTypeVerifyStaffFail         = "VerifyStaffFail"
	MsgTypeOperatorAuth            = "OperatorAuth"
	MsgTypeQuiteJob                = "QuiteJob" // sic: the platform's spelling
	MsgTypeSuperAdminChange        = "SuperAdminChange"
	MsgTypeCloseOrganization       = "CloseOrganization"
	MsgTypeOperateSeal             = "OperateSeal"
	MsgTypeFlowCost                = "FlowCost"
	MsgTypeCancelFlows             = "CancelFlows"
	MsgTypeApproverDeadlineExpired = "ApproverDeadlineExpired"
	MsgTypeFlowGroupStatusChange   = "FlowGroupStatusChange"
)

// FlowCallbackStatus values of FlowStatusChange (合同状态).
const (
	FlowCallbackCreated   = 1  // 创建
	FlowCallbackSigning   = 2  // 签署中
	FlowCallbackRejected  = 3  // 拒签
	FlowCallbackCompleted = 4  // 签署完成
	FlowCallbackExpired   = 5  // 过期
	FlowCallbackCanceled  = 6  // 撤回
	FlowCallbackToFill    = 8  // 待填写
	FlowCallbackInvalid   = 16 // 已失效
	FlowCallbackRelieved  = 21 // 已解除
)

// FlowStatusChange is the MsgData of a FlowStatusChange message.
type FlowStatusChange struct {
	ApplicationID           string             `json:"ApplicationId"`
	ProxyOrganizationOpenID string             `json:"ProxyOrganizationOpenId"`
	ProxyOperatorOpenID     string             `json:"ProxyOperatorOpenId"`
	FlowID                  string             `json:"FlowId"`
	DocumentID              string             `json:"DocumentId"`
	CallbackType            string             `json:"CallbackType"` // sign, review, fill
	FlowName                string             `json:"FlowName"`
	FlowType                string             `json:"FlowType"`
	FlowDescription         string             `json:"FlowDescription"`
	Unordered               bool               `json:"Unordered"`
	CreateOn                int64              `json:"CreateOn"` // Unix seconds
	UpdatedOn               int64              `json:"UpdatedOn"`
	DeadLine                int64              `json:"DeadLine"`
	FlowCallbackStatus      int64              `json:"FlowCallbackStatus"` // FlowCallback* constants
	UserID                  string             `json:"UserId"`
	RecipientID             string             `json:"RecipientId"`
	Operate                 string             `json:"Operate"` // start, sign, reject, cancel, finish, deadline, fill
	UserData                string             `json:"UserData"`
	Approvers               []CallbackApprover `json:"Approvers"`
	FlowGroupMessage        *struct {
		FlowGroupID   string `json:"FlowGroupId"`
		FlowGroupName string `json:"FlowGroupName"`
	} `json:"FlowGroupMessage"`
}

// Terminal reports whether the flow can no longer change (rejected,
// completed, expired, cancelled, invalid or relieved).
func (f *FlowStatusChange) Terminal() bool {
	switch f.FlowCallbackStatus {
	case FlowCallbackRejected, FlowCallbackCompleted, FlowCallbackExpired, FlowCallbackCanceled,
		FlowCallbackInvalid, FlowCallbackRelieved:
		return true
	}
	return false
}

// CallbackApprover is one signer in a FlowStatusChange message.
type CallbackApprover struct {
	UserID                string `json:"UserId"`
	RecipientID           string `json:"RecipientId"`
	ApproverType          int64  `json:"ApproverType"` // 0 企业, 1 个人, 3 企业静默
	OrganizationName      string `json:"OrganizationName"`
	Required              bool   `json:"Required"`
	ApproverName          string `json:"ApproverName"`
	ApproverMobile        string `json:"ApproverMobile"`
	ApproverIDCardType    string `json:"ApproverIdCardType"`
	ApproverIDCardNumber  string `json:"ApproverIdCardNumber"`
	ApproveCallbackStatus int64  `json:"ApproveCallbackStatus"` // 3 accepted, 4 rejected, ...
	ApproveMessage        string `json:"ApproveMessage"`
	ApproveTime           int64  `json:"ApproveTime"`
	VerifyChannel         string `json:"VerifyChannel"`
}

// PartnerMessage is the MsgData of the partner's sub-organisation and
// staff messages (OrgAuth, OrgCertify, OrgOpenTsignBiz, VerifyStaffInfo,
// OperatorAuth, ...): the fields those messages share, plus each one's
// outcome flag. Fields a message does not carry stay zero.
type PartnerMessage struct {
	ApplicationID           string `json:"ApplicationId"`
	ProxyOrganizationOpenID string `json:"ProxyOrganizationOpenId"`
	ProxyOperatorOpenID     string `json:"ProxyOperatorOpenId"`
	ProxyAppID              string `json:"ProxyAppId"`
	AuthSuccess             bool   `json:"AuthSuccess"`    // OrgAuth
	OpenSuccess             bool   `json:"OpenSuccess"`    // OrgOpenTsignBiz
	OperateSuccess          bool   `json:"OperateSuccess"` // OrgCertify
	OrganizationName        string `json:"OrganizationName"`
	USCC                    string `json:"USCC"` // 统一社会信用代码
	LegalName               string `json:"LegalName"`
	CertifyReason           string `json:"CertifyReason"`
	OperateTime             string `json:"OperateTime"` // "yyyy-MM-dd HH:mm:ss"
}

// FlowStatusChange decodes MsgData of a FlowStatusChange message.
func (e *CallbackEvent) FlowStatusChange() (*FlowStatusChange, error) {
	var v FlowStatusChange
	if err := e.decode(&v, MsgTypeFlowStatusChange); err != nil {
		return nil, err
	}
	return &v, nil
}

// PartnerMessage decodes MsgData of any message into the fields partner
// org and staff messages share.
func (e *CallbackEvent) PartnerMessage() (*PartnerMessage, error) {
	var v PartnerMessage
	if err := e.decode(&v, ""); err != nil {
		return nil, err
	}
	return &v, nil
}

func (e *CallbackEvent) decode(v any, want string) error {
	op := "CallbackEvent.PartnerMessage"
	if want != "" {
		op = "CallbackEvent." + want
	}
	switch {
	case want != "" && e.MsgType != want:
		return &Error{Op: op, Message: fmt.Sprintf("message %s is a %s message, not %s", e.MsgID, e.MsgType, want)}
	case len(e.MsgData) == 0:
		return &Error{Op: op, Message: fmt.Sprintf("message %s has no MsgData", e.MsgID)}
	}
	if err := json.Unmarshal(e.MsgData, v); err != nil {
		return &Error{Op: op, Message: fmt.Sprintf("message %s: MsgData: %v", e.MsgID, err), Err: err}
	}
	return nil
}
