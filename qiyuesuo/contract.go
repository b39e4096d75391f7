package qiyuesuo

import (
	"context"
	"iter"
	"strings"
	"unicode/utf8"
)

// Limits the platform documents for draft fields.
const (
	maxBusinessData = 100
	maxCallbackURL  = 300
	maxListLimit    = 1000
)

// DraftRequest creates a contract draft (创建合同草稿), optionally sending it
// at once. At least one signatory is required; a signatory without
// actions gets the category's (or the platform's default) flow.
type DraftRequest struct {
	// Subject is the contract title (required).
	Subject string `json:"subject"`
	// BizID is your unique business key for the contract.
	BizID ID `json:"bizId,omitempty"`
	// TenantName is the subsidiary's full name when it sponsors the contract.
	TenantName  string `json:"tenantName,omitempty"`
	Sn          string `json:"sn,omitempty"`
	Description string `json:"description,omitempty"`
	// ExpireTime and EndTime are optional; pointers so that an unset time
	// is left out on every Go version (omitzero needs Go 1.24).
	ExpireTime *DateTime `json:"expireTime,omitempty"`
	EndTime    *DateTime `json:"endTime,omitempty"`
	// Ordinal signs in SerialNo order (the platform's default is true).
	Ordinal *bool `json:"ordinal,omitempty"`
	// Send publishes the contract immediately (needs documents).
	Send           bool            `json:"send,omitempty"`
	Category       *Category       `json:"category,omitempty"`
	Creator        *User           `json:"creator,omitempty"`
	Signatories    []Signatory     `json:"signatories"`
	TemplateParams []TemplateParam `json:"templateParams,omitempty"`
	// Documents are ids of documents already uploaded.
	Documents []ID `json:"documents,omitempty"`
	// BusinessData (≤100 characters) is echoed in callbacks.
	BusinessData string `json:"businessData,omitempty"`
	// CallbackURL (≤300 characters) overrides the category's callback URL.
	CallbackURL string `json:"callbackUrl,omitempty"`
}

// DraftResponse carries the new contract with its signatory and action IDs.
type DraftResponse struct {
	Meta     `json:"-"`
	Contract Contract
}

// Draft creates a contract draft: POST /v2/contract/draft.
func (c *Client) Draft(ctx context.Context, req *DraftRequest) (*DraftResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return send[DraftResponse](ctx, c, post("/v2/contract/draft", req), func(r *DraftResponse) any { return &r.Contract })
}

func (r *DraftRequest) validate() error {
	const typ = "DraftRequest"
	switch {
	case r == nil:
		return invalid(typ, "request must not be nil")
	case strings.TrimSpace(r.Subject) == "":
		return invalid(typ+".Subject", "must not be empty")
	case len(r.Signatories) == 0:
		return invalid(typ+".Signatories", "must not be empty")
	case utf8.RuneCountInString(r.BusinessData) > maxBusinessData:
		return invalid(typ+".BusinessData", "longer than 100 characters")
	case len(r.CallbackURL) > maxCallbackURL:
		return invalid(typ+".CallbackURL", "longer than 300 characters")
	}
	for i, s := range r.Signatories {
		if s.TenantType != TenantCompany && s.TenantType != TenantPersonal {
			return invalid(typ+".Signatories["+itoa(i)+"].TenantType", "want COMPANY or PERSONAL")
		}
	}
	return nil
}

// SendRequest publishes a draft (发起合同), placing stampers.
type SendRequest struct {
	ContractID               ID        `json:"contractId,omitempty"`
	BizID                    ID        `json:"bizId,omitempty"`
	TenantName               string    `json:"tenantName,omitempty"`
	Stampers                 []Stamper `json:"stampers,omitempty"`
	StamperRule              string    `json:"stamperRule,omitempty"`
	LocateAllStamperKeywords *bool     `json:"locateAllStamperKeywords,omitempty"`
}

// SendResponse is the envelope of Send.
type SendResponse struct {
	Meta `json:"-"`
}

// Send publishes a draft, moving it to SIGNING: POST /v2/contract/send.
func (c *Client) Send(ctx context.Context, req *SendRequest) (*SendResponse, error) {
	return postContract[SendResponse](ctx, c, "SendRequest", "/v2/contract/send", req)
}

