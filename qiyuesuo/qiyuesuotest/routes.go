package qiyuesuotest

import (
	"net/http"
	"strconv"

	"github.com/hetong-go/hetong/qiyuesuo"
)

// okOnly marks a result answered with {"responseCode":"00000000"}.
type okOnly struct{}

// op handles one authenticated call under the server lock. It returns the
// result, an optional callback to post after unlocking, or an error.
type op func(p *in) (any, *event, *apiError)

func (s *Server) routes() http.Handler {
	m := http.NewServeMux()
	api := map[string]op{
		"POST /v2/contract/draft":             s.draft,
		"POST /v2/document/addbyfile":         s.addByFile,
		"POST /v2/document/addbyfiles":        s.addByFile,
		"POST /v2/document/addbytemplate":     s.addByTemplate,
		"POST /v2/contract/send":              s.send,
		"POST /v2/contract/companysign":       s.sealSign(qiyuesuo.ActionCompany),
		"POST /v2/contract/legalpersonsign":   s.sealSign(qiyuesuo.ActionLP),
		"POST /v2/contract/personalsign":      s.personalSign,
		"POST /v2/contract/employeeaudit":     s.audit,
		"POST /v2/contract/pageurl":           s.link("pageUrl", "/page/sign"),
		"GET /v2/contract/viewurl":            s.link("viewUrl", "/page/view"),
		"GET /v2/contract/shorturl":           s.link("shortUrl", "/s"),
		"GET /v2/contract/downloadurl":        s.link("downloadUrl", "/files"),
		"POST /v2/contract/notice":            s.notice,
		"GET /v2/contract/detail":             s.detail,
		"GET /v2/contract/list":               s.list,
		"POST /v2/contract/invalid":           s.invalid,
		"POST /v2/contract/forceend":          s.forceEnd,
		"GET /v2/seal/list":                   s.seals,
		"GET /v2/template/list":               s.templates,
		"GET /v2/category/list":               s.categories,
		"POST /v2/employee/create":            s.employeeCreate,
		"POST /v2/employee/remove":            s.employeeRemove,
		"GET /v2/employee/list":               s.employeeList,
		"GET /v2/company/detail":              s.companyDetail,
		"GET /company/token/get":              s.tokenGet,
		"POST /company/token/update/callback": s.tokenUpdate,
	}
	for pattern, h := range api {
		m.Handle(pattern, s.api(h))
	}
	m.HandleFunc("GET /v2/contract/download", s.download)
	m.HandleFunc("GET /v2/document/download", s.documentDownload)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 1001, "message": "请求失败:no such API " + r.URL.Path})
	})
	return m
}

func (s *Server) api(h op) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authenticate(w, r) {
			return
		}
		p, aerr := readInput(r)
		if aerr != nil {
			fail(w, aerr)
			return
		}
		s.mu.Lock()
		res, ev, aerr := h(p)
		s.mu.Unlock()
		if aerr != nil {
			fail(w, aerr)
			return
		}
		_ = s.deliver(ev) // the platform retries failed deliveries later; the fake records them
		if _, ok := res.(okOnly); ok {
			replyOK(w)
			return
		}
		reply(w, res)
	})
}

func (s *Server) draft(p *in) (any, *event, *apiError) {
	var req qiyuesuo.DraftRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	switch {
	case req.Subject == "":
		return nil, nil, errParam("subject不能为空")
	case len(req.Signatories) == 0:
		return nil, nil, errParam("signatories不能为空")
	case req.Send && len(req.Documents) == 0:
		return nil, nil, errParam("合同文档不能为空")
	case req.BizID != "" && s.byBiz[string(req.BizID)] != "":
		return nil, nil, errParam("bizId已存在")
	}
	if err := checkTenant(req.TenantName); err != nil {
		return nil, nil, err
	}
	c := s.newContract(&req)
	for _, id := range req.Documents {
		if d, ok := s.docs[string(id)]; ok && d.contractID == "" {
			d.contractID = string(c.c.ID)
			c.docs = append(c.docs, d)
		}
	}
	if req.Send {
		c.c.Status = qiyuesuo.StatusSigning
		c.c.PublishTime = qiyuesuo.DateTime{Time: s.now()}
		return c.view(), s.event(c, qiyuesuo.CallbackSendSigning), nil
	}
	return c.view(), nil, nil
}

