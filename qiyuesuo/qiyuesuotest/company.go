package qiyuesuotest

import (
	"github.com/hetong-go/hetong/qiyuesuo"
)

// templateParameters are the parameters of the fake's template.
var templateParameters = []qiyuesuo.TemplateParameter{
	{Name: "甲方", Type: "TEXT", Required: true},
	{Name: "合同金额", Type: "NUMBER", Required: true},
	{Name: "签订日期", Type: "DATE"},
}

// checkTemplateParams refuses parameters the template lacks and a missing
// required one.
func checkTemplateParams(params []qiyuesuo.TemplateParam) *apiError {
	given := map[string]bool{}
	for _, p := range params {
		known := false
		for _, tp := range templateParameters {
			known = known || tp.Name == p.Name
		}
		if !known {
			return errParam("模板参数不存在:" + p.Name)
		}
		given[p.Name] = p.Value != ""
	}
	for _, tp := range templateParameters {
		if tp.Required && !given[tp.Name] {
			return errParam("模板参数必填:" + tp.Name)
		}
	}
	return nil
}

func (s *Server) template() qiyuesuo.Template {
	return qiyuesuo.Template{ID: TemplateID, Name: TemplateName, State: "ENABLE",
		Parameters: append([]qiyuesuo.TemplateParameter(nil), templateParameters...)}
}

func (s *Server) templateDetail(p *in) (any, *event, *apiError) {
	if p.get("templateId") != TemplateID {
		return nil, nil, errParam("模板不存在")
	}
	return s.template(), nil, nil
}

func (s *Server) templateList(p *in) (any, *event, *apiError) {
	offset, limit, err := paging(p, 1000)
	if err != nil {
		return nil, nil, err
	}
	t := s.template()
	t.Parameters = nil
	return qiyuesuo.TemplateListResult{TotalCount: 1, List: window([]qiyuesuo.Template{t}, offset, limit)}, nil, nil
}

func (s *Server) categoryList(p *in) (any, *event, *apiError) {
	offset, limit, err := paging(p, 1000)
	if err != nil {
		return nil, nil, err
	}
	all := []qiyuesuo.CategoryItem{{ID: CategoryID, Name: CategoryName}}
	return qiyuesuo.CategoryListResult{TotalCount: len(all), List: window(all, offset, limit)}, nil, nil
}

// sealList pages through the seals, NORMAL ones unless status says otherwise.
func (s *Server) sealList(p *in) (any, *event, *apiError) {
	if err := checkTenant(p.get("tenantName")); err != nil {
		return nil, nil, err
	}
	offset, limit, err := paging(p, 1000)
	if err != nil {
		return nil, nil, err
	}
	status := p.get("status")
	if status == "" {
		status = "NORMAL"
	}
	var match []qiyuesuo.Seal
	for _, sl := range s.seals {
		if status == "ALL" || sl.Status == status {
			match = append(match, sl)
		}
	}
	return qiyuesuo.SealListResult{TotalCount: len(match), List: window(match, offset, limit)}, nil, nil
}

func (s *Server) sealDetail(p *in) (any, *event, *apiError) {
	for _, sl := range s.seals {
		if string(sl.ID) == p.get("sealId") {
			return sl, nil, nil
		}
	}
	return nil, nil, errParam("印章不存在")
}

// subCompanyList answers {platform, subCompanies}: the item shape is not
// published, so the fake uses {id, name, status}.
func (s *Server) subCompanyList(*in) (any, *event, *apiError) {
	subs := []map[string]any{}
	for _, name := range s.subsidiaries {
		subs = append(subs, map[string]any{"name": name, "status": "JOINED"})
	}
	for _, name := range s.invited {
		subs = append(subs, map[string]any{"name": name, "status": "INVITED"})
	}
	return map[string]any{"platform": map[string]any{"name": CompanyName}, "subCompanies": subs}, nil, nil
}

func (s *Server) subCompanyInvite(p *in) (any, *event, *apiError) {
	name := p.get("companyName")
	if name == "" {
		return nil, nil, errParam("companyName不能为空")
	}
	for _, n := range append(append([]string{}, s.subsidiaries...), s.invited...) {
		if n == name {
			return nil, nil, errParam("子公司已存在")
		}
	}
	s.invited = append(s.invited, name)
	return nil, nil, nil
}

