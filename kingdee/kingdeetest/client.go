package kingdeetest

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/fakekit"
	"github.com/hetong-go/hetong/kingdee"
)

// Config returns the credentials the fake accepts, for signed headers (set
// Auth and Password or Passport for another login mode).
func (s *Server) Config() kingdee.Config {
	return kingdee.Config{BaseURL: s.URL, AcctID: AcctID, Username: Username, AppID: AppID, AppSecret: AppSecret}
}

// Options returns the options a test client wants against the fake: no
// client-side rate limit and short retry backoffs.
func (s *Server) Options() []kingdee.Option {
	return []kingdee.Option{kingdee.WithRateLimit(0, 0),
		kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond})}
}

// Client returns a client of the fake built from Config(), Options() and
// opts. It never panics: should NewClient refuse one of opts, the client
// is built from Config() and Options() alone (build it yourself with
// kingdee.NewClient to see that error).
func (s *Server) Client(opts ...kingdee.Option) *kingdee.Client {
	c, err := kingdee.NewClient(s.Config(), append(s.Options(), opts...)...)
	if err != nil {
		c, _ = kingdee.NewClient(s.Config(), s.Options()...) // the fake's own settings are valid
	}
	return c
}

// Fault is what the next matching call gets instead of its answer. Set one
// kind: Status (with Body and ContentType), Code (a Kingdee MsgCode such
// as "14", with Message, rendered as a failed ResponseStatus; Status then
// sets the HTTP status, default 200) or Reset (the connection is cut);
// Delay may go with any of them, or alone to slow the answer down.
type Fault struct {
	// Match names the operation ("Save", "ExecuteBillQuery",
	// "LoginBySign", ...) or the URL path; empty matches every call.
	Match string
	// Times is how many matching calls get the fault (default 1).
	Times int
	// Status is the HTTP status to answer.
	Status int
	// Body is the body sent with Status.
	Body string
	// ContentType is the Content-Type sent with Status.
	ContentType string
	// Code is a MsgCode, rendered in Kingdee's envelope.
	Code string
	// Message is the error text that goes with Code.
	Message string
	// Reset cuts the connection without an answer.
	Reset bool
	// Delay holds the answer back (the caller's context still ends it).
	Delay time.Duration
}

// FailNext queues f for the next matching call.
func (s *Server) FailNext(f Fault) {
	s.faults.FailNext(fakekit.Fault{Match: f.Match, Times: f.Times, Status: f.Status, Body: f.Body,
		ContentType: f.ContentType, Code: f.Code, Message: f.Message, Reset: f.Reset, Delay: f.Delay})
}

// opName is the operation a request calls: the last segment of the
// service name, e.g. "Save" for .../DynamicFormService.Save.common.kdsvc.
func opName(r *http.Request) string {
	svc := strings.TrimSuffix(r.URL.Path, ".common.kdsvc")
	return svc[strings.LastIndexByte(svc, '.')+1:]
}

// renderFault answers a Code fault as the server answers a failed call.
func (s *Server) renderFault(w http.ResponseWriter, r *http.Request, f fakekit.Fault) {
	code, err := strconv.Atoi(f.Code)
	if err != nil {
		code = msgException
	}
	msg := f.Message
	if msg == "" {
		msg = "fault injected by kingdeetest (MsgCode " + f.Code + ")"
	}
	if f.Status != 0 {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.Status)
	}
	s.writeStatus(w, strings.ToLower(opName(r)), nil, failure(code, "", msg, 0))
}
