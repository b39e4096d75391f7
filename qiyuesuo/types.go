package qiyuesuo

import (
	"context"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
)

// ID is a platform identifier (contract, document, signatory, action,
// seal ...). IDs are 19-digit integers that lose precision as float64, so
// they are kept as decimal text; an ID that arrives as a JSON number is
// accepted and kept exactly, and every ID is sent as a JSON string.
type ID = flex.ID

// DateTime is a time sent and received as "yyyy-MM-dd HH:mm:ss" in China
// Standard Time; wrap a time.Time as DateTime{Time: t}. The zero value is
// omitted from requests.
type DateTime = flex.Time

// Tenant types (签署方类型).
const (
	TenantCompany  = "COMPANY"
	TenantPersonal = "PERSONAL"
)

// Contact types of a [User].
const (
	ContactMobile     = "MOBILE"
	ContactEmail      = "EMAIL"
	ContactEmployeeID = "EMPLOYEEID"
	ContactNumber     = "NUMBER"
	ContactBizID      = "BIZID"
)

// Action types (签署动作): company seal, operator signature, legal person
// (LP), approval (审批) and personal signature.
const (
	ActionCompany  = "COMPANY"
	ActionOperator = "OPERATOR"
	ActionLP       = "LP"
	ActionAudit    = "AUDIT"
	ActionPersonal = "PERSONAL"
)

// Contract statuses. The platform may add more; treat the set as open.
const (
	StatusDraft      = "DRAFT"
	StatusSigning    = "SIGNING"
	StatusComplete   = "COMPLETE"
	StatusRecalled   = "RECALLED"
	StatusRejected   = "REJECTED"
	StatusExpired    = "EXPIRED"
	StatusFilling    = "FILLING"
	StatusInvaliding = "INVALIDING"
	StatusInvalided  = "INVALIDED"
	StatusForceEnd   = "FORCE_END"
)

// User identifies a person by contact: a mobile number, e-mail, employee
// id, employee number or business id (ContactType).
type User struct {
	Name        string `json:"name,omitempty"`
	Contact     string `json:"contact,omitempty"`
	ContactType string `json:"contactType,omitempty"`
}

