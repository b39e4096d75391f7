// Package dingtalktest is an in-process fake of the DingTalk open platform
// for tests and offline examples. It serves every endpoint of the spec, of
// both families: the token endpoints with expiring tokens; instances with
// real cursor paging; tasks that ExecuteProcessInstance and
// TerminateProcessInstance change (either family); comments; attachments
// with downloadable bytes (signed URLs, large files made on the fly); todo
// counts; and, for endpoints without state, a sample answer of the
// endpoint's response shape. It pushes encrypted events to a callback URL.
//
// One server answers both hosts' paths:
//
//	srv := dingtalktest.NewServer()
//	defer srv.Close()
//	c := srv.Client() // or dingtalk.NewClient(srv.Config(), srv.Options()...)
//
// It checks credentials, tokens and required fields as DingTalk does and
// answers with DingTalk's error shapes: errcode envelopes on the old paths,
// HTTP 4xx {code, message, requestid} on the new ones. [Server.FailNext]
// injects faults.
package dingtalktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/internal/fakekit"
	"github.com/hetong-go/hetong/internal/sign"
)

// Test credentials the fake accepts.
const (
	AppKey    = "dingfaketestappkey01"
	AppSecret = "fake-app-secret-Z8Qm3vT1pL6xR0cY"
	CorpID    = "dingfakecorp0000001"
	// CallbackToken and EncodingAESKey are the event subscription's values;
	// the owner key is AppKey.
	CallbackToken  = "fake-callback-token"
	EncodingAESKey = "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus"
)

// DefaultTokenTTL is how long an issued token is valid (7200 s, as DingTalk).
const DefaultTokenTTL = 7200 * time.Second

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of both hosts.
	URL string

	srv    *httptest.Server
	crypto *dingtalk.Crypto

	mu        sync.Mutex
	now       func() time.Time
	ttl       time.Duration
	token     string
	tokenExp  time.Time
	expired   map[string]bool
	fetches   int
	instances map[string]*Instance
	order     []string
	seq       int
	calls     map[string]int
	files     map[string]*storedFile
	faults    fakekit.Faults
}

// NewServer starts a fake; Close it when done.
func NewServer() *Server {
	// The constants are valid (a test checks), so this cannot fail; PostEvent
	// reports a nil crypto rather than NewServer panicking.
	c, _ := dingtalk.NewCrypto(CallbackToken, EncodingAESKey, AppKey)
	s := &Server{crypto: c, now: time.Now, ttl: DefaultTokenTTL, expired: map[string]bool{},
		instances: map[string]*Instance{}, calls: map[string]int{}, files: map[string]*storedFile{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.count(s.faults.Middleware(http.HandlerFunc(s.serve), endpointName, renderFault))))
	s.URL = s.srv.URL
	return s
}

// Config returns the credentials the fake accepts.
func (s *Server) Config() dingtalk.Config {
	return dingtalk.Config{AppKey: AppKey, AppSecret: AppSecret}
}

// Options point a client at the fake (both hosts) and make its retries
// quick.
func (s *Server) Options() []dingtalk.Option {
	return []dingtalk.Option{dingtalk.WithBaseURL(s.URL), dingtalk.WithNewAPIBaseURL(s.URL),
		dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})}
}

// Client returns a client of the fake built from Config and Options, then
// opts. It never panics: when opts are invalid, they are left out and the
// client is built from Config and Options alone.
func (s *Server) Client(opts ...dingtalk.Option) *dingtalk.Client {
	if c, err := dingtalk.NewClient(s.Config(), append(s.Options(), opts...)...); err == nil {
		return c
	}
	c, _ := dingtalk.NewClient(s.Config(), s.Options()...) // valid by construction (a test checks)
	return c
}

// Fault is what FailNext makes the fake answer instead of the next
// matching request: an HTTP Status with Body (and ContentType), a DingTalk
// error Code with Message in the family's own shape (oapi: errcode
// envelope at HTTP 200, Code being the errcode; api: HTTP Status, default
// 400, with {code, message, requestid}), a connection Reset, and/or a
// Delay first.
type Fault struct {
	// Match is the endpoint's action name (e.g. "GetProcessInstance") or
	// its path; empty matches any request.
	Match string
	// Times repeats the fault for that many requests (default 1).
	Times int

	Status      int
	Body        string
	ContentType string
	Code        string
	Message     string
	Reset       bool
	Delay       time.Duration
}

// FailNext queues f for the next request(s) it matches, before any check.
func (s *Server) FailNext(f Fault) {
	s.faults.FailNext(fakekit.Fault{Match: f.Match, Times: f.Times, Status: f.Status, Body: f.Body, ContentType: f.ContentType,
		Code: f.Code, Message: f.Message, Reset: f.Reset, Delay: f.Delay})
}

// endpointName names a request by its endpoint, for Fault.Match.
func endpointName(r *http.Request) string {
	if rt, _ := match(r.Method, r.URL.Path); rt != nil {
		return rt.name
	}
	return ""
}

// renderFault writes a Fault's Code in the family's error shape.
func renderFault(w http.ResponseWriter, r *http.Request, f fakekit.Fault) {
	if strings.HasPrefix(r.URL.Path, "/v1.0/") {
		status := f.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		newErr(w, status, f.Code, f.Message)
		return
	}
	code, err := strconv.Atoi(f.Code)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"errcode": 88, "sub_code": f.Code, "sub_msg": f.Message, "errmsg": f.Message, "request_id": requestID()})
		return
	}
	oldErr(w, code, f.Message)
}

