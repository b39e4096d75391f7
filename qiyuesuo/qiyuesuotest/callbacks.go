package qiyuesuotest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/qiyuesuo"
)

// ErrNoCallbackURL is returned by the delivery helpers when neither
// [Server.SetCallback] nor the contract's callbackUrl names a receiver.
var ErrNoCallbackURL = errors.New("qiyuesuotest: no callback URL configured")

// deliver posts ev after an API call, as the platform does; a missing
// receiver is not an error there (the platform sends nothing).
func (s *Server) deliver(ev *event) error {
	if ev == nil {
		return nil
	}
	_, _, err := s.deliverNow(context.Background(), ev)
	if errors.Is(err, ErrNoCallbackURL) {
		return nil
	}
	return err
}

// deliverNow posts ev as the platform does: a form with signature =
// md5hex(timestamp + secret), the ms timestamp, and content (JSON, or
// base64 AES-128-ECB of it when encryption is on). Receivers must answer
// 200 "success". It returns the receiver's status and (bounded) body.
func (s *Server) deliverNow(ctx context.Context, ev *event) (int, []byte, error) {
	s.mu.Lock()
	target, secret, encrypt, now := s.cbURL, s.cbSecret, s.cbEncrypt, s.now
	s.mu.Unlock()
	if ev.url != "" {
		target = ev.url
	}
	if target == "" {
		return 0, nil, ErrNoCallbackURL
	}
	d := Delivery{URL: target, ContractID: ev.contractID, CallbackType: ev.callbackType}
	status, body, err := s.post(ctx, target, secret, encrypt, strconv.FormatInt(now().UnixMilli(), 10), ev)
	d.Status, d.Acked, d.Err = status, err == nil && status == http.StatusOK && string(body) == "success", err
	s.mu.Lock()
	s.deliveries = append(s.deliveries, d)
	s.mu.Unlock()
	return status, body, err
}

func (s *Server) post(ctx context.Context, target, secret string, encrypt bool, ts string, ev *event) (int, []byte, error) {
	plain, err := json.Marshal(map[string]string{
		"contractId": ev.contractID, "bizId": ev.bizID, "callbackType": ev.callbackType, "contractStatus": ev.status,
		"tenantType": ev.tenantType, "tenantName": ev.tenantName, "contact": ev.contact, "businessData": ev.businessData,
	})
	if err != nil {
		return 0, nil, err
	}
	content := string(plain)
	if encrypt {
		if content, err = qiyuesuo.EncryptCallbackContent(plain, qiyuesuo.CallbackConfig{SecretKey: secret}); err != nil {
			return 0, nil, err
		}
	}
	form := url.Values{"signature": {qiyuesuo.CallbackSignature(ts, secret)}, "timestamp": {ts}, "content": {content}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.hc.Do(req)
	if err != nil {
		return 0, nil, errors.New("qiyuesuotest: callback POST failed: " + err.Error())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, bytes.TrimSpace(body), err
}

// PostCallback posts a callback for a contract now, as the platform would
// on the event callbackType (e.g. to replay a COMPLETE callback). It
// returns the receiver's status and body; with no receiver configured it
// fails with [ErrNoCallbackURL].
func (s *Server) PostCallback(ctx context.Context, id qiyuesuo.ID, callbackType string) (int, []byte, error) {
	s.mu.Lock()
	c, ok := s.contracts[string(id)]
	if !ok {
		s.mu.Unlock()
		return 0, nil, errNotFound
	}
	ev := s.event(c, callbackType)
	s.mu.Unlock()
	return s.deliverNow(ctx, ev)
}

// SignAll makes every remaining signatory sign a SIGNING contract, as if
// all of them had signed on their phones; the contract becomes COMPLETE and
// the COMPLETE callback is posted. It returns the receiver's status and
// body; with no receiver configured the contract is still completed and
// the error is [ErrNoCallbackURL].
func (s *Server) SignAll(ctx context.Context, id qiyuesuo.ID) (int, []byte, error) {
	s.mu.Lock()
	c, ok := s.contracts[string(id)]
	if !ok {
		s.mu.Unlock()
		return 0, nil, errNotFound
	}
	if c.c.Status != qiyuesuo.StatusSigning {
		s.mu.Unlock()
		return 0, nil, errStatus
	}
	var ev *event
	for i := range c.c.Signatories {
		sg := &c.c.Signatories[i]
		for k := range sg.Actions {
			sg.Actions[k].Status = "FINISH"
		}
		ev = s.afterAction(c, sg)
	}
	s.record(c, "SIGN", "全部签署")
	s.mu.Unlock()
	return s.deliverNow(ctx, ev)
}
