// Package essbasictest is an in-process fake of 腾讯电子签 渠道版 (essbasic)
// for tests and examples. It verifies TC3-HMAC-SHA256 signatures exactly
// as the platform does, answers in the platform's envelope and error
// shapes, keeps files and flows in memory, serves the downloads it links
// to, and POSTs (encrypted, signed) callbacks to a URL you set.
//
// It serves UploadFiles on a separate file host (FileURL), as the real
// platform does; [Server.Options] points a client at both hosts.
//
// Actions served: UploadFiles, ChannelCreateFlowByFiles,
// CreateFlowsByTemplates (known template: TemplateID), DescribeFlowDetailInfo,
// DescribeResourceUrlsByFlows (per-flow ErrorMessages for unknown flows),
// ChannelCancelFlow and CreateSignUrls. Others answer InvalidAction.
//
// Nobody signs in a fake: [Server.CompleteFlow] and [Server.RejectFlow] end
// a flow and send its FlowStatusChange callback; [Server.PostCallback] sends
// any other message and [Server.Redeliver] sends the last one again, as the
// platform does. Each returns the receiver's HTTP status and body.
// [Server.FailNext] injects the SDK's shared faults (an HTTP status and
// body, a platform error code in Tencent's envelope, a connection reset, a
// delay).
//
//	srv := essbasictest.NewServer()
//	defer srv.Close()
//	c := srv.Client() // credentials, Agent and both hosts of the fake
//	srv.SetCallback(hookURL, essbasictest.CallbackKey, essbasictest.CallbackToken)
package essbasictest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/fakekit"
)

// Test credentials the fake accepts. They are not secret.
const (
	SecretID       = "AKIDessbasictest0000000000000000FAKE"
	SecretKey      = "essbasictest-secret-key-00000FAKE"
	AppID          = "yDfakeAppId0essbasictest00000000"
	OrgOpenID      = "org_fake"
	OperatorOpenID = "op_fake"
	// TemplateID is the one template CreateFlowsByTemplates knows; its
	// signer role is TemplateRecipientID.
	TemplateID          = "yDfakeTemplate0essbasictest00000"
	TemplateRecipientID = "yDfakeRecipient0essbasictest0000"
	// CallbackKey and CallbackToken are ready-made callback secrets.
	CallbackKey   = "0123456789abcdef0123456789abcdef"
	CallbackToken = "essbasictest-callback-token"
)

// Server is the fake platform. The zero value is not usable; call NewServer.
type Server struct {
	// URL is the API host, FileURL the file host (UploadFiles only).
	URL, FileURL string

	api, file *httptest.Server
	now       func() time.Time
	faults    fakekit.Faults
	apiAction http.Handler // an authenticated action on the API host, faults first
	fileHost  http.Handler // the same on the file host
	download  http.Handler

	mu    sync.Mutex
	files map[string]*storedFile
	flows map[string]*flow
	order []string
	calls map[string]int
	cb    struct{ url, key, token string }
	last  *delivery // the last callback sent, for Redeliver
	seq   int
}

// Fault is what the next matching request gets instead of the fake's
// normal answer (see [Server.FailNext]). Set one kind — Status (with Body
// and ContentType), Code (with Message: the platform's error envelope, HTTP
// 200 unless Status says otherwise) or Reset — and Delay with any of them,
// or alone to slow the normal answer down.
type Fault struct {
	// Match limits the fault to one action (X-TC-Action, e.g.
	// "DescribeFlowDetailInfo"), or "Download" for file downloads. Empty
	// matches every request.
	Match string
	// Times is how many matching requests get the fault (default 1).
	Times int
	// Status is the HTTP status to answer with.
	Status int
	// Body and ContentType are the raw answer sent with Status.
	Body        string
	ContentType string
	// Code and Message are rendered as {"Response":{"Error":{"Code":...,
	// "Message":...},"RequestId":...}}, e.g. Code "RequestLimitExceeded".
	Code    string
	Message string
	// Reset closes the connection without an answer (TCP RST).
	Reset bool
	// Delay holds the answer back (or the normal answer, when alone).
	Delay time.Duration
}

type storedFile struct {
	name    string
	content []byte
	hkey    string
}

type apiError struct{ Code, Message string }

// NewServer starts a fake on two loopback listeners. Close it when done.
func NewServer() *Server {
	s := &Server{now: time.Now, files: map[string]*storedFile{}, flows: map[string]*flow{}, calls: map[string]int{}}
	action := func(r *http.Request) string { return r.Header.Get("X-TC-Action") }
	s.apiAction = s.faults.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.dispatch(w, r, false) }), action, renderFault)
	s.fileHost = s.faults.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.dispatch(w, r, true) }), action, renderFault)
	s.download = s.faults.Middleware(http.HandlerFunc(s.serveDownload), func(*http.Request) string { return "Download" }, renderFault)
	s.api = httptest.NewServer(http.HandlerFunc(s.serveAPI))
	s.file = httptest.NewServer(http.HandlerFunc(s.serveFileHost))
	s.URL, s.FileURL = s.api.URL, s.file.URL
	return s
}