// addByFile serves addbyfile (one "file" part) and addbyfiles ("files" parts).
func (s *Server) addByFile(p *in) (any, *event, *apiError) {
	c, err := s.draftFor(p.get("contractId"), p.get("bizId"), p.get("tenantName"))
	if err != nil {
		return nil, nil, err
	}
	if p.get("title") == "" || len(p.files) == 0 {
		return nil, nil, errParam("title与file不能为空")
	}
	var size int64
	for _, f := range p.files {
		size += f.size
	}
	return map[string]any{"documentId": s.addDoc(c, p.get("title"), size)}, nil, nil
}

func (s *Server) addByTemplate(p *in) (any, *event, *apiError) {
	var req qiyuesuo.AddDocumentByTemplateRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	c, err := s.draftFor(string(req.ContractID), string(req.BizID), req.TenantName)
	if err != nil {
		return nil, nil, err
	}
	if req.TemplateID != TemplateID || req.Title == "" {
		return nil, nil, errParam("模板不存在")
	}
	return map[string]any{"documentId": s.addDoc(c, req.Title, 0)}, nil, nil
}

// draftFor finds a contract that still accepts documents.
func (s *Server) draftFor(contractID, bizID, tenant string) (*contract, *apiError) {
	c, err := s.find(contractID, bizID)
	if err != nil {
		return nil, err
	}
	if err := checkTenant(tenant); err != nil {
		return nil, err
	}
	if c.c.Status != qiyuesuo.StatusDraft {
		return nil, errStatus
	}
	return c, nil
}

func (s *Server) addDoc(c *contract, title string, size int64) string {
	d := &document{id: s.newID(), title: title, contractID: string(c.c.ID), size: size}
	s.docs[d.id] = d
	c.docs = append(c.docs, d)
	return d.id
}

func (s *Server) send(p *in) (any, *event, *apiError) {
	r, err := p.ref()
	if err != nil {
		return nil, nil, err
	}
	c, err := s.draftFor(r.ContractID, r.BizID, r.TenantName)
	if err != nil {
		return nil, nil, err
	}
	if len(c.docs) == 0 {
		return nil, nil, errParam("合同文档不能为空")
	}
	c.c.Status = qiyuesuo.StatusSigning
	c.c.PublishTime = qiyuesuo.DateTime{Time: s.now()}
	return nil, s.event(c, qiyuesuo.CallbackSendSigning), nil
}

// contractOf resolves the contract a call addresses and checks its tenant.
func (s *Server) contractOf(p *in) (*contract, *apiError) {
	r, err := p.ref()
	if err != nil {
		return nil, err
	}
	return s.signing(r)
}

// signing resolves the contract of a sign/audit call and checks the tenant.
func (s *Server) signing(r refBody) (*contract, *apiError) {
	c, err := s.find(r.ContractID, r.BizID)
	if err != nil {
		return nil, err
	}
	return c, checkTenant(r.TenantName)
}

func (s *Server) sealSign(actionType string) op {
	return func(p *in) (any, *event, *apiError) {
		c, err := s.contractOf(p)
		if err != nil {
			return nil, nil, err
		}
		ev, err := s.act(c, func(sg *qiyuesuo.Signatory, a *qiyuesuo.Action) bool {
			return sg.TenantType == qiyuesuo.TenantCompany && sg.TenantName == CompanyName && a.Type == actionType
		})
		return nil, ev, err
	}
}

