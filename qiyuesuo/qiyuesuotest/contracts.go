package qiyuesuotest

import (
	"strconv"

	"github.com/hetong-go/hetong/qiyuesuo"
)

func (s *Server) draft(p *in) (any, *event, *apiError) {
	var req qiyuesuo.ContractDraftRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	switch {
	case req.Subject == "":
		return nil, nil, errParam("subject不能为空")
	case req.BizID != "" && s.byBiz[req.BizID] != "":
		return nil, nil, errParam("bizId已存在")
	}
	for _, sg := range req.Signatories {
		if sg.TenantType != qiyuesuo.TenantCompany && sg.TenantType != qiyuesuo.TenantPersonal {
			return nil, nil, errParam("tenantType取值错误")
		}
		if sg.TenantType == qiyuesuo.TenantPersonal && (sg.Receiver == nil || sg.Receiver.Contact == "") {
			return nil, nil, errParam("个人签署方的receiver不能为空")
		}
	}
	if err := checkTenant(req.TenantName); err != nil {
		return nil, nil, err
	}
	// A category with a template (业务分类) makes the document from the
	// template and the draft's parameters.
	var fromTemplate bool
	if req.Category != nil && (req.Category.ID == CategoryID || req.Category.Name == CategoryName) {
		if err := checkTemplateParams(req.TemplateParams); err != nil {
			return nil, nil, err
		}
		fromTemplate = true
	}
	send := req.Send != nil && *req.Send
	if send && !fromTemplate {
		return nil, nil, errParam("合同文档不能为空")
	}
	c := s.newContract(&req)
	if fromTemplate {
		s.addDoc(c, TemplateName, 0)
	}
	if send {
		s.publish(c)
		return c.view(), s.event(c, qiyuesuo.CallbackSendSigning), nil
	}
	return c.view(), nil, nil
}

// publish moves a draft to SIGNING.
func (s *Server) publish(c *contract) {
	c.c.Status = qiyuesuo.StatusSigning
	c.c.PublishTime = qiyuesuo.DateTime{Time: s.now()}
	for i := range c.c.Signatories {
		c.c.Signatories[i].Status = "SIGNING"
	}
	s.record(c, "SEND", "发起合同")
}

// addByFile serves addbyfile (one "file" part) and addbyfiles ("files" parts).
func (s *Server) addByFile(p *in) (any, *event, *apiError) {
	c, err := s.draftFor(p)
	if err != nil {
		return nil, nil, err
	}
	var size int64
	for _, f := range p.files {
		size += f.size
	}
	if len(p.files) == 0 {
		return nil, nil, errParam("file不能为空")
	}
	var stampers []qiyuesuo.Stamper
	if err := p.decodeField("stampers", &stampers); err != nil {
		return nil, nil, err
	}
	return qiyuesuo.DocumentAddResult{DocumentID: qiyuesuo.ID(s.addDoc(c, p.get("title"), size))}, nil, nil
}

func (s *Server) addByTemplate(p *in) (any, *event, *apiError) {
	var req qiyuesuo.DocumentAddByTemplateRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	c, err := s.draftFor(p)
	if err != nil {
		return nil, nil, err
	}
	if req.TemplateID != TemplateID {
		return nil, nil, errParam("模板不存在")
	}
	if err := checkTemplateParams(req.TemplateParams); err != nil {
		return nil, nil, err
	}
	c.c.TemplateParams = append(c.c.TemplateParams, req.TemplateParams...)
	return qiyuesuo.DocumentAddResult{DocumentID: qiyuesuo.ID(s.addDoc(c, req.Title, 0))}, nil, nil
}

// draftFor finds a contract that still accepts documents.
func (s *Server) draftFor(p *in) (*contract, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
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
	c, err := s.draftFor(p)
	if err != nil {
		return nil, nil, err
	}
	if len(c.docs) == 0 {
		return nil, nil, errParam("合同文档不能为空")
	}
	s.publish(c)
	return nil, s.event(c, qiyuesuo.CallbackSendSigning), nil
}

func (s *Server) sealSign(actionType string) op {
	return func(p *in) (any, *event, *apiError) {
		c, err := s.contractOf(p)
		if err != nil {
			return nil, nil, err
		}
		tenant := p.get("tenantName")
		if tenant == "" {
			tenant = CompanyName
		}
		ev, err := s.act(c, func(sg *qiyuesuo.Signatory, a *qiyuesuo.Action) bool {
			return sg.TenantType == qiyuesuo.TenantCompany && sg.TenantName == tenant && a.Type == actionType
		})
		return nil, ev, err
	}
}

