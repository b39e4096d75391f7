package kingdee

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/transport"
	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
)

// Service name prefixes; a call goes to {BaseURL}{prefix}{Name}.common.kdsvc.
const (
	dynamicFormService = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService."
	authService        = "Kingdee.BOS.WebApi.ServicesStub.AuthService."
	accountService     = "Kingdee.BOS.ServiceFacade.ServicesStub.Account.AccountService."
	serviceSuffix      = ".common.kdsvc"
)

// call is one logical WebAPI call.
type call struct {
	op         string // short name for errors and logs, e.g. "Save"
	service    string // full service name without the suffix
	payload    any
	idempotent bool // a read: may be re-sent, and re-logged-in once
	noSession  bool // the login calls themselves
	allowEmpty bool // "", null and {} are a valid answer (Logout, Raw)
}

func dfs(op string, payload any, read bool) call {
	return call{op: op, service: dynamicFormService + op, payload: payload, idempotent: read}
}

// formData is the official SDKs' body: {"formid":…,"data":{…}}.
type formData struct {
	FormID string `json:"formid,omitempty"`
	Data   any    `json:"data"`
}

// exec runs k and returns the body of a successful answer. A failed
// ResponseStatus becomes an *Error; the body is returned with it so that a
// partially failed batch can still be read.
func (c *Client) exec(ctx context.Context, k call) ([]byte, error) {
	body, err := c.execOnce(ctx, k)
	if err == nil && !k.allowEmpty && isEmptyAnswer(body) {
		// A save or read that says nothing must not pass for success.
		return nil, &Error{Op: k.op, HTTPStatus: 200, Message: "the server sent an empty answer (" +
			strconv.Quote(string(bytes.TrimSpace(body))) + ")", red: c.tc.Redactor()}
	}
	return body, err
}

// isEmptyAnswer reports "", null and {} (white space aside).
func isEmptyAnswer(body []byte) bool {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || string(b) == "null" {
		return true
	}
	if b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	return len(bytes.TrimSpace(b[1:len(b)-1])) == 0
}

func (c *Client) execOnce(ctx context.Context, k call) ([]byte, error) {
	if ctx == nil {
		return nil, &Error{Op: k.op, Message: "nil context", red: c.tc.Redactor()}
	}
	body, err := json.Marshal(k.payload)
	if err != nil {
		return nil, &Error{Op: k.op, Message: "cannot encode request", Err: err, red: c.tc.Redactor()}
	}
	if c.session == nil || k.noSession {
		return c.send(ctx, k, body, "")
	}
	var out []byte
	run := func(sid string) error {
		b, err := c.send(ctx, k, body, sid)
		out = b
		return err
	}
	if k.idempotent {
		// A read may be re-sent: one re-login and one retry on context lost.
		err = c.session.Do(ctx, run, sessionLost)
		return out, c.sessionErr(k.op, err)
	}
	sid, err := c.session.Token(ctx)
	if err != nil {
		return nil, c.sessionErr(k.op, err)
	}
	if err = run(sid); sessionLost(err) {
		// Never replay a write: the next call logs in afresh.
		_ = c.session.Invalidate(ctx, sid)
		var e *Error
		if errors.As(err, &e) {
			e.Message += " (the session was lost; the write was not replayed, check the bill before sending it again)"
		}
	}
	return out, err
}

func sessionLost(err error) bool { return IsCode(err, MsgCodeContextLost) }

// sessionErr keeps *Error values and wraps what the session cache returns
// on its own (a cancelled wait for a login).
func (c *Client) sessionErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return c.wrap(op, err)
}

// send runs one call with the given session id (empty in signed-header mode).
func (c *Client) send(ctx context.Context, k call, body []byte, sid string) ([]byte, error) {
	var last *status
	req := &transport.Request{
		Op: k.op, Path: k.service + serviceSuffix, ContentType: "application/json",
		Body: body, Idempotent: k.idempotent,
		Sign: c.signFunc(sid),
		Check: func(r *transport.Response) (transport.Verdict, error) {
			st, v, err := c.check(k.op, r)
			last = st
			return v, err
		},
	}
	resp, err := c.tc.Do(ctx, req)
	if err != nil {
		return nil, c.wrap(k.op, err)
	}
	if last.failed() {
		e := last.toError(k.op, resp.StatusCode)
		e.red = c.tc.Redactor()
		return resp.Body, e
	}
	return resp.Body, nil
}