// count records every request by path, faults and rejections included.
func (s *Server) count(next http.Handler) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[r.URL.Path]++
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	}
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// SetClock replaces the fake's clock (token expiry, instance times).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetTokenTTL changes the lifetime of tokens issued from now on.
func (s *Server) SetTokenTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ttl = d
}

// ExpireTokens makes every issued token stale: the next call with one is
// rejected (oapi errcode 40014, api 400 InvalidAuthentication).
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" {
		s.expired[s.token] = true
	}
	s.token = ""
}

// TokenFetches counts the requests to both token endpoints.
func (s *Server) TokenFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches
}

// Calls counts the requests that reached path (e.g.
// "/topapi/processinstance/create"), including rejected ones.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.serveStream(w, r) {
		return
	}
	if strings.HasPrefix(r.URL.Path, "/files/") {
		s.serveFile(w, r)
		return
	}
	if rt, vars := match(r.Method, r.URL.Path); rt != nil {
		s.serveRoute(w, r, rt, vars)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/v1.0/") {
		newErr(w, http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
		return
	}
	oldErr(w, 22, "Invalid method")
}

// issue returns the current token, minting one when there is none or it
// expired; asking again while it is valid extends its life, as DingTalk does.
func (s *Server) issue() (string, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fetches++
	now := s.now()
	if s.token == "" || !now.Before(s.tokenExp) {
		if s.token != "" {
			s.expired[s.token] = true
		}
		t, _ := sign.Nonce(sign.Hex, 32)
		s.token = t
	}
	s.tokenExp = now.Add(s.ttl)
	return s.token, int64(s.ttl / time.Second)
}

func (s *Server) getToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.Method != http.MethodGet {
		oldErr(w, 22, "Invalid method")
		return
	}
	if q.Get("appkey") != AppKey || q.Get("appsecret") != AppSecret {
		s.mu.Lock()
		s.fetches++
		s.mu.Unlock()
		oldErr(w, 40096, "不合法的appKey或appSecret")
		return
	}
	tok, ttl := s.issue()
	writeJSON(w, http.StatusOK, map[string]any{"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": ttl})
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	var in struct{ AppKey, AppSecret string }
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil {
		newErr(w, http.StatusBadRequest, "MissingParameter", "缺少参数")
		return
	}
	if in.AppKey != AppKey || in.AppSecret != AppSecret {
		s.mu.Lock()
		s.fetches++
		s.mu.Unlock()
		newErr(w, http.StatusBadRequest, "invalidClientIdOrSecret", "无效的clientId或者clientSecret")
		return
	}
	tok, ttl := s.issue()
	writeJSON(w, http.StatusOK, map[string]any{"accessToken": tok, "expireIn": ttl})
}

// tokenState says whether tok is valid, stale or unknown.
func (s *Server) tokenState(tok string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case tok == "":
		return "missing"
	case tok == s.token && s.now().Before(s.tokenExp):
		return "ok"
	case tok == s.token || s.expired[tok]:
		return "stale"
	}
	return "unknown"
}

func (s *Server) oldAuth(w http.ResponseWriter, r *http.Request, next func(http.ResponseWriter, *http.Request)) {
	switch s.tokenState(r.URL.Query().Get("access_token")) {
	case "ok":
		if r.Method != http.MethodPost {
			oldErr(w, 22, "Invalid method")
			return
		}
		next(w, r)
	case "missing":
		writeJSON(w, http.StatusOK, map[string]any{"errcode": 88, "sub_code": "40000", "sub_msg": "access_token is blank",
			"errmsg": "ding talk error[subcode=40000,submsg=access_token is blank]", "request_id": requestID()})
	case "stale":
		oldErr(w, 40014, "不合法的access_token")
	default:
		writeJSON(w, http.StatusOK, map[string]any{"errcode": 88, "sub_code": "40014", "sub_msg": "不合法的access_token",
			"errmsg": "ding talk error[subcode=40014,submsg=不合法的access_token]", "request_id": requestID()})
	}
}

func (s *Server) newAuth(w http.ResponseWriter, r *http.Request, next func(http.ResponseWriter, *http.Request)) {
	switch s.tokenState(r.Header.Get("x-acs-dingtalk-access-token")) {
	case "ok":
		next(w, r)
	case "missing":
		newErr(w, http.StatusBadRequest, "AuthenticationFailed.MissingParameter", "缺少参数：x-acs-dingtalk-access-token")
	default:
		newErr(w, http.StatusBadRequest, "InvalidAuthentication", "不合法的access_token")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oldErr(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, http.StatusOK, map[string]any{"errcode": code, "errmsg": msg, "request_id": requestID()})
}

func newErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg, "requestid": requestID()})
}

func requestID() string {
	id, _ := sign.Nonce(sign.LowerAlnum, 12)
	return id
}

// nextID mints an instance ID shaped like DingTalk's.
func (s *Server) nextID() string {
	s.seq++
	r, _ := sign.Nonce(sign.Alnum, 10)
	return fmt.Sprintf("%s%06d", r, s.seq)
}
