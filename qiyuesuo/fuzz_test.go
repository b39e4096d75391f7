package qiyuesuo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hetong-go/hetong/internal/transport"
)

// FuzzParseCallback feeds arbitrary form bodies (and query strings) to
// ParseCallback: it must never panic, and an accepted callback is JSON.
func FuzzParseCallback(f *testing.F) {
	f.Add("signature=bc1dd1036eefc0f0ae789c8afd3203a9&timestamp=1700000000000&content=Em%2FAveBMFUlwdVAIqRJaMhdsKVpZXXGT0JXxzgVmWrbI678OAm4bXGUby9B%2Fl3xgkO6mBl8ITAF55PLi6N7RupFHKicY8rFSY7YvxCx384x8TzZPQQZUv9Op8Nx92aGW", "", true)
	f.Add("signature=bc1dd1036eefc0f0ae789c8afd3203a9&timestamp=1700000000000&content=%7B%7D", "", false)
	f.Add("contractId=1&callbackType=SEAL", "signature=bc1dd1036eefc0f0ae789c8afd3203a9&timestamp=1700000000000", false)
	f.Add("%zz&&==", "a=%", true)
	f.Fuzz(func(t *testing.T, body, rawQuery string, encrypted bool) {
		r := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(body))
		r.URL.RawQuery = rawQuery
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		ev, err := ParseCallback(r, CallbackConfig{SecretKey: "0123456789abcdef", Encrypted: encrypted})
		if err == nil && ev == nil {
			t.Fatal("nil event without error")
		}
		if err == nil && !json.Valid(ev.Raw) {
			t.Fatalf("accepted invalid JSON: %q", ev.Raw)
		}
	})
}

// FuzzDecryptCallbackContent: arbitrary content never panics in either mode.
func FuzzDecryptCallbackContent(f *testing.F) {
	f.Add("Em/AveBMFUlwdVAIqRJaMhdsKVpZXXGT0JXxzgVmWrbI678OAm4bXGUby9B/l3xgkO6mBl8ITAF55PLi6N7RupFHKicY8rFSY7YvxCx384x8TzZPQQZUv9Op8Nx92aGW", false)
	f.Add("AAAAAAAAAAAAAAAAAAAAAA==", true)
	f.Add("", false)
	f.Fuzz(func(t *testing.T, content string, cbc bool) {
		cfg := CallbackConfig{SecretKey: "0123456789abcdef", IV: []byte("fedcba9876543210")}
		if cbc {
			cfg.Mode = ModeCBC
		}
		pt, err := DecryptCallbackContent(content, cfg)
		if err != nil {
			return
		}
		enc, err := EncryptCallbackContent(pt, cfg)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecryptCallbackContent(enc, cfg)
		if err != nil || string(back) != string(pt) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

// FuzzEnvelope feeds arbitrary response bodies to the envelope check: it
// never panics and never reports success without code 0 or "00000000".
func FuzzEnvelope(f *testing.F) {
	f.Add(200, "application/json", `{"code":0,"result":{"id":"1"}}`)
	f.Add(442, "application/json", `{"message":"INVALID TOKEN","code":442,"responseCode":"11990442"}`)
	f.Add(200, "", `{"responseCode":"00000000"}`)
	f.Add(502, "text/html", `<html>`)
	f.Add(200, "application/json", `{"code":"x"}`)
	c, err := NewClient(Config{AppToken: "t", AppSecret: "s"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, ct, body string) {
		r := &transport.Response{StatusCode: status, Header: http.Header{"Content-Type": {ct}}, Body: []byte(body)}
		var env envelope
		_, err := c.check(r, &env)
		if err == nil && !env.ok() {
			t.Fatalf("success without a success code: %q", body)
		}
		var out Contract
		_ = c.decodeResult("Fuzz", env.Result, &out, env.meta(status))
	})
}
