package essbasic

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// wireError is the platform's error object.
type wireError struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

// head is what every response carries besides the action's fields.
type head struct {
	Error     *wireError `json:"Error"`
	RequestID string     `json:"RequestId"`
}

// parseHead finds the error and request id of an answer, in the
// {"Response":{...}} envelope or the legacy shape the official SDK still
// understands ({"code":4000,"message":...,"codeDesc":...}).
func parseHead(body []byte) (head, bool) {
	var env struct {
		Response *head       `json:"Response"`
		Code     json.Number `json:"code"`
		Message  string      `json:"message"`
		CodeDesc string      `json:"codeDesc"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return head{}, false
	}
	if env.Response != nil {
		return *env.Response, true
	}
	if env.Code != "" && env.Code.String() != "0" {
		code := env.CodeDesc
		if code == "" {
			code = env.Code.String()
		}
		return head{Error: &wireError{Code: code, Message: env.Message}}, true
	}
	return head{}, false
}

// errorKey is how an answer that carries an error object names it.
var errorKey = []byte(`"Error"`)

// errEmptyAnswer is the cause of a 200 that carries nothing.
var errEmptyAnswer = errors.New("empty answer")

// check turns a complete response into success (out decoded) or an *Error
// with the retry verdict its code or status deserves. A successful answer
// is decoded once, straight into out; only answers that name an error, are
// not JSON, or come back empty are looked at again.
func (c *Client) check(k call, r *transport.Response, out any) (transport.Verdict, error) {
	if r.StatusCode/100 != 2 || bytes.Contains(r.Body, errorKey) || !transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		if v, err := c.failure(k.action, r); err != nil {
			return v, err
		}
	}
	if out == nil {
		out = new(struct{})
	}
	if v := reflect.ValueOf(out); v.Kind() == reflect.Pointer && !v.IsNil() {
		v.Elem().SetZero() // a retry after a truncated answer starts clean
	}
	env := struct{ Response any }{out}
	// Lenient: the platform has sent strings for numbers (and back) before.
	if err := flex.UnmarshalLenient(r.Body, &env); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
			// Most likely cut short on the way: a read may ask again.
			return transport.RetryIfIdempotent, c.answerError(k.action, r, "malformed response: "+err.Error(), err)
		}
		h, _ := parseHead(r.Body)
		return transport.Final, &Error{Op: k.action, Message: "cannot decode response: " + err.Error(),
			RequestID: h.RequestID, HTTPStatus: r.StatusCode, Err: err}
	}
	if env.Response != nil && !looksEmpty(out) {
		return transport.Final, nil
	}
	return c.checkEmpty(k, r)
}

// looksEmpty reports whether out holds nothing but (at most) a RequestId.
func looksEmpty(out any) bool {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return true
	}
	v = v.Elem()
	if v.Kind() != reflect.Struct {
		return v.IsZero()
	}
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).Name != "RequestId" && !v.Field(i).IsZero() {
			return false
		}
	}
	return true
}

// checkEmpty looks at the keys the Response object really has: none at all
// (no Response) is malformed, an error key spelled with escapes is still
// an error, and an action that must return something fails when only a
// RequestId came back.
func (c *Client) checkEmpty(k call, r *transport.Response) (transport.Verdict, error) {
	var env struct {
		Response map[string]json.RawMessage `json:"Response"`
	}
	_ = json.Unmarshal(r.Body, &env) // it decoded above
	switch {
	case env.Response == nil:
		return transport.RetryIfIdempotent, c.answerError(k.action, r, "malformed response: no Response object", errEmptyAnswer)
	case len(env.Response["Error"]) > 0 && string(env.Response["Error"]) != "null":
		if v, err := c.failure(k.action, r); err != nil {
			return v, err
		}
		return transport.Final, c.answerError(k.action, r, "malformed response: unreadable Error object", nil)
	}
	if !k.returns {
		return transport.Final, nil
	}
	for key := range env.Response {
		if key != "RequestId" {
			return transport.Final, nil // present, if zero: a real answer
		}
	}
	e := c.answerError(k.action, r, "cannot decode response: empty answer", errEmptyAnswer)
	_ = json.Unmarshal(env.Response["RequestId"], &e.RequestID)
	return transport.Final, e
}

// answerError is an *Error about the answer itself, with a redacted excerpt.
func (c *Client) answerError(action string, r *transport.Response, msg string, cause error) *Error {
	return &Error{Op: action, HTTPStatus: r.StatusCode, Message: msg,
		Excerpt: c.tc.Redactor().String(transport.Excerpt(r.Body)), Err: cause}
}

// failure classifies an answer that is not a plain success: not JSON, an
// error object, no envelope, or an unexpected status.
func (c *Client) failure(action string, r *transport.Response) (transport.Verdict, error) {
	if !transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		return transport.StatusVerdict(r.StatusCode), c.answerError(action, r, "response is not JSON", nil)
	}
	h, ok := parseHead(r.Body)
	switch {
	case !ok:
		verdict := transport.StatusVerdict(r.StatusCode)
		if r.StatusCode/100 == 2 {
			verdict = transport.RetryIfIdempotent // most likely cut short on the way
		}
		return verdict, c.answerError(action, r, "malformed response: no Response object", nil)
	case h.Error != nil && h.Error.Code != "":
		return codeVerdict(h.Error.Code, r.StatusCode), &Error{Op: action, Code: h.Error.Code,
			Message: c.tc.Redactor().String(h.Error.Message), RequestID: h.RequestID, HTTPStatus: r.StatusCode}
	case r.StatusCode/100 != 2:
		e := c.answerError(action, r, "unexpected HTTP status", nil)
		e.RequestID = h.RequestID
		return transport.StatusVerdict(r.StatusCode), e
	}
	return transport.Final, nil // "Error" appeared only inside a value: decode it
}

// codeVerdict: the rate limiter refused before acting, so any call may be
// re-sent; an internal error may have acted, so only reads are.
func codeVerdict(code string, status int) transport.Verdict {
	switch {
	case code == CodeRequestLimitExceeded || strings.HasPrefix(code, CodeRequestLimitExceeded+"."):
		return transport.RetrySafe
	case code == CodeInternalError || strings.HasPrefix(code, CodeInternalError+"."):
		return transport.RetryIfIdempotent
	}
	return transport.StatusVerdict(status)
}
