package zhenlingtest

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/zhenling"
)

// maxBody bounds what the fake reads from a request.
const maxBody = 8 << 20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// oauthError is Spring Security OAuth2's error body.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// hzeroError is HZERO's error body.
func hzeroError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"failed": true, "code": code, "message": msg, "type": "warn"})
}

// envelopeWriter carries the result envelope and the page base of the
// operation being answered, so that ok and fail write the shape the
// operation uses and paged queries count pages its way.
type envelopeWriter struct {
	http.ResponseWriter
	env      Envelope
	pageBase int
}

// pageBase is the first page number of the operation w answers.
func pageBase(w http.ResponseWriter) int {
	if ew, isEW := w.(*envelopeWriter); isEW {
		return ew.pageBase
	}
	return 0
}

// shaped renames code/msg to errcode/errmsg when w answers in the
// errcode envelope; result maps are built with code/msg.
func shaped(w http.ResponseWriter, result any) any {
	ew, isEW := w.(*envelopeWriter)
	m, isMap := result.(map[string]any)
	if !isEW || !isMap || ew.env != EnvelopeErrcode {
		return result
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch k {
		case "code":
			k = "errcode"
		case "msg":
			k = "errmsg"
		}
		out[k] = v
	}
	return out
}

// ok writes the HITF envelope around an inner result.
func ok(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": "execute success", "result": shaped(w, result)})
}

// fail writes a HITF business failure.
func fail(w http.ResponseWriter, code, msg string) {
	writeJSON(w, http.StatusOK, map[string]any{"success": false, "message": msg, "result": shaped(w, map[string]any{"code": code, "msg": msg})})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		hzeroError(w, http.StatusMethodNotAllowed, "error.method_not_allowed", "Request method '"+r.Method+"' not supported")
		return
	}
	s.mu.Lock()
	if s.failTokens > 0 {
		s.failTokens--
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")
		return
	}
	s.mu.Unlock()
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "cannot read the form")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.Form.Get("client_id"), r.Form.Get("client_secret")
	}
	if !callback.Equal(id, ClientID) || !callback.Equal(secret, ClientSecret) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Bad client credentials")
		return
	}
	if gt := r.Form.Get("grant_type"); gt != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
		return
	}
	tok := newID()
	s.mu.Lock()
	ttl := s.tokenTTL
	s.tokens[tok] = time.Now().Add(ttl)
	s.tokenFetches++
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": int64(ttl / time.Second), "scope": "default"})
}

// authorized checks the bearer token as the gateway does.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	scheme, tok, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "bearer") || tok == "" {
		oauthError(w, http.StatusUnauthorized, "unauthorized", "Full authentication is required to access this resource")
		return false
	}
	s.mu.Lock()
	exp, known := s.tokens[tok]
	s.mu.Unlock()
	if !known || time.Now().After(exp) {
		oauthError(w, http.StatusUnauthorized, "invalid_token", "Invalid access token: "+tok)
		return false
	}
	return true
}

func (s *Server) invoke(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	code := strings.TrimPrefix(r.URL.EscapedPath(), "/api/hitf/v2p/rest/invoke/")
	if c, err := url.PathUnescape(code); err == nil {
		code = c
	}
	op, found := s.ops[code+" "+r.URL.Query().Get("domain")]
	if !found {
		hzeroError(w, http.StatusNotFound, "hitf.error.interface_not_found", "接口未定义: "+code+" domain="+r.URL.Query().Get("domain"))
		return
	}
	want := http.MethodPost
	if op.Name == zhenling.OpFileDownload {
		want = http.MethodGet
	}
	if r.Method != want {
		hzeroError(w, http.StatusMethodNotAllowed, "error.method_not_allowed", "Request method '"+r.Method+"' not supported")
		return
	}
	var body []byte
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") && r.Method == http.MethodPost {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil || !json.Valid(b) {
			hzeroError(w, http.StatusBadRequest, "error.request_body.invalid", "请求体不是合法的JSON")
			return
		}
		body = b
	}
	s.mu.Lock()
	s.calls[op.Name]++
	s.bodies[op.Name] = body
	s.mu.Unlock()
	h := s.routes[op.Name]
	if h == nil {
		h = generic(op.Name, op.Idempotent)
	}
	h(s, &envelopeWriter{ResponseWriter: w, env: s.envelope(op.Name), pageBase: op.PageBase}, r, body)
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, "<html><body>preview of "+html.EscapeString(strings.TrimPrefix(r.URL.Path, "/preview/"))+"</body></html>")
}
