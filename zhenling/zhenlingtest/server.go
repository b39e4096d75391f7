// Package zhenlingtest is an in-process fake of the Zhenling (甄零) open
// platform, for tests and offline examples. It issues client_credentials
// tokens that expire, checks "Authorization: bearer <token>" on every HITF
// call exactly like the gateway (401 invalid_token otherwise), routes
// POST /api/hitf/v2p/rest/invoke/{invokeCode}?domain={domain} by invoke
// code and domain, answers in the HITF and HZERO envelopes, and keeps
// state: uploaded files, contracts created asynchronously (3.40 returns a
// batch receipt, then the result is POSTed to the callback URL), the
// contract list and detail queries over them, payment plans (6.5, 3.34,
// 6.4) and the invoice applications of 6.7, computed from the contracts'
// payment plans. Paged queries number pages from each operation's
// zhenling.Operation.PageBase (6.7 from 1) and reject a page below it.
// Each operation answers in the result envelope its page shows (6.4 and
// 6.7 errcode/errmsg, the others code/msg); SetEnvelope switches it.
//
// Zhenling has not published the codes of most operations. The fake
// serves them under made-up domains ("ZHENLINGTEST.…"); [Server.Client]
// (or [Server.Options]) configures a client with that table.
package zhenlingtest

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hetong-go/hetong/internal/fakekit"
	"github.com/hetong-go/hetong/internal/sign"
	"github.com/hetong-go/hetong/zhenling"
)

// Test credentials the fake accepts.
const (
	ClientID     = "zhenlingtest-client"
	ClientSecret = "zhenlingtest-secret-6f1c"
)

// DefaultTokenTTL is the expires_in of issued tokens (HZERO's usual 12 h).
const DefaultTokenTTL = 43199 * time.Second

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to pass as zhenling.Config.BaseURL.
	URL string

	srv    *httptest.Server
	ops    map[string]zhenling.Operation // key: invokeCode + " " + domain
	routes map[string]handler            // key: operation name
	wg     sync.WaitGroup
	ctx    context.Context
	stop   context.CancelFunc

	mu           sync.Mutex
	tokenTTL     time.Duration
	tokens       map[string]time.Time
	tokenFetches int
	failTokens   int
	callbackURL  string
	calls        map[string]int
	bodies       map[string][]byte
	files        map[string]*storedFile
	contracts    []*contract
	plans        []*plan
	deliveries   []Delivery
	seq          int
	envelopes    map[string]Envelope
	faults       fakekit.Faults
	callbacks    map[string][]byte // last callback body per batch id
}

// Config is what a client of this fake needs: its URL and the test
// credentials.
func (s *Server) Config() zhenling.Config {
	return zhenling.Config{BaseURL: s.URL, ClientID: ClientID, ClientSecret: ClientSecret}
}

// Options are the options a client of this fake needs: the fake's
// operation table (see [Operations]).
func (s *Server) Options() []zhenling.Option {
	return []zhenling.Option{zhenling.WithOperations(Operations()...)}
}

// Client returns a client of this fake, built from Config and Options
// and then opts. Should opts be invalid, they are left out: the client is
// built from Config and Options alone.
func (s *Server) Client(opts ...zhenling.Option) *zhenling.Client {
	if c, err := zhenling.NewClient(s.Config(), append(s.Options(), opts...)...); err == nil {
		return c
	}
	c, _ := zhenling.NewClient(s.Config(), s.Options()...)
	return c
}

// Fault is what the next matching request gets instead of the fake's
// answer: an HTTP Status (with Body and ContentType), a platform Code
// (with Message, rendered in the HITF envelope of the operation, with
// Status as the HTTP status when set), a connection Reset, and/or a Delay.
type Fault struct {
	// Match names the operation (zhenling.OpContractList, zhenling.OpToken,
	// ...) or the URL path; empty matches every request.
	Match string
	// Times is how many matching requests get the fault (default 1).
	Times       int
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
	s.faults.FailNext(fakekit.Fault{Match: f.Match, Times: f.Times, Status: f.Status, Body: f.Body, ContentType: f.ContentType,
		Code: f.Code, Message: f.Message, Reset: f.Reset, Delay: f.Delay})
}

// opName names the operation a request is for ("" when unknown).
func (s *Server) opName(r *http.Request) string {
	if r.URL.Path == "/oauth/oauth/token" {
		return zhenling.OpToken
	}
	code := strings.TrimPrefix(r.URL.EscapedPath(), "/api/hitf/v2p/rest/invoke/")
	if c, err := url.PathUnescape(code); err == nil {
		code = c
	}
	return s.ops[code+" "+r.URL.Query().Get("domain")].Name
}

