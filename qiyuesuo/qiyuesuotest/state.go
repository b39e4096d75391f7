package qiyuesuotest

import (
	"sort"

	"github.com/hetong-go/hetong/qiyuesuo"
)

// Error codes and messages the fake answers with.
var (
	errParam      = func(msg string) *apiError { return errf(qiyuesuo.CodeInvalidParameter, "无效的参数:"+msg) }
	errNotFound   = errf(qiyuesuo.CodeContractNotFound, "合同不存在")
	errStatus     = errf(qiyuesuo.CodeInvalidContractStatus, "无效的合同状态")
	errNotYourTur = errf(qiyuesuo.CodeNotYourTurn, "未轮到签署")
	errPermission = errf(qiyuesuo.CodePermissionMismatch, "权限不匹配")
)

type document struct {
	id, title, contractID string
	size                  int64
}

// logEntry is one line of a contract's operation log (合同操作记录).
type logEntry struct {
	Operation   string `json:"operation"`
	Operator    string `json:"operator"`
	OperateTime string `json:"operateTime"`
	Content     string `json:"content"`
}

type contract struct {
	c           qiyuesuo.Contract
	callbackURL string
	docs        []*document
	log         []logEntry
	// voidPending is true while an invalidation document waits for the
	// sponsor's signature (ContractSignInvalid).
	voidPending bool
}

// view returns a deep copy safe to hand out.
func (c *contract) view() qiyuesuo.Contract {
	v := c.c
	v.Signatories = make([]qiyuesuo.Signatory, len(c.c.Signatories))
	for i, sg := range c.c.Signatories {
		sg.Actions = append([]qiyuesuo.Action(nil), sg.Actions...)
		v.Signatories[i] = sg
	}
	v.Documents = make([]qiyuesuo.Document, len(c.docs))
	for i, d := range c.docs {
		v.Documents[i] = qiyuesuo.Document{ID: qiyuesuo.ID(d.id), Title: d.title, PageCount: 1}
	}
	v.TemplateParams = append([]qiyuesuo.TemplateParam(nil), c.c.TemplateParams...)
	return v
}

func (s *Server) record(c *contract, operation, content string) {
	c.log = append(c.log, logEntry{Operation: operation, Operator: CompanyName, OperateTime: qiyuesuo.DateTime{Time: s.now()}.String(), Content: content})
}

// event is a callback to post once the lock is released.
type event struct {
	url, contractID, bizID, callbackType, status, tenantType, tenantName, contact, businessData string
}

func (s *Server) event(c *contract, typ string) *event {
	return &event{url: c.callbackURL, contractID: string(c.c.ID), bizID: c.c.BizID, callbackType: typ,
		status: c.c.Status, tenantType: qiyuesuo.TenantCompany, tenantName: CompanyName, businessData: c.c.BusinessData}
}

// find resolves contractId or bizId (the route checked that exactly one is set).
func (s *Server) find(contractID, bizID string) (*contract, *apiError) {
	id := contractID
	if bizID != "" {
		id = s.byBiz[bizID]
	}
	c, ok := s.contracts[id]
	if !ok {
		return nil, errNotFound
	}
	return c, nil
}

// contractOf resolves the contract a call addresses and checks its tenant.
func (s *Server) contractOf(p *in) (*contract, *apiError) {
	id, biz, tenant := p.ref()
	c, err := s.find(id, biz)
	if err != nil {
		return nil, err
	}
	return c, checkTenant(tenant)
}

// checkTenant accepts the app's own company, a joined subsidiary, or no name.
func checkTenant(name string) *apiError {
	if name != "" && name != CompanyName && name != SubsidiaryName {
		return errPermission
	}
	return nil
}

