// Package dingtalktest is an in-process fake of the DingTalk open platform
// for tests and offline examples: both token endpoints with expiring
// tokens, the old (oapi) and new (api) approval endpoints with real cursor
// paging, and encrypted event pushes to a callback URL.
//
// One server answers both hosts' paths; point a client at it with
//
//	dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
//		dingtalk.WithBaseURL(srv.URL), dingtalk.WithNewAPIBaseURL(srv.URL))
//
// It checks credentials and tokens as DingTalk does and answers with
// DingTalk's error shapes: errcode envelopes on the old paths, HTTP 4xx
// {code, message, requestid} on the new ones.
package dingtalktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
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
	faults    map[string][]fault
	files     map[string]*storedFile
}

type fault struct {
	status int
	body   string
}

// New starts a fake; Close it when done.
func New() *Server {
	// The constants are valid (a test checks), so this cannot fail; PostEvent
	// reports a nil crypto rather than New panicking.
	c, _ := dingtalk.NewCrypto(CallbackToken, EncodingAESKey, AppKey)
	s := &Server{crypto: c, now: time.Now, ttl: DefaultTokenTTL, expired: map[string]bool{},
		instances: map[string]*Instance{}, calls: map[string]int{}, faults: map[string][]fault{}, files: map[string]*storedFile{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
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

// FailNext makes the next n requests to path answer with status and body
// (e.g. 200 and {"errcode":-1,"errmsg":"系统繁忙"}) before any other check.
func (s *Server) FailNext(path string, n, status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[path] = append(s.faults[path], fault{status, body})
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls[r.URL.Path]++
	var f *fault
	if q := s.faults[r.URL.Path]; len(q) > 0 {
		f, s.faults[r.URL.Path] = &q[0], q[1:]
	}
	s.mu.Unlock()
	if f != nil {
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(f.body))
		return
	}
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
