// Package qiyuesuotest is an in-process fake of the 契约锁 open platform v2
// for tests and offline examples.
//
// The fake checks the four x-qys-open-* headers exactly as the platform
// does (token, millisecond timestamp within 10 minutes, md5 signature,
// nonce never reused within 10 minutes; the legacy nonce-less signature is
// accepted too), keeps contracts in memory through DRAFT → SIGNING →
// COMPLETE / REJECTED / RECALLED / INVALIDED / FORCE_END, answers with the
// platform's envelopes and error codes, streams real zip archives holding
// PDFs (of any size, generated on the fly), and posts signed, optionally
// encrypted callbacks.
//
// It serves every endpoint of the platform: the ones of the contract
// lifecycle keep state (draft, documents, send, sign, audit, recall and
// void with the invalidation signature, signatories, template parameters,
// seals, subsidiaries, employees, the operation log, downloads); the rest
// check their input and answer with their result shape.
//
//	srv := qiyuesuotest.NewServer()
//	defer srv.Close()
//	c := srv.Client()
package qiyuesuotest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/hetong-go/hetong/internal/fakekit"
	"github.com/hetong-go/hetong/qiyuesuo"
)

// Credentials and names the fake accepts and uses.
const (
	// AppToken is the only App Token the fake accepts.
	AppToken = "qys-fake-app-token-0001"
	// AppSecret is the matching App Secret.
	AppSecret = "qys-fake-app-secret-0001"
	// CallbackSecret is the default callbackSecretKey (16 characters, so
	// it is also a valid AES-128 key).
	CallbackSecret = "fakeCallbackKey1"
	// CompanyName is the app's own company: the sponsor, and the tenant
	// that CompanySign and EmployeeAudit act for.
	CompanyName = "契约锁测试科技有限公司"
	// SubsidiaryName is a subsidiary that has joined the company.
	SubsidiaryName = "契约锁测试科技(北京)有限公司"
	// RegisterNo is the company's registration number.
	RegisterNo = "91310000000000000X"
	// TemplateID is the fake's template (参数: 甲方, 合同金额 required; 签订日期).
	TemplateID = "3900000000000000001"
	// TemplateName is its name and the title of documents made from it.
	TemplateName = "采购合同模板"
	// CategoryID is a business category (业务分类) configured with the
	// template: a draft in it gets the template's document.
	CategoryID = "3700000000000000001"
	// CategoryName is the category's name.
	CategoryName = "采购合同"
	// SealID is the company seal; the fake lists 3 normal seals and a frozen one.
	SealID = "3800000000000000001"
)

// NonceWindow is how long a timestamp stays valid and a nonce stays used.
const NonceWindow = 10 * time.Minute

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to pass to qiyuesuo.WithBaseURL.
	URL string

	srv    *httptest.Server
	hc     *http.Client
	faults fakekit.Faults

	mu                    sync.Mutex
	now                   func() time.Time
	nextID                int64
	contracts             map[string]*contract
	byBiz                 map[string]string
	docs                  map[string]*document
	nonces                map[string]time.Time
	employees             []qiyuesuo.Employee
	seals                 []qiyuesuo.Seal
	subsidiaries, invited []string
	cbURL                 string
	cbSecret              string
	cbEncrypt             bool
	pdfSize               int64
	calls                 map[string]int
	deliveries            []Delivery
}

// Delivery records one callback the fake posted.
type Delivery struct {
	URL          string
	ContractID   string
	CallbackType string
	// Status is the receiver's HTTP status (0 when the POST failed).
	Status int
	// Acked is true when the receiver answered 200 with the body "success".
	Acked bool
	Err   error
}