// renderFault writes f.Code as the platform does: an OAuth2 error for the
// token endpoint, a HITF business failure otherwise.
func (s *Server) renderFault(w http.ResponseWriter, r *http.Request, f fakekit.Fault) {
	name := s.opName(r)
	if name == zhenling.OpToken {
		oauthError(w, cmp.Or(f.Status, http.StatusUnauthorized), f.Code, f.Message)
		return
	}
	result := shaped(&envelopeWriter{env: s.envelope(name)}, map[string]any{"code": f.Code, "msg": f.Message})
	writeJSON(w, cmp.Or(f.Status, http.StatusOK), map[string]any{"success": false, "message": f.Message, "result": result})
}

// Envelope is the shape of a HITF result: Zhenling's pages show two, and
// the choice does not follow the invoke code.
type Envelope int

const (
	// EnvelopeDefault answers each operation in the shape its page shows:
	// errcode/errmsg for 6.4 and 6.7, code/msg for the others.
	EnvelopeDefault Envelope = iota
	// EnvelopeCode is {"code","msg","data"} (3.30, 3.33, 3.34).
	EnvelopeCode
	// EnvelopeErrcode is {"errcode","errmsg","data"} (6.4, 6.7).
	EnvelopeErrcode
)

// SetEnvelope makes operation name answer in envelope e from now on, so
// that a test can prove a client reads both shapes.
func (s *Server) SetEnvelope(name string, e Envelope) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.envelopes[name] = e
}

func (s *Server) envelope(name string) Envelope {
	s.mu.Lock()
	e := s.envelopes[name]
	s.mu.Unlock()
	if e != EnvelopeDefault {
		return e
	}
	if name == zhenling.OpPaymentPlanPay || name == zhenling.OpInvoiceQuery {
		return EnvelopeErrcode
	}
	return EnvelopeCode
}

type handler func(s *Server, w http.ResponseWriter, r *http.Request, body []byte)

// NewServer starts a fake server; call Close when done.
func NewServer() *Server {
	s := &Server{
		tokenTTL: DefaultTokenTTL, tokens: map[string]time.Time{}, calls: map[string]int{},
		bodies: map[string][]byte{}, files: map[string]*storedFile{}, ops: map[string]zhenling.Operation{},
		envelopes: map[string]Envelope{}, callbacks: map[string][]byte{},
	}
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.routes = routes()
	for _, op := range Operations() {
		s.ops[op.InvokeCode+" "+op.Domain] = op
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth/oauth/token", s.token)
	mux.HandleFunc("/api/hitf/v2p/rest/invoke/", s.invoke)
	mux.HandleFunc("/preview/", s.preview)
	s.srv = httptest.NewServer(s.faults.Middleware(mux, s.opName, s.renderFault))
	s.URL = s.srv.URL
	return s
}

// Close stops the server after pending callbacks were delivered or given up.
func (s *Server) Close() {
	s.wg.Wait()
	s.stop()
	s.srv.Close()
}

// Wait blocks until every asynchronous write so far was processed and its
// callback delivered (or given up).
func (s *Server) Wait() { s.wg.Wait() }

// SetCallback sets the URL results of asynchronous writes are POSTed to
// (what Zhenling's PM configures per interface); "" turns callbacks off.
func (s *Server) SetCallback(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbackURL = url
}

// SetTokenTTL sets the expires_in of tokens issued from now on.
func (s *Server) SetTokenTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenTTL = d
}

// ExpireTokens revokes every issued token, so the next call gets 401.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]time.Time{}
}

// FailTokenRequests makes the next n token requests answer 503.
func (s *Server) FailTokenRequests(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failTokens = n
}

// TokenFetches counts successful token requests.
func (s *Server) TokenFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenFetches
}

// Calls counts the authenticated calls that reached operation name (e.g.
// zhenling.OpContractCreate).
func (s *Server) Calls(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[name]
}

// LastBody returns the body of the last call to operation name.
func (s *Server) LastBody(name string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.bodies[name]...)
}

// Delivery is one callback POST the fake made (or could not make).
type Delivery struct {
	URL    string
	Body   []byte
	Status int    // the receiver's status, 0 when the POST failed
	Answer []byte // the receiver's answer body
	Err    error  // why the POST failed
}

// Deliveries returns the callbacks posted so far.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

