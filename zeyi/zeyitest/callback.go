package zeyitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/hetong-go/hetong/zeyi"
)

// CallbackOption configures where and how callbacks are posted.
type CallbackOption func(*callbackTarget)

// CallbackCredentials replaces the CallbackAppKey/CallbackAppSecret pair
// callbacks are signed with.
func CallbackCredentials(appKey, appSecret string) CallbackOption {
	return func(t *callbackTarget) { t.appKey, t.appSecret = appKey, appSecret }
}

// CallbackBearer replaces CallbackToken; "" sends no Authorization header.
func CallbackBearer(token string) CallbackOption { return func(t *callbackTarget) { t.token = token } }

// CallbackHTTPClient posts callbacks with hc (default: a client with a 30 s timeout).
func CallbackHTTPClient(hc *http.Client) CallbackOption { return func(t *callbackTarget) { t.hc = hc } }

type callbackTarget struct {
	url, appKey, appSecret, token string
	hc                            *http.Client
}

// SetCallback makes Approve, Refuse and Terminate post results to url
// (the integrator's callback URL, 金润提供).
func (s *Server) SetCallback(url string, opts ...CallbackOption) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cb.url = url
	for _, o := range opts {
		o(&s.cb)
	}
}

// CallbackConfig returns the zeyi.CallbackConfig that accepts the fake's
// callbacks, for zeyi.ParseCallback and zeyi.NewCallbackHandler.
func (s *Server) CallbackConfig() zeyi.CallbackConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return zeyi.CallbackConfig{AppKey: s.cb.appKey, AppSecret: s.cb.appSecret, BearerToken: s.cb.token}
}

// callbackBody is the documented callback body plus auditId.
type callbackBody struct {
	Code       string `json:"code"`
	AuditType  string `json:"auditType"`
	BusinessID string `json:"businessId"`
	Type       string `json:"type"`
	Result     string `json:"result,omitempty"`
	AuditUser  string `json:"auditUser"`
	Remark     string `json:"remark"`
	AuditID    string `json:"auditId"`
}

// post sends one signed callback and checks for the success envelope.
func (s *Server) post(t callbackTarget, ev callbackBody) error {
	if t.url == "" {
		return nil // no callback configured: the state change is all
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("zeyitest: callback URL: %w", err)
	}
	req.Header.Set("Content-Type", zeyi.ContentType)
	if err := zeyi.SetSignatureHeaders(req.Header, t.appKey, t.appSecret, s.now(), body); err != nil {
		return err
	}
	if t.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := t.hc.Do(req)
	if err != nil {
		return fmt.Errorf("zeyitest: callback: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var env struct {
		Success bool `json:"success"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(answer, &env) != nil || !env.Success {
		return fmt.Errorf("zeyitest: callback answered HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(answer))
	}
	return nil
}