// NewServer starts a fake. Close it when done.
func NewServer() *Server {
	s := &Server{
		now: time.Now, nextID: 3000000000000000000,
		contracts: map[string]*contract{}, byBiz: map[string]string{}, docs: map[string]*document{},
		nonces: map[string]time.Time{}, calls: map[string]int{}, cbSecret: CallbackSecret,
		hc: &http.Client{Timeout: 10 * time.Second}, subsidiaries: []string{SubsidiaryName},
		seals: []qiyuesuo.Seal{
			{ID: SealID, Name: CompanyName + "公章", SealType: "COMPANY", Status: "NORMAL"},
			{ID: "3800000000000000002", Name: CompanyName + "合同专用章", SealType: "CONTRACT", Status: "NORMAL"},
			{ID: "3800000000000000003", Name: CompanyName + "财务专用章", SealType: "FINANCE", Status: "NORMAL"},
			{ID: "3800000000000000004", Name: CompanyName + "旧章", SealType: "COMPANY", Status: "FREEZE"},
		},
	}
	s.srv = httptest.NewServer(s.withFaults(s.routes()))
	s.URL = s.srv.URL
	return s
}

// Config returns the credentials the fake accepts.
func (s *Server) Config() qiyuesuo.Config {
	return qiyuesuo.Config{AppToken: AppToken, AppSecret: AppSecret}
}

// Options returns the options that point a client at the fake.
func (s *Server) Options() []qiyuesuo.Option {
	return []qiyuesuo.Option{qiyuesuo.WithBaseURL(s.URL)}
}

// Client returns a client of the fake; opts are applied after
// [Server.Options]. Client never panics: when opts are invalid it returns
// the client built from [Server.Config] and [Server.Options] alone (call
// qiyuesuo.NewClient with them yourself to see the option's error).
func (s *Server) Client(opts ...qiyuesuo.Option) *qiyuesuo.Client {
	if c, err := qiyuesuo.NewClient(s.Config(), append(s.Options(), opts...)...); err == nil {
		return c
	}
	c, _ := qiyuesuo.NewClient(s.Config(), s.Options()...)
	return c
}

// Close shuts the fake down.
func (s *Server) Close() { s.srv.Close() }

// SetCallback makes the fake post callbacks to url (unless a draft set its
// own callbackUrl), signed with secret and, when encrypt is set, with the
// content AES-128-ECB encrypted under secret (which must then be 16 bytes).
func (s *Server) SetCallback(url, secret string, encrypt bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cbURL, s.cbSecret, s.cbEncrypt = url, secret, encrypt
}

// SetPDFSize makes every generated contract PDF at least n bytes, so
// downloads of any size can be tested; the bytes are generated while they
// are sent, never held in memory.
func (s *Server) SetPDFSize(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pdfSize = n
}

// SetClock replaces time.Now for timestamp checks and callback timestamps.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Calls returns how many authenticated requests reached path, e.g.
// "/v2/contract/draft" (including ones the fake then refused).
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// Deliveries returns the callbacks posted so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// Contract returns a snapshot of a contract as Detail would return it.
func (s *Server) Contract(id qiyuesuo.ID) (qiyuesuo.Contract, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contracts[string(id)]
	if !ok {
		return qiyuesuo.Contract{}, false
	}
	return c.view(), true
}

// newID returns the next 19-digit id as a string.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// reply writes {"code":0,"message":"SUCCESS","result":...}.
func reply(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"code": 0, "message": "SUCCESS", "result": result})
}

// replyOK writes {"responseCode":"00000000","message":"SUCCESS"}, the
// shape the newer endpoints (employeeaudit) use.
func replyOK(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, map[string]any{"responseCode": qiyuesuo.CodeOK, "message": "SUCCESS"})
}

// apiError is a business error: HTTP 200 with an 8-digit responseCode.
type apiError struct {
	code, msg string
}

func (e *apiError) Error() string { return e.code + " " + e.msg }

func errf(code, msg string) *apiError { return &apiError{code: code, msg: msg} }

func fail(w http.ResponseWriter, e *apiError) {
	writeJSON(w, http.StatusOK, map[string]any{"responseCode": e.code, "message": e.msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
