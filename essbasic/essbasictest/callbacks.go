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

// ErrNoCallback is returned when a callback should be sent but SetCallback
// was never called.
var ErrNoCallback = errors.New("essbasictest: no callback URL set")

// CompleteFlow signs the flow for every pending signer (status ALL, 签署完成)
// and POSTs the FlowStatusChange callback (FlowCallbackStatus 4, Operate
// "finish"). It returns an error if the flow is unknown or already ended,
// or if the callback receiver does not answer 200.
func (s *Server) CompleteFlow(ctx context.Context, flowID string) error {
	return s.endFlow(ctx, flowID, "ALL", "finish", "", 3)
}

// RejectFlow makes the flow's first pending signer refuse it (status
// REJECT, 拒签) with reason and POSTs the FlowStatusChange callback
// (FlowCallbackStatus 3, Operate "reject").
func (s *Server) RejectFlow(ctx context.Context, flowID, reason string) error {
	return s.endFlow(ctx, flowID, "REJECT", "reject", reason, 4)
}

// endFlow moves a running flow to a final status and reports it.
func (s *Server) endFlow(ctx context.Context, flowID, status, operate, reason string, approve int64) error {
	s.mu.Lock()
	fl := s.flows[flowID]
	if fl == nil {
		s.mu.Unlock()
		return fmt.Errorf("essbasictest: flow %s not found", flowID)
	}
	if fl.status != "INIT" && fl.status != "PART" {
		s.mu.Unlock()
		return fmt.Errorf("essbasictest: flow %s is %s", flowID, fl.status)
	}
	now := s.now().Unix()
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
	s.mu.Unlock()
	return s.PostCallback(ctx, essbasic.MsgTypeFlowStatusChange, data)
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
// key is set, with Content-Signature when a token is set. Any answer but
// 200 is an error.
func (s *Server) PostCallback(ctx context.Context, msgType string, msgData any) error {
	s.mu.Lock()
	cb := s.cb
	s.seq++
	msgID := "msg" + strconv.Itoa(s.seq) + s.newID("")[:16]
	s.mu.Unlock()
	if cb.url == "" {
		return ErrNoCallback
	}
	data, err := json.Marshal(msgData)
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"MsgId": msgID, "MsgType": msgType, "MsgVersion": "ThirdPartyApp",
		"MsgData": json.RawMessage(data)})
	if err != nil {
		return err
	}
	if cb.key != "" {
		if body, err = essbasic.EncryptCallback(cb.key, body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cb.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if cb.token != "" {
		req.Header.Set("Content-Signature", essbasic.CallbackSignature(cb.token, body))
	}
	resp, err := callbackClient.Do(req)
	if err != nil {
		return fmt.Errorf("essbasictest: callback: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("essbasictest: callback answered HTTP %d", resp.StatusCode)
	}
	return nil
}
