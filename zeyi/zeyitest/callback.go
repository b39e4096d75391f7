package zeyitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

// ErrNoCallbackURL is returned by the delivery helpers when no callback
// URL was set with [Server.SetCallback]: the approval's state changed, but
// nothing was posted.
var ErrNoCallbackURL = errors.New("zeyitest: no callback URL set (SetCallback); nothing was posted")

// post sends one signed callback and returns the receiver's status and
// (bounded) body.
func (s *Server) post(ctx context.Context, t callbackTarget, ev callbackBody) (int, []byte, error) {
	if t.url == "" {
		return 0, nil, ErrNoCallbackURL
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("zeyitest: callback URL: %w", err)
	}
	req.Header.Set("Content-Type", zeyi.ContentType)
	if err := zeyi.SetSignatureHeaders(req.Header, t.appKey, t.appSecret, s.now(), body); err != nil {
		return 0, nil, err
	}
	if t.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := t.hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("zeyitest: callback: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, bytes.TrimSpace(answer), err
}

// Acknowledged reports whether a callback answer is the one 则一 expects:
// HTTP 200 with the success envelope.
func Acknowledged(status int, body []byte) bool {
	var env struct {
		Success bool `json:"success"`
	}
	return status == http.StatusOK && json.Unmarshal(body, &env) == nil && env.Success
}