// newContract stores a draft, assigning ids to it, its signatories and actions.
func (s *Server) newContract(req *qiyuesuo.ContractDraftRequest) *contract {
	c := &contract{callbackURL: req.CallbackURL}
	tenant := req.TenantName
	if tenant == "" {
		tenant = CompanyName
	}
	c.c = qiyuesuo.Contract{ID: qiyuesuo.ID(s.newID()), BizID: req.BizID, Subject: req.Subject, Sn: req.Sn,
		Description: req.Description, Status: qiyuesuo.StatusDraft, TenantName: tenant, Ordinal: req.Ordinal == nil || *req.Ordinal,
		Category: req.Category, Creator: req.Creator, BusinessData: req.BusinessData, TemplateParams: req.TemplateParams}
	if req.ExpireTime != nil {
		c.c.ExpireTime = *req.ExpireTime
	}
	sigs := append([]qiyuesuo.Signatory(nil), req.Signatories...)
	serial := func(sg qiyuesuo.Signatory) int {
		if sg.SerialNo == nil {
			return 0
		}
		return *sg.SerialNo
	}
	sort.SliceStable(sigs, func(i, j int) bool { return serial(sigs[i]) < serial(sigs[j]) })
	for i := range sigs {
		s.initSignatory(&sigs[i], qiyuesuo.StatusDraft)
	}
	c.c.Signatories = sigs
	s.contracts[string(c.c.ID)] = c
	if req.BizID != "" {
		s.byBiz[req.BizID] = string(c.c.ID)
	}
	s.record(c, "CREATE", "创建合同")
	return c
}

// initSignatory assigns ids and gives a signatory without actions the
// default one for its type.
func (s *Server) initSignatory(sg *qiyuesuo.Signatory, status string) {
	sg.ID, sg.Status = qiyuesuo.ID(s.newID()), status
	sg.Actions = append([]qiyuesuo.Action(nil), sg.Actions...)
	if len(sg.Actions) == 0 {
		typ := qiyuesuo.ActionPersonal
		if sg.TenantType == qiyuesuo.TenantCompany {
			typ = qiyuesuo.ActionCompany
		}
		sg.Actions = []qiyuesuo.Action{{Type: typ}}
	}
	for k := range sg.Actions {
		sg.Actions[k].ID, sg.Actions[k].Status = qiyuesuo.ID(s.newID()), "INIT"
	}
}

// act finishes the action match accepts. Signing is ordinal by default:
// only the first unfinished action may be done, else 未轮到签署.
func (s *Server) act(c *contract, match func(*qiyuesuo.Signatory, *qiyuesuo.Action) bool) (*event, *apiError) {
	if c.c.Status != qiyuesuo.StatusSigning {
		return nil, errStatus
	}
	for i := range c.c.Signatories {
		sg := &c.c.Signatories[i]
		for k := range sg.Actions {
			a := &sg.Actions[k]
			if a.Status == "FINISH" {
				continue
			}
			if match(sg, a) {
				a.Status = "FINISH"
				s.record(c, "SIGN", sg.TenantName+" "+a.Type)
				return s.afterAction(c, sg), nil
			}
			if c.c.Ordinal {
				return nil, errNotYourTur
			}
		}
	}
	return nil, errNotYourTur
}

// afterAction marks a signatory signed when its actions are done and
// completes the contract when every signatory is.
func (s *Server) afterAction(c *contract, sg *qiyuesuo.Signatory) *event {
	done := true
	for _, a := range sg.Actions {
		done = done && a.Status == "FINISH"
	}
	if done {
		sg.Status = "SIGNED"
	}
	for _, o := range c.c.Signatories {
		if o.Status != "SIGNED" {
			return nil
		}
	}
	c.c.Status = qiyuesuo.StatusComplete
	return s.event(c, qiyuesuo.CallbackComplete)
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

func sortByID(cs []qiyuesuo.Contract) {
	sort.Slice(cs, func(i, j int) bool {
		a, b := string(cs[i].ID), string(cs[j].ID)
		return len(a) < len(b) || (len(a) == len(b) && a < b)
	})
}