// CompanySignRequest seals silently as the app's company (or a
// subsidiary, TenantName); LegalPersonSign takes the same shape.
type CompanySignRequest struct {
	ContractID               ID        `json:"contractId,omitempty"`
	BizID                    ID        `json:"bizId,omitempty"`
	TenantName               string    `json:"tenantName,omitempty"`
	SealID                   ID        `json:"sealId,omitempty"`
	Stampers                 []Stamper `json:"stampers,omitempty"`
	LocateAllStamperKeywords *bool     `json:"locateAllStamperKeywords,omitempty"`
}

// SignResponse is the envelope of the silent-sign calls.
type SignResponse struct {
	Meta `json:"-"`
}

// CompanySign seals the contract with the company seal (公章静默签署):
// POST /v2/contract/companysign.
func (c *Client) CompanySign(ctx context.Context, req *CompanySignRequest) (*SignResponse, error) {
	return postContract[SignResponse](ctx, c, "CompanySignRequest", "/v2/contract/companysign", req)
}

// LegalPersonSign signs as the legal person (法定代表人签署):
// POST /v2/contract/legalpersonsign.
func (c *Client) LegalPersonSign(ctx context.Context, req *CompanySignRequest) (*SignResponse, error) {
	return postContract[SignResponse](ctx, c, "CompanySignRequest", "/v2/contract/legalpersonsign", req)
}

// PersonalSignRequest signs silently for a person who authorised it.
type PersonalSignRequest struct {
	ContractID               ID        `json:"contractId,omitempty"`
	BizID                    ID        `json:"bizId,omitempty"`
	TenantName               string    `json:"tenantName,omitempty"`
	User                     *User     `json:"user"`
	Stampers                 []Stamper `json:"stampers,omitempty"`
	LocateAllStamperKeywords *bool     `json:"locateAllStamperKeywords,omitempty"`
}

// PersonalSign signs for a person (个人静默签署): POST /v2/contract/personalsign.
func (c *Client) PersonalSign(ctx context.Context, req *PersonalSignRequest) (*SignResponse, error) {
	const typ = "PersonalSignRequest"
	if err := checkContract(typ, req); err != nil {
		return nil, err
	}
	if req.User == nil || req.User.Contact == "" {
		return nil, invalid(typ+".User", "a contact is required")
	}
	return send[SignResponse](ctx, c, post("/v2/contract/personalsign", req), nil)
}

// EmployeeAuditRequest approves or rejects a contract as an employee
// (员工审批). Pass is always sent: false rejects.
type EmployeeAuditRequest struct {
	// ContractID (合同ID) or BizID (业务ID): exactly one.
	ContractID ID `json:"contractId,omitempty"`
	BizID      ID `json:"bizId,omitempty"`
	// TenantName is the subsidiary's full name when approving as a subsidiary.
	TenantName string `json:"tenantName,omitempty"`
	// Pass approves (true) or rejects (false) (审批是否通过).
	Pass bool `json:"pass"`
	// Comment is the approval opinion (审批意见).
	Comment string `json:"comment,omitempty"`
}

// EmployeeAuditResponse is {responseCode, message}.
type EmployeeAuditResponse struct {
	Meta `json:"-"`
}

// EmployeeAudit approves or rejects: POST /v2/contract/employeeaudit.
// Its codes: [CodeInvalidParameter], [CodeNotYourTurn],
// [CodeContractNotFound], [CodeInvalidContractStatus], [CodePermissionMismatch].
func (c *Client) EmployeeAudit(ctx context.Context, req *EmployeeAuditRequest) (*EmployeeAuditResponse, error) {
	return postContract[EmployeeAuditResponse](ctx, c, "EmployeeAuditRequest", "/v2/contract/employeeaudit", req)
}

// Page types of [PageURLRequest].
const (
	PageSign       = "SIGN"
	PagePrint      = "PRINT"
	PageDirectSign = "DIRECT_SIGN"
)

// PageURLRequest asks for a signing or printing page for a user.
type PageURLRequest struct {
	ContractID ID     `json:"contractId,omitempty"`
	BizID      ID     `json:"bizId,omitempty"`
	TenantName string `json:"tenantName,omitempty"`
	// PageType is PageSign (default), PagePrint or PageDirectSign.
	PageType          string `json:"pageType,omitempty"`
	User              *User  `json:"user,omitempty"`
	CallbackPage      string `json:"callbackPage,omitempty"`
	HideRejectButton  *bool  `json:"hideRejectButton,omitempty"`
	HideTerminateBtn  *bool  `json:"hideTerminateButton,omitempty"`
	AllowPasswordSign *bool  `json:"allowPasswordSign,omitempty"`
	Lang              string `json:"lang,omitempty"`
	PageStyle         string `json:"pageStyle,omitempty"`
}