func (s *Server) personalSign(p *in) (any, *event, *apiError) {
	var req qiyuesuo.UserSignParam
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	c, err := s.contractOf(p)
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
	var req qiyuesuo.ContractEmployeeAuditRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	if _, sent := p.object["pass"]; !sent {
		return nil, nil, errParam("pass不能为空")
	}
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	isAudit := func(sg *qiyuesuo.Signatory, a *qiyuesuo.Action) bool {
		return sg.TenantName == CompanyName && a.Type == qiyuesuo.ActionAudit
	}
	if !req.Pass {
		if c.c.Status != qiyuesuo.StatusSigning {
			return nil, nil, errStatus
		}
		if !s.isNext(c, isAudit) {
			return nil, nil, errNotYourTur
		}
		c.c.Status = qiyuesuo.StatusRejected
		s.record(c, "REJECT", req.Comment)
		return okOnly{}, s.event(c, qiyuesuo.CallbackRejected), nil
	}
	ev, err := s.act(c, isAudit)
	if err != nil {
		return nil, nil, err
	}
	return okOnly{}, ev, nil
}

// pageLink answers the page endpoints with a link on the fake's host.
func (s *Server) pageLink(prefix string) op {
	return func(p *in) (any, *event, *apiError) {
		c, err := s.contractOf(p)
		if err != nil {
			return nil, nil, err
		}
		return qiyuesuo.PageURLResult{PageURL: s.URL + prefix + "/" + string(c.c.ID)}, nil, nil
	}
}

func (s *Server) viewLink(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	s.record(c, "VIEW", "浏览合同")
	return qiyuesuo.PageURLResult{PageURL: s.URL + "/page/view/" + string(c.c.ID)}, nil, nil
}

func (s *Server) shortLink(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	if c.c.Status == qiyuesuo.StatusDraft {
		return nil, nil, errStatus
	}
	return map[string]any{"shortUrl": s.URL + "/s/" + string(c.c.ID)}, nil, nil
}

func (s *Server) downloadLinks(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	var res qiyuesuo.ContractDownloadURLResult
	for _, d := range c.docs {
		res.DownloadURLs = append(res.DownloadURLs, qiyuesuo.DownloadURL{ContractID: c.c.ID, DocumentID: qiyuesuo.ID(d.id), Title: d.title,
			DownloadItems: qiyuesuo.ItemContract, DownloadURL: s.URL + "/files/" + d.id})
	}
	return res, nil, nil
}

func (s *Server) notice(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	if c.c.Status != qiyuesuo.StatusSigning {
		return nil, nil, errStatus
	}
	s.record(c, "NOTICE", "催签")
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
	offset, limit, perr := paging(p, 1000)
	if perr != nil {
		return nil, nil, perr
	}
	var all []qiyuesuo.Contract
	for _, c := range s.contracts {
		if st := p.get("status"); st == "" || st == c.c.Status {
			all = append(all, c.view())
		}
	}
	sortByID(all)
	page := make([]qiyuesuo.ContractSummary, 0, limit)
	for _, c := range window(all, offset, limit) {
		page = append(page, qiyuesuo.ContractSummary{ID: c.ID, Subject: c.Subject, Sn: c.Sn, TenantName: c.TenantName,
			Ordinal: c.Ordinal, Category: c.Category, Status: c.Status, ExpireTime: c.ExpireTime, PublishTime: c.PublishTime})
	}
	return qiyuesuo.ContractListResult{TotalCount: len(all), List: page}, nil, nil
}

// invalid recalls a draft or signing contract, or voids a completed one:
// with autoSign (the default) the invalidation document is signed at once,
// otherwise it waits for ContractSignInvalid.
func (s *Server) invalid(p *in) (any, *event, *apiError) {
	var req qiyuesuo.ContractInvalidRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	switch c.c.Status {
	case qiyuesuo.StatusDraft, qiyuesuo.StatusSigning:
		c.c.Status = qiyuesuo.StatusRecalled
		s.record(c, "RECALL", req.Reason)
		return nil, s.event(c, qiyuesuo.CallbackRecalled), nil
	case qiyuesuo.StatusComplete:
		for _, r := range req.Receivers {
			if r.Receiver == nil || r.Receiver.Contact == "" {
				return nil, nil, errParam("receivers.receiver不能为空")
			}
		}
		return nil, s.startVoid(c, req.Reason, req.AutoSign == nil || *req.AutoSign), nil
	}
	return nil, nil, errStatus
}

