package qiyuesuotest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/hetong-go/hetong/qiyuesuo"
)

// deliver posts ev as the platform does: a form with signature =
// md5hex(timestamp + secret), the ms timestamp, and content (JSON, or
// base64 AES-128-ECB of it when encryption is on). Receivers must answer
// 200 "success". A nil ev or no configured URL does nothing.
func (s *Server) deliver(ev *event) error {
	if ev == nil {
		return nil
	}
	s.mu.Lock()
	target, secret, encrypt, now := s.cbURL, s.cbSecret, s.cbEncrypt, s.now
	s.mu.Unlock()
	if ev.url != "" {
		target = ev.url
	}
	if target == "" {
		return nil
	}
	d := Delivery{URL: target, ContractID: ev.contractID, CallbackType: ev.callbackType}
	d.Status, d.Acked, d.Err = s.post(target, secret, encrypt, strconv.FormatInt(now().UnixMilli(), 10), ev)
	s.mu.Lock()
	s.deliveries = append(s.deliveries, d)
	s.mu.Unlock()
	if d.Err == nil && !d.Acked {
		d.Err = fmt.Errorf("qiyuesuotest: callback receiver answered HTTP %d without \"success\"", d.Status)
	}
	return d.Err
}

func (s *Server) post(target, secret string, encrypt bool, ts string, ev *event) (int, bool, error) {
	plain, err := json.Marshal(map[string]string{
		"contractId": ev.contractID, "bizId": ev.bizID, "callbackType": ev.callbackType, "contractStatus": ev.status,
		"tenantType": ev.tenantType, "tenantName": ev.tenantName, "contact": ev.contact, "businessData": ev.businessData,
	})
	if err != nil {
		return 0, false, err
	}
	content := string(plain)
	if encrypt {
		if content, err = qiyuesuo.EncryptCallbackContent(plain, qiyuesuo.CallbackConfig{SecretKey: secret}); err != nil {
			return 0, false, err
		}
	}
	form := url.Values{"signature": {qiyuesuo.CallbackSignature(ts, secret)}, "timestamp": {ts}, "content": {content}}
	resp, err := s.hc.PostForm(target, form)
	if err != nil {
		return 0, false, errors.New("qiyuesuotest: callback POST failed: " + err.Error())
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
	return resp.StatusCode, resp.StatusCode == 200 && string(body) == "success", nil
}

// PostCallback posts a callback for a contract now, as the platform would
// on the event callbackType (e.g. to replay a COMPLETE callback).
func (s *Server) PostCallback(id qiyuesuo.ID, callbackType string) error {
	s.mu.Lock()
	c, ok := s.contracts[string(id)]
	if !ok {
		s.mu.Unlock()
		return errNotFound
	}
	ev := s.event(c, callbackType)
	s.mu.Unlock()
	return s.deliver(ev)
}
