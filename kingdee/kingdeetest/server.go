// Package kingdeetest is an in-process fake of a 金蝶云星空 WebAPI site for
// tests and offline examples.
//
// It checks authentication as the real server does — the signed
// X-Api-*/X-Kd-* headers, or a session from ValidateUser, LoginByAppSecret
// or LoginBySign, kept in the kdservice-sessionid cookie — and answers a
// missing or wrong credential with MsgCode 1 (会话信息已丢失). It keeps
// bills per form in memory with their status (Z draft, A created, B
// submitted, C audited, D re-auditing), assigns FID and FBillNo, rejects
// bills that lack a required field with a row error, honours
// NeedUpDateFields, and answers ExecuteBillQuery and BillQuery with real
// filtering (field = 'value' joined by AND; also <>, >, >=, <, <=), ordering
// and paging. Attachments are stored and served in chunks. GetSysReportData
// computes 应付款汇总表 (AP_SumReport) from the audited AP_PAYABLE and
// AP_PAYBILL bills it holds; groups (GroupSave, QueryGroupInfo,
// GroupDelete), flexible-field ids (FlexSave), messages (SendMsg, see
// Messages) and each session's organisation (SwitchOrg) are kept as state;
// Disassembly splits a bill into one bill per entry row. Every login mode
// is answered: LoginBySimplePassport accepts Passport, ValidateUserEnDeCode
// the DES-encoded Username and Password.
//
// Start one and take a client that is ready to call:
//
//	srv := kingdeetest.NewServer()
//	defer srv.Close()
//	c := srv.Client() // signed headers with the fake's credentials
//
// or build your own from Config() and Options() (another login mode, your
// own options). FailNext makes the next matching call fail: an HTTP status,
// a Kingdee MsgCode in the platform's envelope, a connection reset or a delay.
//
// By default a CN_PAYAPPLY bill requires FBILLTYPEID and FDATE (see
// [WithRequired]); other forms require nothing.
package kingdeetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"

	"github.com/hetong-go/hetong/internal/fakekit"
	"github.com/hetong-go/hetong/internal/sign"
	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
)

// Test credentials the fake accepts.
const (
	AcctID    = "hetong-fake-acct"
	Username  = "hetong-api"
	AppID     = "300001_aGV0b25nLWtpbmdkZWUtZmFrZS1rZXkh"
	AppSecret = "fake-app-secret-0123456789abcdef"
	Password  = "fake-password-42"
	// Passport is the content of the fake's integration passport file
	// (集成密钥 .cnf) for LoginBySimplePassport: use []byte(Passport). It
	// logs in as AcctID / Username.
	Passport = "hetong-fake-passport\x00\x01\xfe:" + AcctID + "/" + Username
)

// msgContextLost is the real server's text for MsgCode 1.
const msgContextLost = "会话信息已丢失，请重新登录"

// Option configures the fake.
type Option func(*Server)

// WithRequired sets the fields a new bill of formID must carry (replacing
// the defaults for that form).
func WithRequired(formID string, fields ...string) Option {
	return func(s *Server) { s.required[strings.ToUpper(formID)] = fields }
}

// WithStringTypes makes the fake send IsSuccess, MsgCode, ErrorCode and ids
// as strings, as some server versions and the docs do.
func WithStringTypes() Option { return func(s *Server) { s.stringTypes = true } }

// WithDownloadChunk sets the bytes per AttachmentDownLoad answer.
func WithDownloadChunk(n int) Option { return func(s *Server) { s.downloadChunk = n } }

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the site root to use as Config.BaseURL ("http://127.0.0.1:port/k3cloud/").
	URL string

	srv           *httptest.Server
	faults        fakekit.Faults
	stringTypes   bool
	downloadChunk int

	mu       sync.Mutex
	forms    map[string]*form
	sessions map[string]bool
	calls    map[string]int
	required map[string][]string
	files    map[string]*file
	nextID   int64
	groups   map[string]*groupSet
	flexes   map[string]int64
	messages []Message
	orgs     map[string]bool // organisations SwitchOrg accepts
	switched []string        // SwitchOrg targets, in order
	// sessionOrg is each session's organisation after SwitchOrg.
	sessionOrg map[string]string
}

// NewServer starts a fake.
func NewServer(opts ...Option) *Server {
	s := &Server{
		forms: map[string]*form{}, sessions: map[string]bool{}, calls: map[string]int{},
		required:      map[string][]string{"CN_PAYAPPLY": {"FBILLTYPEID", "FDATE"}},
		files:         map[string]*file{},
		groups:        map[string]*groupSet{},
		flexes:        map[string]int64{},
		orgs:          map[string]bool{"100": true, "200": true},
		sessionOrg:    map[string]string{},
		nextID:        100000,
		downloadChunk: 1 << 20,
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(s.faults.Middleware(s, opName, s.renderFault))
	s.URL = s.srv.URL + "/k3cloud/"
	return s
}

// Close shuts the fake down.
func (s *Server) Close() { s.srv.Close() }

// Calls returns how many requests reached an operation, by its short,
// case-insensitive name ("Save", "BatchSave", "ExecuteBillQuery", "ValidateUser", ...).
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(op)]
}

// ExpireSessions forgets every session, as a server restart would; the
// next call without a valid signature gets MsgCode 1.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// File returns an uploaded attachment's bytes.
func (s *Server) File(fileID string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[fileID]
	if !ok || !f.done {
		return nil, false
	}
	return bytes.Clone(f.data), true
}

