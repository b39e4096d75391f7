// Package zeyitest is an in-process fake of 则一's approval gateway for
// tests and examples. It checks the appKey/timestamp/nonce/sign headers the
// way the gateway does, keeps approvals with the documented rule "at most
// one approved or in-progress approval per code", supports cancel, and lets
// a test approve, refuse or terminate an approval, which posts the signed
// result callback to the URL given to [Server.SetCallback].
//
// Typical use:
//
//	fake := zeyitest.NewServer()
//	defer fake.Close()
//	c := fake.Client() // or zeyi.NewClient(fake.Config(), fake.Options()...)
//	cb := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(), handle))
//	fake.SetCallback(cb.URL)
//	c.SendAudit(ctx, &zeyi.SendAuditRequest{Code: "C1", ...})
//	status, body, err := fake.Approve(ctx, "C1") // handle has run when Approve returns
//
// [Server.FailNext] makes the next request fail the way a real gateway or
// its proxies do: an HTTP status and body, an error code in the gateway's
// envelope, a connection reset, or a delay.
//
// The gateway's error codes are undocumented; the fake answers with the
// real envelope shape and its own codes (CodeXxx constants).
package zeyitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/fakekit"
	"github.com/hetong-go/hetong/zeyi"
)

// Test credentials. AppKey/AppSecret are what 则一 issues to the
// integrator; the Callback ones are what the integrator issues to 则一 to
// sign result callbacks.
const (
	AppKey            = "testappkey000000000000000000000a"
	AppSecret         = "testappsecret000000000000000000b"
	CallbackAppKey    = "testcallbackkey0000000000000000c"
	CallbackAppSecret = "testcallbacksecret00000000000000d"
	CallbackToken     = "test-callback-token"
)

// Error codes of the fake (the real gateway's codes are undocumented).
const (
	CodeMissingHeader = "HEADER_MISSING"    // a signature header is absent
	CodeBadAppKey     = "APPKEY_INVALID"    // unknown appKey
	CodeBadTimestamp  = "TIMESTAMP_INVALID" // not ms digits, or outside MaxSkew
	CodeBadNonce      = "NONCE_INVALID"     // not 6 letters/digits, or reused
	CodeBadSign       = "SIGN_INVALID"      // signature mismatch
	CodeBadRequest    = "PARAM_INVALID"     // missing field, bad JSON (business error)
	CodeAuditExists   = "AUDIT_EXISTS"      // code has an approved or running approval
	CodeAuditNotFound = "AUDIT_NOT_FOUND"   // nothing to cancel/approve
)

// DefaultMaxSkew is how far a request timestamp may be from the fake's
// clock (the real window is undocumented).
const DefaultMaxSkew = 5 * time.Minute

// Option configures a Server.
type Option func(*Server)

// WithClock sets the fake's clock for the timestamp check.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithMaxSkew sets the allowed timestamp distance; 0 turns the check off.
func WithMaxSkew(d time.Duration) Option { return func(s *Server) { s.maxSkew = d } }

// WithCredentials replaces the AppKey/AppSecret pair the fake accepts.
func WithCredentials(appKey, appSecret string) Option {
	return func(s *Server) { s.appKey, s.appSecret = appKey, appSecret }
}

// Server is the fake gateway. It is safe for concurrent use.
type Server struct {
	// URL is the base URL to pass to zeyi.WithBaseURL; it includes the
	// /tms-service-api prefix.
	URL string

	srv               *httptest.Server
	appKey, appSecret string
	now               func() time.Time
	maxSkew           time.Duration
	mu                sync.Mutex
	approvals         []*Approval // in order of creation
	nonces            map[string]time.Time
	requests          map[string]int
	cb                callbackTarget
	seq               int
	faults            fakekit.Faults
}

// NewServer starts a fake gateway; Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{appKey: AppKey, appSecret: AppSecret, now: time.Now, maxSkew: DefaultMaxSkew,
		nonces: map[string]time.Time{}, requests: map[string]int{}}
	for _, o := range opts {
		o(s)
	}
	s.cb = callbackTarget{appKey: CallbackAppKey, appSecret: CallbackAppSecret, token: CallbackToken, hc: &http.Client{Timeout: 30 * time.Second}}
	s.srv = httptest.NewServer(s.faults.Middleware(http.HandlerFunc(s.serve), endpoint, renderFault))
	s.URL = s.srv.URL + "/tms-service-api"
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Config returns a zeyi.Config with the fake's credentials.
func (s *Server) Config() zeyi.Config {
	return zeyi.Config{AppKey: s.appKey, AppSecret: s.appSecret}
}

// Options returns the options that point a client at the fake.
func (s *Server) Options() []zeyi.Option { return []zeyi.Option{zeyi.WithBaseURL(s.URL)} }

// Client returns a zeyi client pointed at the fake, with opts applied
// after [Server.Options]. Should opts be invalid, the client is built
// from Config and Options alone, so Client never fails.
func (s *Server) Client(opts ...zeyi.Option) *zeyi.Client {
	c, err := zeyi.NewClient(s.Config(), append(s.Options(), opts...)...)
	if err != nil {
		c, _ = zeyi.NewClient(s.Config(), s.Options()...)
	}
	return c
}