func (s *Server) subCompanyRemove(p *in) (any, *event, *apiError) {
	name := p.get("companyName")
	for _, list := range []*[]string{&s.subsidiaries, &s.invited} {
		for i, n := range *list {
			if n == name {
				*list = append((*list)[:i], (*list)[i+1:]...)
				return nil, nil, nil
			}
		}
	}
	return nil, nil, errParam("子公司不存在")
}

func (s *Server) employeeCreate(p *in) (any, *event, *apiError) {
	var req qiyuesuo.EmployeeCreateRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	if req.User.Name == "" || req.User.Contact == "" {
		return nil, nil, errParam("user.name与user.contact不能为空")
	}
	for _, e := range s.employees {
		if e.Mobile == req.User.Contact || e.Email == req.User.Contact {
			return nil, nil, errParam("员工已存在")
		}
	}
	e := qiyuesuo.Employee{ID: qiyuesuo.ID(s.newID()), Name: req.User.Name, Number: req.Number}
	if req.User.ContactType == qiyuesuo.ContactEmail {
		e.Email = req.User.Contact
	} else {
		e.Mobile = req.User.Contact
	}
	s.employees = append(s.employees, e)
	return e, nil, nil
}

func (s *Server) employeeIndex(contact string) int {
	for i, e := range s.employees {
		if contact != "" && (e.Mobile == contact || e.Email == contact) {
			return i
		}
	}
	return -1
}

func (s *Server) employeeDetail(p *in) (any, *event, *apiError) {
	var req qiyuesuo.EmployeeDetailRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	i := s.employeeIndex(req.User.Contact)
	if i < 0 {
		return nil, nil, errParam("员工不存在")
	}
	return s.employees[i], nil, nil
}

func (s *Server) employeeRemove(p *in) (any, *event, *apiError) {
	i := s.employeeIndex(p.get("contact"))
	if i < 0 {
		return nil, nil, errParam("员工不存在")
	}
	s.employees = append(s.employees[:i], s.employees[i+1:]...)
	return nil, nil, nil
}

func (s *Server) employeeList(p *in) (any, *event, *apiError) {
	offset, limit, err := paging(p, 1000)
	if err != nil {
		return nil, nil, err
	}
	return qiyuesuo.EmployeeListResult{TotalCount: len(s.employees), List: window(append([]qiyuesuo.Employee{}, s.employees...), offset, limit)}, nil, nil
}

func (s *Server) companyDetail(p *in) (any, *event, *apiError) {
	if p.get("name") != CompanyName && p.get("companyName") != CompanyName && p.get("registerNo") != RegisterNo {
		return nil, nil, errParam("公司不存在")
	}
	return qiyuesuo.CompanyInfo{ID: "3600000000000000001", Name: CompanyName, RegisterNo: RegisterNo, LegalPerson: "张三", Status: "CERTIFIED"}, nil, nil
}

func (s *Server) tokenInfo() qiyuesuo.AppTokenInfo {
	typ := ""
	if s.cbEncrypt {
		typ = qiyuesuo.EncryptAESECB
	}
	return qiyuesuo.AppTokenInfo{AppName: "fake", CallbackURL: s.cbURL, Encrypt: s.cbEncrypt, CallbackSecretKey: s.cbSecret, EncryptType: typ}
}

func (s *Server) tokenGet(*in) (any, *event, *apiError) { return s.tokenInfo(), nil, nil }

func (s *Server) tokenUpdate(p *in) (any, *event, *apiError) {
	var req qiyuesuo.AppTokenUpdateCallbackRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	if req.CallbackURL == "" {
		return nil, nil, errParam("callbackUrl不能为空")
	}
	encrypt := req.Encrypt != nil && *req.Encrypt
	if encrypt && req.EncryptType == qiyuesuo.EncryptAESCBC {
		return nil, nil, errParam("the fake encrypts with AES_ECB only")
	}
	s.cbURL, s.cbEncrypt = req.CallbackURL, encrypt
	return s.tokenInfo(), nil, nil
}