// renderFault writes a Fault's Code in the platform's error envelope.
func renderFault(w http.ResponseWriter, _ *http.Request, f fakekit.Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusOK // the platform reports errors with 200
	}
	body := map[string]any{"Error": map[string]string{"Code": f.Code, "Message": f.Message}, "RequestId": requestID()}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"Response": body})
}

// Close stops both listeners.
func (s *Server) Close() {
	s.api.Close()
	s.file.Close()
}

// Config returns a client configuration with the fake's credentials and
// Agent.
func (s *Server) Config() essbasic.Config {
	return essbasic.Config{SecretID: SecretID, SecretKey: SecretKey, Agent: &essbasic.Agent{
		AppId: AppID, ProxyOrganizationOpenId: OrgOpenID, ProxyOperator: &essbasic.UserInfo{OpenId: OperatorOpenID}}}
}

// Options point a client at the fake's API and file hosts.
func (s *Server) Options() []essbasic.Option {
	return []essbasic.Option{essbasic.WithBaseURL(s.URL), essbasic.WithFileBaseURL(s.FileURL)}
}

// Client returns a client for the fake, built from Config and Options with
// opts last. It never panics: when opts are invalid, the client it returns
// fails every call with the error NewClient gave (an *essbasic.Error).
func (s *Server) Client(opts ...essbasic.Option) *essbasic.Client {
	c, err := essbasic.NewClient(s.Config(), append(s.Options(), opts...)...)
	if err == nil {
		return c
	}
	c, _ = essbasic.NewClient(s.Config(), append(s.Options(), essbasic.WithTransport(failing{err}))...)
	return c
}

// failing is the round tripper of a client whose options were invalid.
type failing struct{ err error }

func (f failing) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

// SetClock replaces the fake's clock (signature freshness, timestamps).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetCallback makes the fake POST callbacks to url, encrypted with key
// (32 characters; empty sends plaintext) and signed with token (empty:
// no Content-Signature).
func (s *Server) SetCallback(url, key, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cb.url, s.cb.key, s.cb.token = url, key, token
}

// Calls returns how many signed requests for action reached the fake.
func (s *Server) Calls(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[action]
}

// FailNext queues f: the next request it matches (f.Times requests) gets
// the fault instead of its normal answer. Faults apply to authenticated
// actions (which still count in Calls) and to downloads.
func (s *Server) FailNext(f Fault) {
	s.faults.FailNext(fakekit.Fault{Match: f.Match, Times: f.Times, Status: f.Status, Body: f.Body,
		ContentType: f.ContentType, Code: f.Code, Message: f.Message, Reset: f.Reset, Delay: f.Delay})
}

func (s *Server) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// newID returns a 32-character id with a recognisable prefix.
func (s *Server) newID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return (prefix + hex.EncodeToString(b))[:32]
}

func requestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// writeResponse answers in the platform's envelope; HTTP status is 200
// for errors too.
func writeResponse(w http.ResponseWriter, body map[string]any) {
	body["RequestId"] = requestID()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"Response": body})
}

func writeError(w http.ResponseWriter, e apiError) {
	writeResponse(w, map[string]any{"Error": map[string]string{"Code": e.Code, "Message": e.Message}})
}

func fail(code, message string) *apiError { return &apiError{code, message} }

// serveAPI handles the API host: POST / only.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/file/") {
		s.download.ServeHTTP(w, r)
		return
	}
	s.serveAction(w, r, false)
}

func (s *Server) serveFileHost(w http.ResponseWriter, r *http.Request) { s.serveAction(w, r, true) }

func (s *Server) serveAction(w http.ResponseWriter, r *http.Request, fileHost bool) {
	body, err := callback.ReadBody(r, 100<<20)
	if err != nil {
		writeError(w, apiError{"RequestSizeLimitExceeded", "请求包超过限制大小"})
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		writeError(w, apiError{"UnsupportedProtocol", "仅支持 POST /"})
		return
	}
	if e := s.authenticate(r, body); e != nil {
		writeError(w, *e)
		return
	}
	s.mu.Lock()
	s.calls[r.Header.Get("X-TC-Action")]++
	s.mu.Unlock()
	if fileHost {
		s.fileHost.ServeHTTP(w, r)
	} else {
		s.apiAction.ServeHTTP(w, r)
	}
}