func (s *Server) startVoid(c *contract, reason string, autoSign bool) *event {
	c.c.InvalidReason = reason
	s.addDoc(c, "作废声明", 0)
	s.record(c, "INVALID", reason)
	if autoSign {
		c.c.Status = qiyuesuo.StatusInvalided
		return s.event(c, qiyuesuo.CallbackInvalided)
	}
	c.c.Status, c.voidPending = qiyuesuo.StatusInvaliding, true
	return s.event(c, "INVALIDING")
}

// invalidByFile takes the contract reference inside the invalidInfo JSON field.
func (s *Server) invalidByFile(p *in) (any, *event, *apiError) {
	var info qiyuesuo.InvalidInfo
	if err := p.decodeField("invalidInfo", &info); err != nil {
		return nil, nil, err
	}
	var receivers []qiyuesuo.CopySendReceiver
	if err := p.decodeField("receivers", &receivers); err != nil {
		return nil, nil, err
	}
	if (info.ContractID == "") == (info.BizID == "") {
		return nil, nil, errParam("invalidInfo: 合同ID与业务ID二选一")
	}
	c, err := s.find(string(info.ContractID), info.BizID)
	if err != nil {
		return nil, nil, err
	}
	if c.c.Status != qiyuesuo.StatusComplete {
		return nil, nil, errStatus
	}
	return nil, s.startVoid(c, info.InvalidReason, false), nil
}

func (s *Server) invalidByTemplate(p *in) (any, *event, *apiError) {
	var req qiyuesuo.ContractInvalidByTemplateRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	if req.TemplateID != TemplateID {
		return nil, nil, errParam("模板不存在")
	}
	if c.c.Status != qiyuesuo.StatusComplete {
		return nil, nil, errStatus
	}
	return nil, s.startVoid(c, req.InvalidReason, false), nil
}

// signInvalid is the sponsor signing the invalidation document.
func (s *Server) signInvalid(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	if c.c.Status != qiyuesuo.StatusInvaliding || !c.voidPending {
		return nil, nil, errStatus
	}
	c.c.Status, c.voidPending = qiyuesuo.StatusInvalided, false
	s.record(c, "INVALID_SIGN", "签署作废文件")
	return nil, s.event(c, qiyuesuo.CallbackInvalided), nil
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
	s.record(c, "FORCE_END", p.get("reason"))
	return nil, s.event(c, "FORCE_END"), nil
}

// operationLog is /v2/contract/stream: the operations recorded so far,
// optionally of one kind.
func (s *Server) operationLog(p *in) (any, *event, *apiError) {
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	list := []logEntry{}
	for _, e := range c.log {
		if op := p.get("operation"); op == "" || op == e.Operation {
			list = append(list, e)
		}
	}
	return map[string]any{"totalCount": len(list), "list": list}, nil, nil
}

// signatoryAdd adds a party to a signing or completed contract, which is
// then signing again.
func (s *Server) signatoryAdd(p *in) (any, *event, *apiError) {
	var req qiyuesuo.SignatoryAddRequest
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	c, err := s.contractOf(p)
	if err != nil {
		return nil, nil, err
	}
	if c.c.Status != qiyuesuo.StatusSigning && c.c.Status != qiyuesuo.StatusComplete {
		return nil, nil, errStatus
	}
	sg := *req.Signatory
	if sg.TenantType != qiyuesuo.TenantCompany && sg.TenantType != qiyuesuo.TenantPersonal {
		return nil, nil, errParam("tenantType取值错误")
	}
	s.initSignatory(&sg, "SIGNING")
	c.c.Signatories = append(c.c.Signatories, sg)
	c.c.Status = qiyuesuo.StatusSigning
	s.record(c, "ADD_SIGNATORY", sg.TenantName)
	return qiyuesuo.AddSignatoryResult{Signatory: &sg}, nil, nil
}

// signatoryEdit changes the receiver of a signatory that has not signed.
func (s *Server) signatoryEdit(p *in) (any, *event, *apiError) {
	var req qiyuesuo.SignatoryEditV3Request
	if err := p.decode(&req); err != nil {
		return nil, nil, err
	}
	for _, c := range s.contracts {
		for i := range c.c.Signatories {
			sg := &c.c.Signatories[i]
			if sg.ID != req.SignatoryID {
				continue
			}
			if sg.Status == "SIGNED" {
				return nil, nil, errStatus
			}
			if req.Receiver != nil {
				sg.Receiver = req.Receiver
			}
			s.record(c, "EDIT_SIGNATORY", string(sg.ID))
			return nil, nil, nil
		}
	}
	return nil, nil, errParam("签署方不存在: " + strconv.Quote(string(req.SignatoryID)))
}
