package qiyuesuotest

import (
	"sort"

	"github.com/hetong-go/hetong/qiyuesuo"
)

func sortByID(cs []qiyuesuo.Contract) {
	sort.Slice(cs, func(i, j int) bool {
		a, b := string(cs[i].ID), string(cs[j].ID)
		return len(a) < len(b) || (len(a) == len(b) && a < b)
	})
}

func (s *Server) seals(p *in) (any, *event, *apiError) {
	if err := checkTenant(p.get("tenantName")); err != nil {
		return nil, nil, err
	}
	return []qiyuesuo.Seal{{ID: SealID, Name: CompanyName + "公章", Type: "COMPANY", Category: "ELECTRONIC", Status: "NORMAL"}}, nil, nil
}

func (s *Server) templates(*in) (any, *event, *apiError) {
	return map[string]any{"totalCount": 1, "list": []qiyuesuo.Template{{ID: TemplateID, Title: "采购合同模板", Status: "NORMAL"}}}, nil, nil
}

func (s *Server) categories(*in) (any, *event, *apiError) {
	return []qiyuesuo.Category{{ID: "3700000000000000001", Name: "采购合同"}}, nil, nil
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
		if e.Contact == req.User.Contact {
			return nil, nil, errParam("员工已存在")
		}
	}
	e := qiyuesuo.Employee{ID: qiyuesuo.ID(s.newID()), Name: req.User.Name, Contact: req.User.Contact, Number: req.Number, Status: "NORMAL"}
	s.employees = append(s.employees, e)
	return e, nil, nil
}

func (s *Server) employeeRemove(p *in) (any, *event, *apiError) {
	var req qiyuesuo.EmployeeRemoveRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	for i, e := range s.employees {
		if e.Contact == req.User.Contact {
			s.employees = append(s.employees[:i], s.employees[i+1:]...)
			return nil, nil, nil
		}
	}
	return nil, nil, errParam("员工不存在")
}

func (s *Server) employeeList(*in) (any, *event, *apiError) {
	return map[string]any{"totalCount": len(s.employees), "list": append([]qiyuesuo.Employee{}, s.employees...)}, nil, nil
}

func (s *Server) companyDetail(p *in) (any, *event, *apiError) {
	if p.get("companyName") != CompanyName && p.get("registerNo") != "91310000000000000X" {
		return nil, nil, errParam("公司不存在")
	}
	return qiyuesuo.Company{ID: "3600000000000000001", Name: CompanyName, RegisterNo: "91310000000000000X", LegalPerson: "张三", Status: "CERTIFIED"}, nil, nil
}

func (s *Server) tokenGet(*in) (any, *event, *apiError) {
	typ := ""
	if s.cbEncrypt {
		typ = qiyuesuo.EncryptAESECB
	}
	return qiyuesuo.CallbackSettings{AppName: "fake", CallbackURL: s.cbURL, Encrypt: s.cbEncrypt, CallbackSecretKey: s.cbSecret, EncryptType: typ}, nil, nil
}

func (s *Server) tokenUpdate(p *in) (any, *event, *apiError) {
	var req qiyuesuo.UpdateCallbackRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	if req.CallbackURL == "" {
		return nil, nil, errParam("callbackUrl不能为空")
	}
	if req.Encrypt && req.EncryptType == qiyuesuo.EncryptAESCBC {
		return nil, nil, errParam("the fake encrypts with AES_ECB only")
	}
	s.cbURL, s.cbEncrypt = req.CallbackURL, req.Encrypt
	return nil, nil, nil
}
