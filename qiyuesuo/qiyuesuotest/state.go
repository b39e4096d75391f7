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

type contract struct {
	c           qiyuesuo.Contract
	callbackURL string
	docs        []*document
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
		v.Documents[i] = qiyuesuo.Document{ID: qiyuesuo.ID(d.id), Title: d.title, Pages: 1}
	}
	return v
}

// event is a callback to post once the lock is released.
type event struct {
	url, contractID, bizID, callbackType, status, tenantType, tenantName, contact, businessData string
}

func (s *Server) event(c *contract, typ string) *event {
	return &event{url: c.callbackURL, contractID: string(c.c.ID), bizID: string(c.c.BizID), callbackType: typ,
		status: c.c.Status, tenantType: qiyuesuo.TenantCompany, tenantName: CompanyName, businessData: c.c.BusinessData}
}

// find resolves contractId XOR bizId.
func (s *Server) find(contractID, bizID string) (*contract, *apiError) {
	if (contractID == "") == (bizID == "") {
		return nil, errParam("合同ID与业务ID二选一,不能同时为空")
	}
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

// checkTenant accepts the app's own company (or no name).
func checkTenant(name string) *apiError {
	if name != "" && name != CompanyName {
		return errPermission
	}
	return nil
}

// newContract stores a draft, assigning ids to it, its signatories and actions.
func (s *Server) newContract(req *qiyuesuo.DraftRequest) *contract {
	c := &contract{callbackURL: req.CallbackURL}
	c.c = qiyuesuo.Contract{ID: qiyuesuo.ID(s.newID()), BizID: req.BizID, Subject: req.Subject, Sn: req.Sn,
		Description: req.Description, Status: qiyuesuo.StatusDraft, TenantName: CompanyName, Ordinal: req.Ordinal == nil || *req.Ordinal,
		Category: req.Category, Creator: req.Creator, BusinessData: req.BusinessData,
		CreateTime: qiyuesuo.DateTime{Time: s.now()}}
	if req.ExpireTime != nil {
		c.c.ExpireTime = *req.ExpireTime
	}
	sigs := append([]qiyuesuo.Signatory(nil), req.Signatories...)
	sort.SliceStable(sigs, func(i, j int) bool { return sigs[i].SerialNo < sigs[j].SerialNo })
	for i := range sigs {
		sg := &sigs[i]
		sg.ID, sg.Status = qiyuesuo.ID(s.newID()), qiyuesuo.StatusDraft
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
	c.c.Signatories = sigs
	s.contracts[string(c.c.ID)] = c
	if req.BizID != "" {
		s.byBiz[string(req.BizID)] = string(c.c.ID)
	}
	return c
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
	c.c.CompleteTime = qiyuesuo.DateTime{Time: s.now()}
	return s.event(c, qiyuesuo.CallbackComplete)
}

// SignAll makes every remaining signatory sign a SIGNING contract, as if
// all of them had signed on their phones; the contract becomes COMPLETE and
// the COMPLETE callback is posted (synchronously) when one is configured.
func (s *Server) SignAll(id qiyuesuo.ID) error {
	s.mu.Lock()
	c, ok := s.contracts[string(id)]
	if !ok {
		s.mu.Unlock()
		return errNotFound
	}
	if c.c.Status != qiyuesuo.StatusSigning {
		s.mu.Unlock()
		return errStatus
	}
	var ev *event
	for i := range c.c.Signatories {
		sg := &c.c.Signatories[i]
		for k := range sg.Actions {
			sg.Actions[k].Status = "FINISH"
		}
		ev = s.afterAction(c, sg)
	}
	s.mu.Unlock()
	return s.deliver(ev)
}