// signFunc sets fresh signed headers, or the session id, on every attempt.
func (c *Client) signFunc(sid string) func(*transport.Outgoing) error {
	return func(o *transport.Outgoing) error {
		if sid != "" {
			o.Header.Set(kdsign.HeaderSessionID, sid)
		}
		if c.signer == nil {
			return nil
		}
		nonce, err := c.nonce()
		if err != nil {
			return fmt.Errorf("cannot draw a nonce: %w", err)
		}
		c.signer.Apply(o.Header, o.URL.Path, c.timestamp(), nonce)
		return nil
	}
}

// responseErrorPrefix starts the body of an ASP.NET framework failure.
var responseErrorPrefix = []byte("response_error:")

// check classifies one complete response.
func (c *Client) check(op string, r *transport.Response) (*status, transport.Verdict, error) {
	b := bytes.TrimSpace(r.Body)
	fail := func(v transport.Verdict, msg string) (*status, transport.Verdict, error) {
		e := &Error{Op: op, HTTPStatus: r.StatusCode, Message: msg, red: c.tc.Redactor()}
		if r.StatusCode == http.StatusForbidden || r.StatusCode == http.StatusUnauthorized {
			e.auth = true // a wrong acctID is refused with a non-200 status
		}
		return nil, v, e
	}
	if bytes.HasPrefix(b, responseErrorPrefix) {
		return fail(transport.StatusVerdict(r.StatusCode), fmt.Sprintf("server framework error: %q", transport.Excerpt(b)))
	}
	// Judged by content, not Content-Type: some servers label JSON text/plain.
	st, err := statusOf(b)
	if err != nil {
		if json.Valid(b) {
			return fail(transport.Final, "cannot decode the response envelope: "+err.Error())
		}
		what := notJSON(b)
		if r.StatusCode/100 != 2 {
			return fail(transport.StatusVerdict(r.StatusCode), fmt.Sprintf("unexpected HTTP status with %s: %q", what, transport.Excerpt(b)))
		}
		return fail(transport.Final, fmt.Sprintf("server sent %s: %q", what, transport.Excerpt(b)))
	}
	if r.StatusCode/100 != 2 && !st.failed() {
		return fail(transport.StatusVerdict(r.StatusCode), fmt.Sprintf("unexpected HTTP status: %q", transport.Excerpt(b)))
	}
	if st.failed() && MsgCode(st.MsgCode) == MsgCodeCallLimit {
		// The server refused before acting: safe to retry after a backoff.
		e := st.toError(op, r.StatusCode)
		e.red = c.tc.Redactor()
		return st, transport.RetrySafe, e
	}
	return st, transport.Final, nil
}

// notJSON says what a body that does not parse looks like.
func notJSON(b []byte) string {
	switch {
	case len(b) == 0:
		return "an empty body"
	case b[0] == '<':
		return "an HTML page, not JSON"
	case b[0] == '{' || b[0] == '[':
		return "truncated or invalid JSON"
	}
	return "a body that is not JSON"
}

// wrap turns a transport failure into an *Error that unwraps to it. The
// transport's own description is the message (said once, not repeated).
func (c *Client) wrap(op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	out := &Error{Op: op, Message: errfmt.Describe(err), Err: err, causeShown: true, red: c.tc.Redactor()}
	var te *transport.Error
	if errors.As(err, &te) {
		out.HTTPStatus = te.StatusCode
		if te.Sent {
			out.Message += " (the request may have reached the server)"
		}
	}
	return out
}

// decode unmarshals a successful body into out.
func (c *Client) decode(op string, body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return &Error{Op: op, HTTPStatus: http.StatusOK, Message: "cannot decode response", Err: err, red: c.tc.Redactor()}
	}
	return nil
}