// Category is a business category (业务分类), chosen by id or name.
type Category struct {
	ID   ID     `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// TemplateParam fills one parameter of a template document.
type TemplateParam struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Action is one step of a signatory: seal, sign or approve.
type Action struct {
	// ID is assigned by the platform (returned by Draft and Detail).
	ID ID `json:"id,omitempty"`
	// Type is one of ActionCompany, ActionOperator, ActionLP, ActionAudit, ActionPersonal.
	Type     string `json:"type,omitempty"`
	Name     string `json:"name,omitempty"`
	SerialNo int    `json:"serialNo,omitempty"`
	SealID   ID     `json:"sealId,omitempty"`
	SealIDs  []ID   `json:"sealIds,omitempty"`
	// Operators are the people allowed to perform the action.
	Operators []User `json:"operators,omitempty"`
	// AutoSign seals automatically (sponsor's company actions only).
	AutoSign *bool `json:"autoSign,omitempty"`
	// Status is returned by the platform: INIT, START, FINISH, STOP.
	Status string `json:"status,omitempty"`
}

// Signatory is one party of a contract (签署方).
type Signatory struct {
	// ID is assigned by the platform.
	ID ID `json:"id,omitempty"`
	// TenantType is TenantCompany or TenantPersonal.
	TenantType string `json:"tenantType,omitempty"`
	// TenantName is the company's full name or the person's name.
	TenantName string    `json:"tenantName,omitempty"`
	Receiver   *User     `json:"receiver,omitempty"`
	SerialNo   int       `json:"serialNo,omitempty"`
	Actions    []Action  `json:"actions,omitempty"`
	DelaySet   *bool     `json:"delaySet,omitempty"`
	Category   *Category `json:"category,omitempty"`
	// Status is returned by the platform (SIGNING, SIGNED, WAITING, ...).
	Status string `json:"status,omitempty"`
}

// Stamper places a seal or signature (签署位置): by keyword or by page and
// offsets (0..1 of the page size).
type Stamper struct {
	// Type is COMPANY, PERSONAL, LP, TIMESTAMP or ACROSS_PAGE.
	Type string `json:"type,omitempty"`
	// ActionID is required for company seals (from the draft's actions).
	ActionID ID `json:"actionId,omitempty"`
	// SignatoryID is required for personal signatures.
	SignatoryID ID     `json:"signatoryId,omitempty"`
	DocumentID  ID     `json:"documentId,omitempty"`
	SealID      ID     `json:"sealId,omitempty"`
	Keyword     string `json:"keyword,omitempty"`
	// KeywordIndex picks the keyword match: 1 the first (the platform's
	// default), 0 all, -1 the last.
	KeywordIndex *int `json:"keywordIndex,omitempty"`
	// Page is the page number: 0 all pages, -1 the last page.
	Page    *int     `json:"page,omitempty"`
	OffsetX *float64 `json:"offsetX,omitempty"`
	OffsetY *float64 `json:"offsetY,omitempty"`
}

// Document is a file of a contract.
type Document struct {
	ID    ID     `json:"id"`
	Title string `json:"title,omitempty"`
	Pages int    `json:"pages,omitempty"`
}

// Contract is a contract as Draft, Detail and List return it.
type Contract struct {
	ID           ID          `json:"id"`
	BizID        ID          `json:"bizId,omitempty"`
	Subject      string      `json:"subject,omitempty"`
	Sn           string      `json:"sn,omitempty"`
	Description  string      `json:"description,omitempty"`
	Status       string      `json:"status,omitempty"`
	TenantName   string      `json:"tenantName,omitempty"`
	Ordinal      bool        `json:"ordinal,omitempty"`
	Category     *Category   `json:"category,omitempty"`
	Creator      *User       `json:"creator,omitempty"`
	Signatories  []Signatory `json:"signatories,omitempty"`
	Documents    []Document  `json:"documents,omitempty"`
	BusinessData string      `json:"businessData,omitempty"`
	CreateTime   DateTime    `json:"createTime"`
	PublishTime  DateTime    `json:"publishTime"`
	ExpireTime   DateTime    `json:"expireTime"`
	CompleteTime DateTime    `json:"completeTime"`
}

// checkRef enforces "contractId or bizId, exactly one".
func checkRef(typ string, contractID, bizID ID) error {
	c, b := strings.TrimSpace(string(contractID)) != "", strings.TrimSpace(string(bizID)) != ""
	switch {
	case !c && !b:
		return invalid(typ+".ContractID", "set ContractID or BizID")
	case c && b:
		return invalid(typ+".ContractID", "set only one of ContractID and BizID")
	}
	return nil
}

// contractRequest is a request that addresses one contract.
type contractRequest[R any] interface {
	*R
	refIDs() (contractID, bizID ID)
}

// checkContract rejects a nil request and enforces contractId XOR bizId.
func checkContract[R any, P contractRequest[R]](typ string, req P) error {
	if req == nil {
		return invalid(typ, "request must not be nil")
	}
	contractID, bizID := req.refIDs()
	return checkRef(typ, contractID, bizID)
}

func (r *SendRequest) refIDs() (ID, ID)                  { return r.ContractID, r.BizID }
func (r *CompanySignRequest) refIDs() (ID, ID)           { return r.ContractID, r.BizID }
func (r *PersonalSignRequest) refIDs() (ID, ID)          { return r.ContractID, r.BizID }
func (r *EmployeeAuditRequest) refIDs() (ID, ID)         { return r.ContractID, r.BizID }
func (r *PageURLRequest) refIDs() (ID, ID)               { return r.ContractID, r.BizID }
func (r *ViewURLRequest) refIDs() (ID, ID)               { return r.ContractID, r.BizID }
func (r *ShortURLRequest) refIDs() (ID, ID)              { return r.ContractID, r.BizID }
func (r *NoticeRequest) refIDs() (ID, ID)                { return r.ContractID, r.BizID }
func (r *DetailRequest) refIDs() (ID, ID)                { return r.ContractID, r.BizID }
func (r *InvalidRequest) refIDs() (ID, ID)               { return r.ContractID, r.BizID }
func (r *ForceEndRequest) refIDs() (ID, ID)              { return r.ContractID, r.BizID }
func (r *DownloadRequest) refIDs() (ID, ID)              { return r.ContractID, r.BizID }
func (r *DownloadURLRequest) refIDs() (ID, ID)           { return r.ContractID, r.BizID }
func (r *AddDocumentByFileRequest) refIDs() (ID, ID)     { return r.ContractID, r.BizID }
func (r *AddDocumentByFilesRequest) refIDs() (ID, ID)    { return r.ContractID, r.BizID }
func (r *AddDocumentByTemplateRequest) refIDs() (ID, ID) { return r.ContractID, r.BizID }

// postContract validates req and POSTs it as JSON to path, for the write
// calls whose response is only the envelope.
func postContract[Resp any, R any, P contractRequest[R], PR interface {
	*Resp
	metaPtr() *Meta
}](ctx context.Context, c *Client, typ, path string, req P) (PR, error) {
	if err := checkContract(typ, req); err != nil {
		return nil, err
	}
	return send[Resp, PR](ctx, c, post(path, req), nil)
}

// checkNil reports a nil request.
func checkNil[T any](typ string, r *T) error {
	if r == nil {
		return invalid(typ, "request must not be nil")
	}
	return nil
}