// fakeDomains are the made-up domains of the operations Zhenling has not
// published; batch writes go through DATA_IMPORT like 3.40/6.5.
var fakeDomains = map[string]string{
	zhenling.OpPartyQuery: "PARTY_QUERY", zhenling.OpPartyUpsert: "PARTY_IMPORT",
	zhenling.OpOrganizationUpsert: "ORG_IMPORT", zhenling.OpPositionUpsert: "POSITION_IMPORT",
	zhenling.OpEmployeeUpsert: "EMPLOYEE_IMPORT", zhenling.OpValueSetUpsert: "LOV_IMPORT",
	zhenling.OpValueSetQuery: "LOV_VALUE_QUERY", zhenling.OpMaterialUpsert: "MATERIAL_IMPORT",
	zhenling.OpContractParties: "CONTRACT.PARTY_QUERY", zhenling.OpContractResources: "CONTRACT.RESOURCE_QUERY",
	zhenling.OpContractRelations: "CONTRACT.RELATION_QUERY", zhenling.OpContractExtendedInfo: "CONTRACT.EXT_QUERY",
	zhenling.OpContractCustomLines: "CONTRACT.CUST_LINE_QUERY", zhenling.OpContractReceiptPlans: "CONTRACT.RECEIPT_PLAN_QUERY",
	zhenling.OpContractApprovals: "CONTRACT.APPROVAL_QUERY", zhenling.OpContractArchiveInfo: "CONTRACT.ARCHIVE_QUERY",
	zhenling.OpContractArchiveFiles: "CONTRACT.ARCHIVE_FILE_QUERY", zhenling.OpContractAuthorization: "CONTRACT.AUTH_QUERY",
	zhenling.OpContractText: "CONTRACT.TEXT_QUERY", zhenling.OpContractSignInfo: "CONTRACT.SIGN_QUERY",
	zhenling.OpOldChangeDelete: "CHANGE.OLD_DELETE", zhenling.OpNewChangeDelete: "CHANGE.NEW_DELETE",
	zhenling.OpOldChangeSubmitCheck: "CHANGE.OLD_SUBMIT_CHECK", zhenling.OpNewChangeCheck: "CHANGE.NEW_CHECK",
	zhenling.OpChangeInProgress: "CHANGE.IN_PROGRESS", zhenling.OpFileUpload: "FILE.UPLOAD",
	zhenling.OpFilePreview: "FILE.PREVIEW", zhenling.OpTemplateVariables: "TEMPLATE.VARIABLE_QUERY",
	zhenling.OpContractFiles: "FILE.CONTRACT_DOWNLOAD", zhenling.OpFileDownload: "FILE.DOWNLOAD",
	zhenling.OpAttachmentUpload: "FILE.ATTACHMENT_UPLOAD", zhenling.OpContractCreate: "CONTRACT_CREATE",
	zhenling.OpSourceFilesClear: "FILE.SOURCE_CLEAR", zhenling.OpContractDelete: "CONTRACT.BATCH_DELETE",
	zhenling.OpContractModify: "CONTRACT_MODIFY", zhenling.OpCancelArchive: "CONTRACT.CANCEL_ARCHIVE",
	zhenling.OpPerformanceUpdate: "CONTRACT_PERFORMANCE", zhenling.OpReceiptPlanQuery: "FULFILL.RECEIPT_PLAN_QUERY",
	zhenling.OpInvoiceQuery: "FULFILL.INVOICE_QUERY", zhenling.OpTodoList: "WORKFLOW.TODO_QUERY",
	zhenling.OpDoneList: "WORKFLOW.DONE_QUERY", zhenling.OpApprovalReject: "WORKFLOW.REJECT",
	zhenling.OpApprovalApprove: "WORKFLOW.APPROVE", zhenling.OpTenantDoneList: "WORKFLOW.TENANT_DONE_QUERY",
	zhenling.OpExternalApprovalCallback: "WORKFLOW.EXTERNAL_CALLBACK",
}

// batchWrites are the undocumented operations the fake treats as
// asynchronous DATA_IMPORT writes.
var batchWrites = map[string]bool{
	zhenling.OpPartyUpsert: true, zhenling.OpOrganizationUpsert: true, zhenling.OpPositionUpsert: true,
	zhenling.OpEmployeeUpsert: true, zhenling.OpValueSetUpsert: true, zhenling.OpMaterialUpsert: true,
	zhenling.OpContractCreate: true, zhenling.OpContractModify: true, zhenling.OpPerformanceUpdate: true,
}

// Operations returns the table the fake serves: the documented codes as
// published, and made-up "ZHENLINGTEST.…" domains for the rest. Pass it to
// zhenling.WithOperations. The token endpoint (1.1) is not a HITF
// operation and is left out.
func Operations() []zhenling.Operation {
	var out []zhenling.Operation
	for _, op := range zhenling.Operations() {
		if op.Name == zhenling.OpToken {
			continue
		}
		if !op.Configured() {
			op.InvokeCode = zhenling.SingleScript
			if batchWrites[op.Name] {
				op.InvokeCode = zhenling.DataImport
			}
			op.Domain = "ZHENLINGTEST." + fakeDomains[op.Name]
		}
		out = append(out, op)
	}
	return out
}

// newID returns a random UUID-shaped id.
func newID() string {
	h, err := sign.Nonce("0123456789abcdef", 32)
	if err != nil {
		h = fmt.Sprintf("%032x", time.Now().UnixNano())
	}
	return strings.Join([]string{h[:8], h[8:12], h[12:16], h[16:20], h[20:]}, "-")
}

func (s *Server) nextSeq() int {
	s.seq++
	return s.seq
}

func stamp() string {
	return time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05")
}