// PageURLResponse carries the page link.
type PageURLResponse struct {
	Meta    `json:"-"`
	PageURL string `json:"pageUrl"`
}

// PageURL returns a signing/printing page link: POST /v2/contract/pageurl.
func (c *Client) PageURL(ctx context.Context, req *PageURLRequest) (*PageURLResponse, error) {
	if err := checkContract("PageURLRequest", req); err != nil {
		return nil, err
	}
	return send[PageURLResponse](ctx, c, post("/v2/contract/pageurl", req), self)
}

// ViewURLRequest asks for a read-only view link.
type ViewURLRequest struct {
	ContractID     ID
	BizID          ID
	TenantName     string
	DocumentID     ID
	Lang           string
	DownloadButton *bool
	PrintButton    *bool
}

// ViewURLResponse carries the view link.
type ViewURLResponse struct {
	Meta    `json:"-"`
	ViewURL string `json:"viewUrl"`
}

// ViewURL returns a view link: GET /v2/contract/viewurl.
func (c *Client) ViewURL(ctx context.Context, req *ViewURLRequest) (*ViewURLResponse, error) {
	if err := checkContract("ViewURLRequest", req); err != nil {
		return nil, err
	}
	q := query{}.ref(req.ContractID, req.BizID, req.TenantName).str("documentId", string(req.DocumentID)).
		str("lang", req.Lang).boolp("downloadButton", req.DownloadButton).boolp("printButton", req.PrintButton)
	return send[ViewURLResponse](ctx, c, get("/v2/contract/viewurl", q.values()), self)
}

// ShortURLRequest asks for a short signing link for one contact.
type ShortURLRequest struct {
	ContractID ID
	BizID      ID
	TenantName string
	// Contact is the signer's mobile or e-mail (required).
	Contact string
}

// ShortURLResponse carries the short link.
type ShortURLResponse struct {
	Meta     `json:"-"`
	ShortURL string `json:"shortUrl"`
}

// ShortURL returns a short signing link: GET /v2/contract/shorturl.
func (c *Client) ShortURL(ctx context.Context, req *ShortURLRequest) (*ShortURLResponse, error) {
	if err := checkContract("ShortURLRequest", req); err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Contact) == "" {
		return nil, invalid("ShortURLRequest.Contact", "must not be empty")
	}
	q := query{}.ref(req.ContractID, req.BizID, req.TenantName).str("contact", req.Contact)
	return send[ShortURLResponse](ctx, c, get("/v2/contract/shorturl", q.values()), self)
}

// NoticeRequest reminds signers (催签).
type NoticeRequest struct {
	ContractID ID     `json:"contractId,omitempty"`
	BizID      ID     `json:"bizId,omitempty"`
	TenantName string `json:"tenantName,omitempty"`
	// SignatoryID limits the reminder to one signatory.
	SignatoryID ID `json:"signatoryId,omitempty"`
	// OnlySigning reminds only those whose turn it is.
	OnlySigning *bool `json:"onlySigning,omitempty"`
}

// NoticeResponse is the envelope of Notice.
type NoticeResponse struct {
	Meta `json:"-"`
}

// Notice sends reminders: POST /v2/contract/notice.
func (c *Client) Notice(ctx context.Context, req *NoticeRequest) (*NoticeResponse, error) {
	return postContract[NoticeResponse](ctx, c, "NoticeRequest", "/v2/contract/notice", req)
}

// DetailRequest selects a contract and optional extras.
type DetailRequest struct {
	ContractID           ID
	BizID                ID
	TenantName           string
	QueryRelatedContract *bool
	QuerySealStats       *bool
	QueryLocation        *bool
	QueryActionOperator  *bool
}

// DetailResponse carries the contract.
type DetailResponse struct {
	Meta     `json:"-"`
	Contract Contract
}

// Detail reads a contract: GET /v2/contract/detail. Re-query it in a
// callback handler before acting on the callback.
func (c *Client) Detail(ctx context.Context, req *DetailRequest) (*DetailResponse, error) {
	if err := checkContract("DetailRequest", req); err != nil {
		return nil, err
	}
	q := query{}.ref(req.ContractID, req.BizID, req.TenantName).boolp("queryRelatedContract", req.QueryRelatedContract).
		boolp("querySealStats", req.QuerySealStats).boolp("queryLocation", req.QueryLocation).
		boolp("queryActionOperator", req.QueryActionOperator)
	return send[DetailResponse](ctx, c, get("/v2/contract/detail", q.values()), func(r *DetailResponse) any { return &r.Contract })
}

