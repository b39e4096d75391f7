package dingtalktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hetong-go/hetong/dingtalk"
)

// CallbackConfig returns the config a callback endpoint needs to accept
// the fake's pushes.
func CallbackConfig() dingtalk.CallbackConfig {
	return dingtalk.CallbackConfig{Token: CallbackToken, EncodingAESKey: EncodingAESKey, OwnerKey: AppKey}
}

// PostEvent encrypts event (marshalled to JSON), signs it and POSTs it to
// target as DingTalk does: body {"encrypt":…}, query msg_signature,
// timestamp (ms) and nonce. It returns an error unless the endpoint
// answered 200 with a correctly signed, encrypted "success".
func (s *Server) PostEvent(ctx context.Context, target string, event any) error {
	if s.crypto == nil {
		return errors.New("dingtalktest: callback crypto unavailable")
	}
	msg, err := json.Marshal(event)
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(s.clock().UnixMilli(), 10)
	em, err := s.crypto.Encrypt(msg, ts, "")
	if err != nil {
		return err
	}
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("msg_signature", em.MsgSignature)
	q.Set("timestamp", em.TimeStamp)
	q.Set("nonce", em.Nonce)
	u.RawQuery = q.Encode()
	body, _ := json.Marshal(map[string]string{"encrypt": em.Encrypt})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("dingtalktest: callback answered HTTP %d: %.200s", resp.StatusCode, b)
	}
	var reply dingtalk.EncryptedMessage
	if err := json.Unmarshal(b, &reply); err != nil {
		return fmt.Errorf("dingtalktest: callback reply is not JSON: %.200s", b)
	}
	got, err := s.crypto.Decrypt(reply.MsgSignature, reply.TimeStamp, reply.Nonce, reply.Encrypt)
	if err != nil {
		return fmt.Errorf("dingtalktest: callback reply: %w", err)
	}
	if string(got) != "success" {
		return fmt.Errorf("dingtalktest: callback reply decrypts to %q, want \"success\"", got)
	}
	return nil
}

// CheckURL posts the check_url event DingTalk sends when the URL is saved.
func (s *Server) CheckURL(ctx context.Context, target string) error {
	return s.PostEvent(ctx, target, map[string]string{"EventType": dingtalk.EventCheckURL})
}

// InstanceEvent builds the bpms_instance_change payload for a stored
// instance: typ is "start", "finish" or "terminate".
func (s *Server) InstanceEvent(id, typ string) (map[string]any, error) {
	inst, ok := s.Instance(id)
	if !ok {
		return nil, fmt.Errorf("dingtalktest: no instance %q", id)
	}
	ev := map[string]any{
		"EventType": dingtalk.EventInstanceChange, "processInstanceId": inst.ID, "corpId": CorpID,
		"createTime": inst.CreateTime.UnixMilli(), "title": inst.Title, "type": typ, "staffId": inst.OriginatorUserID,
		"url":         "https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?procInstId=" + inst.ID,
		"processCode": inst.ProcessCode, "businessId": inst.BusinessID, "bizCategoryId": "",
	}
	if typ == "finish" {
		ev["finishTime"], ev["result"] = inst.FinishTime.UnixMilli(), inst.Result
	}
	return ev, nil
}