func (s *Server) personalSign(p *in) (any, *event, *apiError) {
	var req qiyuesuo.PersonalSignRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	c, err := s.find(string(req.ContractID), string(req.BizID))
	if err != nil {
		return nil, nil, err
	}
	if req.User == nil || req.User.Contact == "" {
		return nil, nil, errParam("user不能为空")
	}
	ev, err := s.act(c, func(sg *qiyuesuo.Signatory, a *qiyuesuo.Action) bool {
		return sg.TenantType == qiyuesuo.TenantPersonal && sg.Receiver != nil && sg.Receiver.Contact == req.User.Contact
	})
	return nil, ev, err
}

// audit is /v2/contract/employeeaudit (员工审批).
func (s *Server) audit(p *in) (any, *event, *apiError) {
	var req struct {
		refBody
		Pass    *bool  `json:"pass"`
		Comment string `json:"comment"`
	}
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	c, err := s.signing(req.refBody)
	if err != nil {
		return nil, nil, err
	}
	if req.Pass == nil {
		return nil, nil, errParam("pass不能为空")
	}
	isAudit := func(sg *qiyuesuo.Signatory, a *qiyuesuo.Action) bool {
		return sg.TenantName == CompanyName && a.Type == qiyuesuo.ActionAudit
	}
	if !*req.Pass {
		if c.c.Status != qiyuesuo.StatusSigning {
			return nil, nil, errStatus
		}
		if !s.isNext(c, isAudit) {
			return nil, nil, errNotYourTur
		}
		c.c.Status = qiyuesuo.StatusRejected
		return okOnly{}, s.event(c, qiyuesuo.CallbackRejected), nil
	}
	ev, err := s.act(c, isAudit)
	if err != nil {
		return nil, nil, err
	}
	return okOnly{}, ev, nil
}

// isNext reports whether the first unfinished action matches.
func (s *Server) isNext(c *contract, match func(*qiyuesuo.Signatory, *qiyuesuo.Action) bool) bool {
	for i := range c.c.Signatories {
		sg := &c.c.Signatories[i]
		for k := range sg.Actions {
			if sg.Actions[k].Status != "FINISH" {
				return match(sg, &sg.Actions[k])
			}
		}
	}
	return false
}

// link answers the URL endpoints with a link on the fake's host.
func (s *Server) link(field, prefix string) op {
	return func(p *in) (any, *event, *apiError) {
		c, err := s.contractOf(p)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{field: s.URL + prefix + "/" + string(c.c.ID)}, nil, nil
	}
}

func (s *Server) notice(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	if c.c.Status != qiyuesuo.StatusSigning {
		return nil, nil, errStatus
	}
	return nil, nil, nil
}

func (s *Server) detail(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	return c.view(), nil, nil
}

func (s *Server) list(p *in) (any, *event, *apiError) {
	offset, _ := strconv.Atoi(p.get("selectOffset"))
	limit, lerr := strconv.Atoi(p.get("selectLimit"))
	if lerr != nil {
		limit = 100
	}
	if limit < 1 || limit > 1000 || offset < 0 {
		return nil, nil, errParam("selectLimit取值范围1-1000")
	}
	var all []qiyuesuo.Contract
	for _, c := range s.contracts {
		if st := p.get("status"); st == "" || st == c.c.Status {
			all = append(all, c.view())
		}
	}
	sortByID(all)
	page := []qiyuesuo.Contract{}
	if offset < len(all) {
		page = all[offset:min(len(all), offset+limit)]
	}
	return map[string]any{"totalCount": len(all), "list": page}, nil, nil
}

func (s *Server) invalid(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	switch c.c.Status {
	case qiyuesuo.StatusDraft, qiyuesuo.StatusSigning:
		c.c.Status = qiyuesuo.StatusRecalled
		return nil, s.event(c, qiyuesuo.CallbackRecalled), nil
	case qiyuesuo.StatusComplete:
		c.c.Status = qiyuesuo.StatusInvalided
		return nil, s.event(c, qiyuesuo.CallbackInvalided), nil
	}
	return nil, nil, errStatus
}

func (s *Server) forceEnd(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	if c.c.Status != qiyuesuo.StatusSigning {
		return nil, nil, errStatus
	}
	c.c.Status = qiyuesuo.StatusForceEnd
	return nil, s.event(c, "FORCE_END"), nil
}
