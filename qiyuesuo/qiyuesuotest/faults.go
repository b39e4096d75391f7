package qiyuesuotest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hetong-go/hetong/internal/fakekit"
)

// Fault is what the next matching request gets instead of (or before) the
// fake's normal answer, the fault vocabulary every fake of the SDK shares.
// Set one kind: Status (+ Body, ContentType), Code (+ Message, rendered in
// the platform's envelope: an 8-digit code as responseCode, any other as
// the numeric code, with Status as the HTTP status when set) or Reset (the
// connection is dropped); Delay may go with any of them, or alone to slow
// the normal answer down.
type Fault struct {
	// Match limits the fault to one endpoint: a path ("/v2/contract/draft")
	// or a method name ("ContractDraft"). Empty matches every request.
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

// FailNext queues f for the next matching request(s).
func (s *Server) FailNext(f Fault) {
	s.faults.FailNext(fakekit.Fault{Match: f.Match, Times: f.Times, Status: f.Status, Body: f.Body, ContentType: f.ContentType,
		Code: f.Code, Message: f.Message, Reset: f.Reset, Delay: f.Delay})
}

// withFaults wraps the routes in the shared fault middleware.
func (s *Server) withFaults(next http.Handler) http.Handler {
	names := map[string]string{}
	for _, rt := range generatedRoutes {
		names[rt.method+" "+rt.path] = rt.name
	}
	return s.faults.Middleware(next, func(r *http.Request) string { return names[r.Method+" "+r.URL.Path] }, renderFault)
}

// renderFault writes the platform's error envelope for f.Code.
func renderFault(w http.ResponseWriter, _ *http.Request, f fakekit.Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	msg := f.Message
	if msg == "" {
		msg = "请求失败"
	}
	body := map[string]any{"message": msg}
	if n, err := strconv.Atoi(f.Code); err == nil && len(f.Code) != 8 {
		body["code"] = n
	} else {
		body["responseCode"] = f.Code
	}
	writeJSON(w, status, body)
}
