package qiyuesuo

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
)

// page decodes a list result that arrives either as a bare array or as
// {"list": [...], "totalCount": n}.
type page[T any] struct {
	List       []T   `json:"list"`
	TotalCount int64 `json:"totalCount"`
}

// UnmarshalJSON accepts a bare array or a {list, totalCount} page.
func (p *page[T]) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		p.TotalCount = 0
		if err := json.Unmarshal(t, &p.List); err != nil {
			return err
		}
		p.TotalCount = int64(len(p.List))
		return nil
	}
	type plain page[T]
	return json.Unmarshal(b, (*plain)(p))
}

// Seal is a company seal (印章).
type Seal struct {
	ID       ID     `json:"id"`
	Name     string `json:"name,omitempty"`
	Type     string `json:"type,omitempty"`
	Category string `json:"category,omitempty"`
	Status   string `json:"status,omitempty"`
}

// SealListRequest filters seals; TenantName selects a subsidiary.
type SealListRequest struct {
	TenantName string
	// Category is a seal category, e.g. PHYSICS or ELECTRONIC.
	Category string
}

// SealListResponse lists seals.
type SealListResponse struct {
	Meta  `json:"-"`
	Seals []Seal
}

// SealList lists the company's seals: GET /v2/seal/list.
func (c *Client) SealList(ctx context.Context, req *SealListRequest) (*SealListResponse, error) {
	if err := checkNil("SealListRequest", req); err != nil {
		return nil, err
	}
	q := query{}.str("tenantName", req.TenantName).str("category", req.Category)
	var p page[Seal]
	res, err := send[SealListResponse](ctx, c, get("/v2/seal/list", q.values()), func(*SealListResponse) any { return &p })
	if err == nil {
		res.Seals = p.List
	}
	return res, err
}

// Template is a document template (文件模板).
type Template struct {
	ID     ID     `json:"id"`
	Title  string `json:"title,omitempty"`
	Status string `json:"status,omitempty"`
}

// TemplateListRequest filters templates.
type TemplateListRequest struct {
	TenantName string
	Offset     int
	Limit      int
}

// TemplateListResponse lists templates.
type TemplateListResponse struct {
	Meta       `json:"-"`
	Templates  []Template
	TotalCount int64
}

// TemplateList lists templates: GET /v2/template/list.
func (c *Client) TemplateList(ctx context.Context, req *TemplateListRequest) (*TemplateListResponse, error) {
	if err := checkNil("TemplateListRequest", req); err != nil {
		return nil, err
	}
	q := query{}.str("tenantName", req.TenantName).num("selectOffset", req.Offset).num("selectLimit", req.Limit)
	var p page[Template]
	res, err := send[TemplateListResponse](ctx, c, get("/v2/template/list", q.values()), func(*TemplateListResponse) any { return &p })
	if err == nil {
		res.Templates, res.TotalCount = p.List, p.TotalCount
	}
	return res, err
}

// CategoryListRequest filters business categories.
type CategoryListRequest struct {
	TenantName string
}

// CategoryListResponse lists business categories.
type CategoryListResponse struct {
	Meta       `json:"-"`
	Categories []Category
}

// CategoryList lists business categories (业务分类): GET /v2/category/list.
func (c *Client) CategoryList(ctx context.Context, req *CategoryListRequest) (*CategoryListResponse, error) {
	if err := checkNil("CategoryListRequest", req); err != nil {
		return nil, err
	}
	var p page[Category]
	res, err := send[CategoryListResponse](ctx, c, get("/v2/category/list", query{}.str("tenantName", req.TenantName).values()),
		func(*CategoryListResponse) any { return &p })
	if err == nil {
		res.Categories = p.List
	}
	return res, err
}