// ListRequest filters contracts. Offset and Limit page through them; the
// Contracts iterator does that for you.
type ListRequest struct {
	PublishTimeStart DateTime
	PublishTimeEnd   DateTime
	Status           string
	CategoryID       ID
	// SignatoryType is SPONSOR, RECEIVER or ALL.
	SignatoryType string
	TenantName    string
	// Offset is selectOffset; Limit is selectLimit (1..1000, default 100).
	Offset int
	Limit  int
}

// ListResponse is one page of contracts.
type ListResponse struct {
	Meta       `json:"-"`
	TotalCount int64      `json:"totalCount"`
	Contracts  []Contract `json:"list"`
}

// List reads one page of contracts: GET /v2/contract/list.
func (c *Client) List(ctx context.Context, req *ListRequest) (*ListResponse, error) {
	if err := checkNil("ListRequest", req); err != nil {
		return nil, err
	}
	if req.Limit < 0 || req.Limit > maxListLimit {
		return nil, invalid("ListRequest.Limit", "want 0..1000")
	}
	if req.Offset < 0 {
		return nil, invalid("ListRequest.Offset", "must not be negative")
	}
	q := query{}.str("publishTimeStart", fmtTime(req.PublishTimeStart)).str("publishTimeEnd", fmtTime(req.PublishTimeEnd)).
		str("status", req.Status).str("categoryId", string(req.CategoryID)).str("signatoryType", req.SignatoryType).
		str("tenantName", req.TenantName).num("selectOffset", req.Offset).num("selectLimit", req.Limit)
	if req.Offset == 0 {
		q["selectOffset"] = []string{"0"}
	}
	return send[ListResponse](ctx, c, get("/v2/contract/list", q.values()), self)
}

// Contracts iterates over every contract matching req, fetching pages of
// req.Limit (default 100) from req.Offset on. It stops at the first error,
// which it yields.
func (c *Client) Contracts(ctx context.Context, req *ListRequest) iter.Seq2[Contract, error] {
	return func(yield func(Contract, error) bool) {
		if req == nil {
			yield(Contract{}, invalid("ListRequest", "request must not be nil"))
			return
		}
		page := *req
		if page.Limit == 0 {
			page.Limit = 100
		}
		for {
			res, err := c.List(ctx, &page)
			if err != nil {
				yield(Contract{}, err)
				return
			}
			for _, ct := range res.Contracts {
				if !yield(ct, nil) {
					return
				}
			}
			page.Offset += len(res.Contracts)
			if len(res.Contracts) < page.Limit || (res.TotalCount > 0 && int64(page.Offset) >= res.TotalCount) {
				return
			}
		}
	}
}

// InvalidRequest recalls an unfinished contract or starts voiding a
// completed one (撤回/作废).
type InvalidRequest struct {
	ContractID ID     `json:"contractId,omitempty"`
	BizID      ID     `json:"bizId,omitempty"`
	TenantName string `json:"tenantName,omitempty"`
	SealID     ID     `json:"sealId,omitempty"`
	Reason     string `json:"reason,omitempty"`
	DeleteDoc  *bool  `json:"deleteDoc,omitempty"`
	// AutoSign seals the void document automatically (platform default true).
	AutoSign  *bool  `json:"autoSign,omitempty"`
	Receivers []User `json:"receivers,omitempty"`
}

// InvalidResponse is the envelope of Invalid.
type InvalidResponse struct {
	Meta `json:"-"`
}

// Invalid recalls or voids: POST /v2/contract/invalid.
func (c *Client) Invalid(ctx context.Context, req *InvalidRequest) (*InvalidResponse, error) {
	return postContract[InvalidResponse](ctx, c, "InvalidRequest", "/v2/contract/invalid", req)
}

// ForceEndRequest ends a contract that is still signing (强制结束).
type ForceEndRequest struct {
	ContractID ID     `json:"contractId,omitempty"`
	BizID      ID     `json:"bizId,omitempty"`
	TenantName string `json:"tenantName,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// ForceEndResponse is the envelope of ForceEnd.
type ForceEndResponse struct {
	Meta `json:"-"`
}

// ForceEnd ends a signing contract: POST /v2/contract/forceend.
func (c *Client) ForceEnd(ctx context.Context, req *ForceEndRequest) (*ForceEndResponse, error) {
	return postContract[ForceEndResponse](ctx, c, "ForceEndRequest", "/v2/contract/forceend", req)
}
