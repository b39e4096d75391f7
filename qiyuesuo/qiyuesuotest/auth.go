package qiyuesuotest

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/hetong-go/hetong/internal/sign"
)

// authFail is the platform's auth error shape, sent with HTTP status code.
func authFail(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]any{"code": code, "message": msg, "responseCode": "11990" + strconv.Itoa(code)})
}

// authenticate checks the x-qys-open-* headers as the platform does and
// records the nonce. It reports whether the request may proceed.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header
	token, ts, nonce, sig := h.Get("x-qys-open-accesstoken"), h.Get("x-qys-open-timestamp"), h.Get("x-qys-open-nonce"), h.Get("x-qys-open-signature")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[r.URL.Path]++
	if subtle.ConstantTimeCompare([]byte(token), []byte(AppToken)) != 1 {
		authFail(w, 442, "INVALID TOKEN")
		return false
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	now := s.now()
	if err != nil || now.Sub(time.UnixMilli(ms)).Abs() > NonceWindow {
		authFail(w, 441, "INVALID TIMESTAMP")
		return false
	}
	// The nonce-less legacy form md5(token+secret+timestamp) is still accepted.
	want := sign.MD5HexString(AppToken, AppSecret, ts, nonce)
	if subtle.ConstantTimeCompare([]byte(sig), []byte(want)) != 1 {
		authFail(w, 441, "INVALID SIGNATURE")
		return false
	}
	if nonce != "" {
		for n, at := range s.nonces {
			if now.Sub(at) > NonceWindow {
				delete(s.nonces, n)
			}
		}
		if _, used := s.nonces[nonce]; used {
			authFail(w, 441, "NONCE ALREADY USED")
			return false
		}
		s.nonces[nonce] = now
	}
	return true
}