// Employee is a member of the company (员工).
type Employee struct {
	ID      ID     `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Contact string `json:"contact,omitempty"`
	Mobile  string `json:"mobile,omitempty"`
	Email   string `json:"email,omitempty"`
	Number  string `json:"number,omitempty"`
	Status  string `json:"status,omitempty"`
}

// EmployeeCreateRequest adds an employee.
type EmployeeCreateRequest struct {
	// User names the person; Name and Contact are required.
	User       User   `json:"user"`
	Number     string `json:"number,omitempty"`
	TenantName string `json:"tenantName,omitempty"`
}

// EmployeeCreateResponse carries the new employee when the platform returns it.
type EmployeeCreateResponse struct {
	Meta     `json:"-"`
	Employee Employee
}

// EmployeeCreate adds an employee: POST /v2/employee/create.
func (c *Client) EmployeeCreate(ctx context.Context, req *EmployeeCreateRequest) (*EmployeeCreateResponse, error) {
	const typ = "EmployeeCreateRequest"
	switch {
	case req == nil:
		return nil, invalid(typ, "request must not be nil")
	case strings.TrimSpace(req.User.Name) == "":
		return nil, invalid(typ+".User.Name", "must not be empty")
	case strings.TrimSpace(req.User.Contact) == "":
		return nil, invalid(typ+".User.Contact", "must not be empty")
	}
	return send[EmployeeCreateResponse](ctx, c, post("/v2/employee/create", req), func(r *EmployeeCreateResponse) any { return &r.Employee })
}

// EmployeeRemoveRequest removes an employee identified by contact.
type EmployeeRemoveRequest struct {
	User       User   `json:"user"`
	TenantName string `json:"tenantName,omitempty"`
}

// EmployeeRemoveResponse is the envelope of EmployeeRemove.
type EmployeeRemoveResponse struct {
	Meta `json:"-"`
}

// EmployeeRemove removes an employee: POST /v2/employee/remove.
func (c *Client) EmployeeRemove(ctx context.Context, req *EmployeeRemoveRequest) (*EmployeeRemoveResponse, error) {
	if req == nil {
		return nil, invalid("EmployeeRemoveRequest", "request must not be nil")
	}
	if strings.TrimSpace(req.User.Contact) == "" {
		return nil, invalid("EmployeeRemoveRequest.User.Contact", "must not be empty")
	}
	return send[EmployeeRemoveResponse](ctx, c, post("/v2/employee/remove", req), nil)
}

// EmployeeListRequest pages through employees.
type EmployeeListRequest struct {
	TenantName string
	Offset     int
	Limit      int
}

// EmployeeListResponse is one page of employees.
type EmployeeListResponse struct {
	Meta       `json:"-"`
	Employees  []Employee
	TotalCount int64
}

// EmployeeList lists employees: GET /v2/employee/list.
func (c *Client) EmployeeList(ctx context.Context, req *EmployeeListRequest) (*EmployeeListResponse, error) {
	if err := checkNil("EmployeeListRequest", req); err != nil {
		return nil, err
	}
	if req.Limit < 0 || req.Limit > maxListLimit || req.Offset < 0 {
		return nil, invalid("EmployeeListRequest.Limit", "want Offset ≥ 0 and Limit 0..1000")
	}
	q := query{}.str("tenantName", req.TenantName).num("selectOffset", req.Offset).num("selectLimit", req.Limit)
	var p page[Employee]
	res, err := send[EmployeeListResponse](ctx, c, get("/v2/employee/list", q.values()), func(*EmployeeListResponse) any { return &p })
	if err == nil {
		res.Employees, res.TotalCount = p.List, p.TotalCount
	}
	return res, err
}

// Company is a company as the platform knows it.
type Company struct {
	ID          ID     `json:"id"`
	Name        string `json:"name"`
	RegisterNo  string `json:"registerNo,omitempty"`
	LegalPerson string `json:"legalPerson,omitempty"`
	Status      string `json:"status,omitempty"`
}

// CompanyDetailRequest selects a company by name or register number.
type CompanyDetailRequest struct {
	CompanyName string
	RegisterNo  string
}

// CompanyDetailResponse carries the company.
type CompanyDetailResponse struct {
	Meta    `json:"-"`
	Company Company
}

// CompanyDetail reads a company: GET /v2/company/detail.
func (c *Client) CompanyDetail(ctx context.Context, req *CompanyDetailRequest) (*CompanyDetailResponse, error) {
	if err := checkNil("CompanyDetailRequest", req); err != nil {
		return nil, err
	}
	if req.CompanyName == "" && req.RegisterNo == "" {
		return nil, invalid("CompanyDetailRequest.CompanyName", "set CompanyName or RegisterNo")
	}
	q := query{}.str("companyName", req.CompanyName).str("registerNo", req.RegisterNo)
	return send[CompanyDetailResponse](ctx, c, get("/v2/company/detail", q.values()), func(r *CompanyDetailResponse) any { return &r.Company })
}

// Callback encryption types of the app's callback configuration.
const (
	EncryptAESECB = "AES_ECB"
	EncryptAESCBC = "AES_CBC"
)

// CallbackSettings is the app's callback configuration.
type CallbackSettings struct {
	AppName     string `json:"appName,omitempty"`
	CallbackURL string `json:"callbackUrl,omitempty"`
	Encrypt     bool   `json:"encrypt"`
	// CallbackSecretKey signs (and, with Encrypt, encrypts) callbacks.
	// The client registers it as a secret, so it never appears in logs.
	CallbackSecretKey string `json:"callbackSecretKey,omitempty"`
	EncryptType       string `json:"encryptType,omitempty"`
}

// CallbackConfigResponse carries the app's callback configuration.
type CallbackConfigResponse struct {
	Meta     `json:"-"`
	Settings CallbackSettings
}

// CallbackConfig reads the app's callback configuration: GET /company/token/get.
func (c *Client) CallbackConfig(ctx context.Context) (*CallbackConfigResponse, error) {
	res, err := send[CallbackConfigResponse](ctx, c, get("/company/token/get", nil), func(r *CallbackConfigResponse) any { return &r.Settings })
	if err == nil {
		c.tc.Redactor().Add(res.Settings.CallbackSecretKey)
	}
	return res, err
}

// UpdateCallbackRequest changes the app's callback URL and encryption.
type UpdateCallbackRequest struct {
	CallbackURL string `json:"callbackUrl"`
	Encrypt     bool   `json:"encrypt"`
	// EncryptType is EncryptAESECB (default) or EncryptAESCBC.
	EncryptType string `json:"encryptType,omitempty"`
}

// UpdateCallbackResponse is the envelope of UpdateCallback.
type UpdateCallbackResponse struct {
	Meta `json:"-"`
}

// UpdateCallback changes the callback configuration:
// POST /company/token/update/callback.
func (c *Client) UpdateCallback(ctx context.Context, req *UpdateCallbackRequest) (*UpdateCallbackResponse, error) {
	if err := checkNil("UpdateCallbackRequest", req); err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.CallbackURL) == "" {
		return nil, invalid("UpdateCallbackRequest.CallbackURL", "must not be empty")
	}
	return send[UpdateCallbackResponse](ctx, c, post("/company/token/update/callback", req), nil)
}