// ServeHTTP answers one WebAPI call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const prefix, suffix = "/k3cloud/", ".common.kdsvc"
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, prefix) || !strings.HasSuffix(r.URL.Path, suffix) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<html><body><h1>404 Not Found</h1></body></html>")
		return
	}
	svc := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, prefix), suffix)
	op := strings.ToLower(svc[strings.LastIndexByte(svc, '.')+1:])
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<20))
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[op]++
	switch op {
	case "validateuser", "loginbyappsecret", "loginbysign", "loginbysimplepassport", "validateuserendecode":
		s.login(w, op, body)
		return
	case "getdatacenterlist":
		writeJSON(w, []any{map[string]any{"Id": AcctID, "Number": "HT01", "Name": "hetong 测试账套", "DatabaseType": 3}})
		return
	}
	sid, ok := s.authorize(w, r, op)
	if !ok {
		return
	}
	req, err := parseRequest(body)
	if err != nil {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "", "请求格式错误: "+err.Error(), 0))
		return
	}
	if op == "logout" {
		delete(s.sessions, sid)
		writeJSON(w, true)
		return
	}
	s.dispatch(w, op, sid, req)
}

// WithOrgs sets the organisation numbers SwitchOrg accepts (default "100"
// and "200").
func WithOrgs(numbers ...string) Option {
	return func(s *Server) {
		clear(s.orgs)
		for _, n := range numbers {
			s.orgs[n] = true
		}
	}
}

// authorize accepts a live session (cookie or header) or valid signed
// headers, which open a new session. Anything else is MsgCode 1, except a
// wrong account id, which the real server refuses with a non-200 status.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, op string) (string, bool) {
	sid := r.Header.Get(kdsign.HeaderSessionID)
	if ck, err := r.Cookie("kdservice-sessionid"); err == nil && sid == "" {
		sid = ck.Value
	}
	if s.sessions[sid] {
		return sid, true
	}
	if r.Header.Get(kdsign.HeaderSignature) == "" {
		s.writeStatus(w, op, nil, failure(msgContextLostCode, "", msgContextLost, 0))
		return "", false
	}
	id, ok := appData(r.Header.Get(kdsign.HeaderAppData))
	if ok && id.AcctID != AcctID {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "Fail to verify thirty passport.")
		return "", false
	}
	id.AppID, id.AppSecret = AppID, AppSecret
	signer, err := kdsign.NewSigner(id)
	if !ok || id.Username != Username || err != nil || !signer.Verify(r.Header, r.URL.Path) {
		s.writeStatus(w, op, nil, failure(msgContextLostCode, "", msgContextLost, 0))
		return "", false
	}
	return s.newSession(w), true
}

// appData decodes X-Kd-Appdata: base64("acctId,user,lcid,orgNum").
func appData(h string) (kdsign.Identity, bool) {
	raw, err := decodeB64(h)
	if err != nil {
		return kdsign.Identity{}, false
	}
	parts := strings.Split(string(raw), ",")
	if len(parts) != 4 {
		return kdsign.Identity{}, false
	}
	lcid, ok := toInt(parts[2])
	return kdsign.Identity{AcctID: parts[0], Username: parts[1], LCID: int(lcid), OrgNum: parts[3]}, ok
}

// newSession opens a session and sets its cookies.
func (s *Server) newSession(w http.ResponseWriter) string {
	sid, _ := sign.Nonce(sign.LowerAlnum, 24)
	asp, _ := sign.Nonce(sign.LowerAlnum, 24)
	s.sessions[sid] = true
	http.SetCookie(w, &http.Cookie{Name: "kdservice-sessionid", Value: sid, Path: "/", HttpOnly: true})
	http.SetCookie(w, &http.Cookie{Name: "ASP.NET_SessionId", Value: asp, Path: "/", HttpOnly: true})
	return sid
}

func (s *Server) dispatch(w http.ResponseWriter, op, sid string, req *request) {
	switch op {
	case "save", "batchsave", "draft":
		s.save(w, op, req)
	case "submit", "audit", "unaudit", "delete", "cancelassign":
		s.transition(w, op, req)
	case "view":
		s.view(w, req)
	case "executebillquery", "billquery":
		s.query(w, op, req)
	case "push":
		s.push(w, req)
	case "allocate", "cancelallocate":
		s.allocate(w, op, req)
	case "excuteoperation":
		s.execute(w, req)
	case "workflowaudit":
		s.workflow(w, req)
	case "querybusinessinfo":
		s.businessInfo(w, req)
	case "getsysreportdata":
		s.report(w, req)
	case "groupsave":
		s.groupSave(w, req)
	case "querygroupinfo":
		s.queryGroups(w, req)
	case "groupdelete":
		s.groupDelete(w, req)
	case "flexsave":
		s.flexSave(w, req)
	case "sendmsg":
		s.sendMsg(w, req)
	case "switchorg":
		s.switchOrg(w, sid, req)
	case "disassembly":
		s.disassembly(w, req)
	case "attachmentupload":
		s.upload(w, req)
	case "attachmentdownload":
		s.download(w, req)
	default:
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "response_error:未找到服务 "+op)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b, err := json.Marshal(v)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Write(b)
}

// sortedIDs lists a form's bills in FID order.
func (f *form) sorted() []*bill {
	out := make([]*bill, 0, len(f.byID))
	for _, b := range f.byID {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}
