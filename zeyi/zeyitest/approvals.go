package zeyitest

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hetong-go/hetong/zeyi"
)

// Status is an approval's state in the fake.
type Status string

// Approval states.
const (
	StatusRunning    Status = "running"    // 审核中
	StatusApproved   Status = "approved"   // 审核通过
	StatusRefused    Status = "refused"    // 审核拒绝
	StatusCanceled   Status = "canceled"   // cancelled through audit/cancel
	StatusTerminated Status = "terminated" // terminated in DingTalk
)

// Approval is one approval the fake holds.
type Approval struct {
	// Code is the business key (code, or id in later revisions).
	Code       string
	AuditID    string // returned by audit/send
	SerialNo   string // 审批单号, returned by audit/send as code
	BusinessID string // the DingTalk instance id sent in callbacks
	AuditType  string
	Originator string
	OrgCode    string
	Form       []zeyi.FormItem
	Conditions []zeyi.ConditionParam
	Status     Status
	AuditUser  string
	Remark     string

	event *callbackBody // the result callback, once the approval ended
}

// Approval returns the newest approval for code.
func (s *Server) Approval(code string) (Approval, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.approvals) - 1; i >= 0; i-- {
		if a := s.approvals[i]; a.Code == code {
			return a.copy(), true
		}
	}
	return Approval{}, false
}

// Approvals returns every approval in order of creation.
func (s *Server) Approvals() []Approval {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Approval, len(s.approvals))
	for i, a := range s.approvals {
		out[i] = a.copy()
	}
	return out
}

func (a *Approval) copy() Approval {
	c := *a
	c.Form = append([]zeyi.FormItem(nil), a.Form...)
	c.Conditions = append([]zeyi.ConditionParam(nil), a.Conditions...)
	return c
}

// running returns the approval of code that is in progress (locked).
func (s *Server) running(code string) *Approval {
	for _, a := range s.approvals {
		if a.Code == code && a.Status == StatusRunning {
			return a
		}
	}
	return nil
}

func (s *Server) send(w http.ResponseWriter, body []byte) {
	var req zeyi.SendAuditRequest
	if !decode(w, body, &req) {
		return
	}
	code := first(req.Code, req.ID)
	originator := first(req.OriginatorUsername, req.Username)
	switch {
	case code == "":
		fail(w, true, CodeBadRequest, "code不能为空")
		return
	case req.AuditType == "":
		fail(w, true, CodeBadRequest, "auditType不能为空")
		return
	case originator == "":
		fail(w, true, CodeBadRequest, "originatorUsername不能为空")
		return
	}
	for _, it := range req.AuditFormList {
		if it.Type != zeyi.FormText && it.Type != zeyi.FormFile {
			fail(w, true, CodeBadRequest, fmt.Sprintf("auditFormList.type不支持: %s", it.Type))
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.approvals {
		if a.Code == code && (a.Status == StatusRunning || a.Status == StatusApproved) {
			fail(w, true, CodeAuditExists, "同一业务编号已存在审核中或审核通过的审批")
			return
		}
	}
	s.seq++
	a := &Approval{
		Code: code, AuditID: fmt.Sprintf("18%017d", s.seq), SerialNo: fmt.Sprintf("SP%08d", s.seq),
		BusinessID: fmt.Sprintf("dt-instance-%06d", s.seq), AuditType: req.AuditType, Originator: originator,
		OrgCode: req.OrgCode, Form: req.AuditFormList, Conditions: req.ConditionParamList, Status: StatusRunning,
	}
	s.approvals = append(s.approvals, a)
	// auditId goes out as a 19-digit JSON number, as Java longs do.
	ok(w, map[string]any{"code": a.SerialNo, "auditId": jsonNumber(a.AuditID)})
}

func (s *Server) cancel(w http.ResponseWriter, body []byte) {
	var req zeyi.CancelAuditRequest
	if !decode(w, body, &req) {
		return
	}
	typ := first(req.Type, req.AuditType)
	if req.Code == "" && req.AuditID == "" {
		fail(w, true, CodeBadRequest, "code不能为空")
		return
	}
	if typ == "" {
		fail(w, true, CodeBadRequest, "type不能为空")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.approvals {
		if a.Status != StatusRunning || a.AuditType != typ {
			continue
		}
		if (req.AuditID != "" && a.AuditID == req.AuditID) || (req.AuditID == "" && a.Code == req.Code) {
			a.Status, a.Remark, a.AuditUser = StatusCanceled, req.Remark, req.Username
			ok(w, nil)
			return
		}
	}
	fail(w, true, CodeAuditNotFound, "没有审核中的审批")
}

func first(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// Approve agrees the running approval of code as approver
// "fake-approver" and posts the finish/agree callback. It returns the
// receiver's HTTP status and (bounded) body; err reports a callback that
// could not be posted. With no callback URL set the approval is still
// agreed and err is [ErrNoCallbackURL].
func (s *Server) Approve(ctx context.Context, code string) (status int, body []byte, err error) {
	return s.finish(ctx, code, StatusApproved, zeyi.EventFinish, zeyi.ResultAgree, "同意")
}

// Refuse refuses the running approval of code with remark and posts the
// finish/refuse callback, like Approve.
func (s *Server) Refuse(ctx context.Context, code, remark string) (status int, body []byte, err error) {
	return s.finish(ctx, code, StatusRefused, zeyi.EventFinish, zeyi.ResultRefuse, remark)
}

// Terminate ends the running approval of code as if revoked in DingTalk
// and posts the terminate callback, like Approve.
func (s *Server) Terminate(ctx context.Context, code, remark string) (status int, body []byte, err error) {
	return s.finish(ctx, code, StatusTerminated, zeyi.EventTerminate, "", remark)
}

// Redeliver posts the result callback of the newest ended approval of
// code again, freshly signed (new timestamp and nonce), as 则一 does when
// the first delivery was not acknowledged.
func (s *Server) Redeliver(ctx context.Context, code string) (status int, body []byte, err error) {
	s.mu.Lock()
	var ended *Approval
	for i := len(s.approvals) - 1; i >= 0 && ended == nil; i-- {
		if a := s.approvals[i]; a.Code == code && a.event != nil {
			ended = a
		}
	}
	if ended == nil {
		s.mu.Unlock()
		return 0, nil, fmt.Errorf("zeyitest: no ended approval for code %q", code)
	}
	ev, target := *ended.event, s.cb
	s.mu.Unlock()
	return s.post(ctx, target, ev)
}

func (s *Server) finish(ctx context.Context, code string, st Status, typ zeyi.EventType, res zeyi.AuditResult, remark string) (int, []byte, error) {
	s.mu.Lock()
	a := s.running(code)
	if a == nil {
		s.mu.Unlock()
		return 0, nil, fmt.Errorf("zeyitest: no running approval for code %q", code)
	}
	a.Status, a.AuditUser, a.Remark = st, "fake-approver", remark
	a.event = &callbackBody{Code: a.Code, AuditType: a.AuditType, BusinessID: a.BusinessID, Type: string(typ),
		Result: string(res), AuditUser: a.AuditUser, Remark: remark, AuditID: a.AuditID}
	ev, target := *a.event, s.cb
	s.mu.Unlock()
	return s.post(ctx, target, ev)
}