// dispatch runs an authenticated action (after any injected fault).
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, fileHost bool) {
	body, err := io.ReadAll(r.Body) // ReadBody left the checked body readable
	if err != nil {
		writeError(w, apiError{essbasic.CodeInternalError, "读取请求失败"})
		return
	}
	action := r.Header.Get("X-TC-Action")
	h, known := s.handlers()[action]
	switch {
	case !known:
		writeError(w, apiError{essbasic.CodeInvalidAction, "接口不存在: " + action})
		return
	case fileHost != (action == "UploadFiles"):
		writeError(w, apiError{essbasic.CodeUnsupportedOperation, action + " is not served on this host (UploadFiles goes to the file host: use Server.Options, or WithFileBaseURL(FileURL))"})
		return
	}
	out, e := h(body)
	if e != nil {
		writeError(w, *e)
		return
	}
	writeResponse(w, out)
}

// authenticate checks the request exactly as the gateway does: version,
// timestamp freshness (±5 minutes), credential and TC3 signature over the
// received Content-Type, Host and body.
func (s *Server) authenticate(r *http.Request, body []byte) *apiError {
	if v := r.Header.Get("X-TC-Version"); v != essbasic.APIVersion {
		return fail(essbasic.CodeNoSuchVersion, "版本号不存在: "+v)
	}
	auth := r.Header.Get("Authorization")
	id, _, ok := parseCredential(auth)
	if !ok {
		return fail(essbasic.CodeAuthFailureInvalidAuthorization, "Authorization 格式错误")
	}
	if id != SecretID {
		return fail(essbasic.CodeAuthFailureSecretIDNotFound, "SecretId 不存在")
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return fail(essbasic.CodeAuthFailureInvalidAuthorization, "X-TC-Timestamp 无效")
	}
	if d := s.clock().Sub(time.Unix(ts, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fail(essbasic.CodeAuthFailureSignatureExpire, "签名过期")
	}
	want := essbasic.TC3Authorization(SecretID, SecretKey, essbasic.Service, r.Host, r.Header.Get("Content-Type"), ts, body)
	if !callback.Equal(auth, want) {
		return fail(essbasic.CodeAuthFailureSignatureFailure, "签名错误")
	}
	return nil
}

// parseCredential splits "TC3-HMAC-SHA256 Credential=<id>/<date>/essbasic/tc3_request, ...".
func parseCredential(auth string) (id, date string, ok bool) {
	rest, found := strings.CutPrefix(auth, "TC3-HMAC-SHA256 Credential=")
	if !found {
		return "", "", false
	}
	cred, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 4 || parts[2] != "essbasic" || parts[3] != "tc3_request" {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// decode reads a request strictly: unknown fields are UnknownParameter,
// wrong types InvalidParameter, like the platform.
func decode(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if strings.Contains(err.Error(), "unknown field") {
			return fail(essbasic.CodeUnknownParameter, err.Error())
		}
		return fail(essbasic.CodeInvalidParameter, err.Error())
	}
	return nil
}

// parseRequest decodes a request strictly and checks its Agent.
func parseRequest(body []byte, v any) *apiError {
	if e := decode(body, v); e != nil {
		return e
	}
	var a struct{ Agent *essbasic.Agent }
	_ = json.Unmarshal(body, &a) // decoded strictly above
	return checkAgent(a.Agent)
}

// checkAgent enforces what every action needs from the Agent.
func checkAgent(a *essbasic.Agent) *apiError {
	switch {
	case a == nil || a.AppId == "":
		return fail(essbasic.CodeMissingParameter, "缺少 Agent.AppId")
	case a.AppId != AppID:
		return fail(essbasic.CodeResourceNotFoundApplication, "应用号不存在")
	case a.ProxyOrganizationOpenId == "":
		return fail(essbasic.CodeMissingParameterOrgOpenId, "企业OpenId不存在。")
	case a.ProxyOperator == nil || a.ProxyOperator.OpenId == "":
		return fail(essbasic.CodeMissingParameterProxyOperatorOpenId, "ProxyOperatorOpenId不存在。")
	}
	return nil
}

// serveDownload serves the files the fake links to; the hkey must match.
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/file/")
	s.mu.Lock()
	f := s.files[id]
	s.mu.Unlock()
	if f == nil || !callback.Equal(r.URL.Query().Get("hkey"), f.hkey) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, "<Error><Code>AccessDenied</Code></Error>")
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.content)))
	_, _ = w.Write(f.content)
}

// link stores content under a fresh id and returns its download URL.
func (s *Server) link(name string, content []byte) (id, url string) {
	id = s.newID("file")
	f := &storedFile{name: name, content: content, hkey: s.newID("hkey")}
	s.mu.Lock()
	s.files[id] = f
	s.mu.Unlock()
	return id, fmt.Sprintf("%s/file/%s?hkey=%s", s.URL, id, f.hkey)
}