// Fault is what the next matching request gets instead of the fake's
// normal answer. Set one kind: Status (+Body, ContentType), Code
// (+Message: the gateway's envelope with success=false and that
// errorCode, HTTP 200 unless Status says otherwise) or Reset (the
// connection is dropped); Delay may go with any of them, or alone to slow
// the normal answer down.
type Fault struct {
	// Match limits the fault to one endpoint, e.g. zeyi.PathSendAudit;
	// empty matches every request.
	Match string
	// Times is how many matching requests get the fault (default 1).
	Times int

	Status      int
	Body        string
	ContentType string
	Code        string
	Message     string
	Reset       bool
	Delay       time.Duration
}

// FailNext queues f for the next matching request.
func (s *Server) FailNext(f Fault) {
	s.faults.FailNext(fakekit.Fault{Match: f.Match, Times: f.Times, Status: f.Status, Body: f.Body,
		ContentType: f.ContentType, Code: f.Code, Message: f.Message, Reset: f.Reset, Delay: f.Delay})
}

// endpoint names a request for Fault.Match: the path under the base URL.
func endpoint(r *http.Request) string {
	return strings.TrimPrefix(r.URL.Path, "/tms-service-api/")
}

// renderFault answers a fault's code as the gateway answers a system error.
func renderFault(w http.ResponseWriter, _ *http.Request, f fakekit.Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	code, msg := f.Code, f.Message
	writeJSON(w, status, envelope{ErrorCode: &code, Message: &msg})
}

// Requests returns how many requests reached path ("audit/send"), signed
// or not.
func (s *Server) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// envelope is the gateway's answer shape.
type envelope struct {
	Success           bool    `json:"success"`
	BusinessException bool    `json:"businessException"`
	ErrorCode         *string `json:"errorCode"`
	Message           *string `json:"message"`
	Result            any     `json:"result"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func ok(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, envelope{Success: true, Result: result})
}

// fail answers with success=false; business errors also set
// businessException=true.
func fail(w http.ResponseWriter, business bool, code, msg string) {
	writeJSON(w, http.StatusOK, envelope{BusinessException: business, ErrorCode: &code, Message: &msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path, found := strings.CutPrefix(r.URL.Path, "/tms-service-api/")
	s.mu.Lock()
	s.requests[path]++
	s.mu.Unlock()
	if !found || (path != zeyi.PathSendAudit && path != zeyi.PathCancelAudit) {
		// What a Spring gateway answers for an unknown path: JSON, no envelope.
		writeJSON(w, http.StatusNotFound, map[string]any{"status": 404, "error": "Not Found", "path": r.URL.Path})
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"status": 405, "error": "Method Not Allowed", "path": r.URL.Path})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		fail(w, false, CodeBadRequest, "cannot read body")
		return
	}
	if code, msg := s.authenticate(r.Header, body); code != "" {
		fail(w, false, code, msg)
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		fail(w, true, CodeBadRequest, "Content-Type must be application/json")
		return
	}
	if path == zeyi.PathSendAudit {
		s.send(w, body)
		return
	}
	s.cancel(w, body)
}

// authenticate checks the signature headers; it returns an error code and
// message, or "" when the request is authentic. Header names are matched
// case-insensitively, as servlet containers do.
func (s *Server) authenticate(h http.Header, body []byte) (string, string) {
	key, ts, nonce, sign := h.Get(zeyi.HeaderAppKey), h.Get(zeyi.HeaderTimestamp), h.Get(zeyi.HeaderNonce), h.Get(zeyi.HeaderSign)
	if key == "" || ts == "" || nonce == "" || sign == "" {
		return CodeMissingHeader, "缺少appKey、timestamp、nonce或sign"
	}
	if !callback.Equal(key, s.appKey) {
		return CodeBadAppKey, "appKey无效"
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(ts) != 13 {
		return CodeBadTimestamp, "timestamp必须是13位毫秒时间戳"
	}
	if !validNonce(nonce) {
		return CodeBadNonce, "nonce必须是6位字母数字"
	}
	if !callback.Equal(sign, zeyi.Sign(s.appKey, s.appSecret, ts, nonce, body)) {
		return CodeBadSign, "签名错误"
	}
	now := s.now()
	if err := callback.CheckWindow(time.UnixMilli(ms), now, s.maxSkew); err != nil {
		return CodeBadTimestamp, "timestamp已过期"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.nonces) > 4096 {
		for k, exp := range s.nonces {
			if now.After(exp) {
				delete(s.nonces, k)
			}
		}
	}
	k := ts + ":" + nonce
	if exp, seen := s.nonces[k]; seen && now.Before(exp) {
		return CodeBadNonce, "nonce重复"
	}
	s.nonces[k] = now.Add(2*s.maxSkew + time.Minute)
	return "", ""
}

func validNonce(n string) bool {
	if len(n) != zeyi.NonceLen {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// decode parses a body like a lenient Java gateway: unknown fields ignored.
func decode(w http.ResponseWriter, body []byte, v any) bool {
	if err := json.Unmarshal(body, v); err != nil {
		fail(w, true, CodeBadRequest, fmt.Sprintf("请求数据格式错误: %v", err))
		return false
	}
	return true
}

// jsonNumber writes a decimal string as a bare JSON number.
type jsonNumber string

// MarshalJSON implements json.Marshaler.
func (n jsonNumber) MarshalJSON() ([]byte, error) { return []byte(n), nil }
