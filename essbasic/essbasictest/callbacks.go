package essbasictest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hetong-go/hetong/essbasic"
)

// callbackClient bounds a delivery, so a stuck receiver cannot hang a test.
var callbackClient = &http.Client{Timeout: 30 * time.Second}

// ErrNoCallback is returned, before anything changes, when a callback
// should be sent but SetCallback was never called.
var ErrNoCallback = errors.New("essbasictest: no callback URL set")

// maxAnswer bounds the receiver's answer kept in the returned body.
const maxAnswer = 1 << 16

// delivery is one callback as sent: where, and the exact bytes.
type delivery struct {
	url, signature string
	body           []byte
}

// CompleteFlow signs the flow for every pending signer (status ALL, 签署完成)
// and POSTs the FlowStatusChange callback (FlowCallbackStatus 4, Operate
// "finish"). It returns the receiver's HTTP status and body, whatever the
// status: a receiver that answers 500 is the receiver's business (the
// platform would deliver again; see Redeliver).
//
// err is non-nil only when nothing happened: the flow is unknown or already
// ended, no callback URL is set (ErrNoCallback), or the callback could not
// be delivered at all (then the flow is left as it was).
func (s *Server) CompleteFlow(ctx context.Context, flowID string) (status int, body []byte, err error) {
	return s.endFlow(ctx, flowID, "ALL", "finish", "", 3)
}

// RejectFlow makes the flow's first pending signer refuse it (status
// REJECT, 拒签) with reason and POSTs the FlowStatusChange callback
// (FlowCallbackStatus 3, Operate "reject"). Results as CompleteFlow.
func (s *Server) RejectFlow(ctx context.Context, flowID, reason string) (status int, body []byte, err error) {
	return s.endFlow(ctx, flowID, "REJECT", "reject", reason, 4)
}

// endFlow moves a running flow to a final status and reports it; when the
// report cannot be delivered the flow goes back to how it was.
func (s *Server) endFlow(ctx context.Context, flowID, status, operate, reason string, approve int64) (int, []byte, error) {
	s.mu.Lock()
	fl := s.flows[flowID]
	switch {
	case s.cb.url == "":
		s.mu.Unlock()
		return 0, nil, ErrNoCallback
	case fl == nil:
		s.mu.Unlock()
		return 0, nil, fmt.Errorf("essbasictest: flow %s not found", flowID)
	case fl.status != "INIT" && fl.status != "PART":
		s.mu.Unlock()
		return 0, nil, fmt.Errorf("essbasictest: flow %s is %s", flowID, fl.status)
	}
	saved := fl.snapshot()
	data := fl.end(s.now().Unix(), status, operate, reason, approve)
	s.mu.Unlock()
	code, answer, err := s.PostCallback(ctx, essbasic.MsgTypeFlowStatusChange, data)
	if err != nil {
		s.mu.Lock()
		fl.restore(saved)
		s.mu.Unlock()
		return 0, nil, err
	}
	return code, answer, nil
}

// snapshot copies what end changes; the caller holds s.mu.
func (fl *flow) snapshot() flow {
	cp := *fl
	cp.approvers = make([]*approver, len(fl.approvers))
	for i, a := range fl.approvers {
		ac := *a
		cp.approvers[i] = &ac
	}
	return cp
}

// restore puts a snapshot back; the caller holds s.mu.
func (fl *flow) restore(saved flow) { *fl = saved }

// end moves the flow to status and returns its FlowStatusChange message;
// the caller holds s.mu.
func (fl *flow) end(now int64, status, operate, reason string, approve int64) essbasic.FlowStatusChange {
	fl.status, fl.message = status, reason
	if status == "ALL" {
		fl.pdf = append(append([]byte(nil), fl.pdf...), "\n% signed by all parties\n"...)
	}
	data := essbasic.FlowStatusChange{
		ApplicationID: AppID, FlowID: fl.id, FlowName: fl.name, CallbackType: "sign", CreateOn: fl.createdOn,
		UpdatedOn: now, DeadLine: fl.deadline, FlowCallbackStatus: int64(statusCode(status)), Operate: operate,
	}
	refused := false
	for _, a := range fl.approvers {
		switch {
		case a.status != "PENDING":
		case status == "ALL":
			a.status, a.signTime = "ACCEPT", now
		case !refused: // one signer refuses; the others stay pending
			a.status, a.signTime, refused = "REJECT", now, true
		}
		data.ProxyOrganizationOpenID = a.orgOpenID
		data.Approvers = append(data.Approvers, essbasic.CallbackApprover{RecipientID: a.recipientID,
			ApproverName: a.name, ApproverMobile: a.mobile, OrganizationName: a.orgName, Required: true,
			ApproveCallbackStatus: approveStatus(a.status, approve), ApproveMessage: reason, ApproveTime: a.signTime})
	}
	return data
}

// approveStatus is an approver's ApproveCallbackStatus: 3 signed, 4
// refused, 2 still pending.
func approveStatus(status string, final int64) int64 {
	switch status {
	case "ACCEPT":
		return 3
	case "REJECT":
		return final
	}
	return 2
}

// PostCallback sends one message of msgType with msgData (marshalled to
// JSON) to the callback URL, as the platform does: the V2 envelope
// {MsgId, MsgType, MsgVersion "ThirdPartyApp", MsgData}, encrypted when a
// key is set, with Content-Signature when a token is set. It returns the
// receiver's HTTP status and (at most 64 KiB of) its body, whatever the
// status; err says the message could not be sent or no answer came.
func (s *Server) PostCallback(ctx context.Context, msgType string, msgData any) (status int, body []byte, err error) {
	s.mu.Lock()
	cb := s.cb
	s.seq++
	msgID := "msg" + strconv.Itoa(s.seq) + s.newID("")[:16]
	s.mu.Unlock()
	if cb.url == "" {
		return 0, nil, ErrNoCallback
	}
	data, err := json.Marshal(msgData)
	if err != nil {
		return 0, nil, fmt.Errorf("essbasictest: callback MsgData: %w", err)
	}
	msg, err := json.Marshal(map[string]any{"MsgId": msgID, "MsgType": msgType, "MsgVersion": "ThirdPartyApp",
		"MsgData": json.RawMessage(data)})
	if err != nil {
		return 0, nil, err
	}
	if cb.key != "" {
		if msg, err = essbasic.EncryptCallback(cb.key, msg); err != nil {
			return 0, nil, err
		}
	}
	d := &delivery{url: cb.url, body: msg}
	if cb.token != "" {
		d.signature = essbasic.CallbackSignature(cb.token, msg)
	}
	s.mu.Lock()
	s.last = d
	s.mu.Unlock()
	return d.send(ctx)
}

// Redeliver sends the last callback again, byte for byte, as the platform
// does when it got no 200 (or when it simply delivers twice). Results as
// PostCallback; ErrNoCallback when nothing was sent yet.
func (s *Server) Redeliver(ctx context.Context) (status int, body []byte, err error) {
	s.mu.Lock()
	d := s.last
	s.mu.Unlock()
	if d == nil {
		return 0, nil, ErrNoCallback
	}
	return d.send(ctx)
}

func (d *delivery) send(ctx context.Context) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.url, bytes.NewReader(d.body))
	if err != nil {
		return 0, nil, fmt.Errorf("essbasictest: callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if d.signature != "" {
		req.Header.Set("Content-Signature", d.signature)
	}
	resp, err := callbackClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("essbasictest: callback not delivered: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, fmt.Errorf("essbasictest: callback answer: %w", err)
	}
	return resp.StatusCode, answer, nil
}
