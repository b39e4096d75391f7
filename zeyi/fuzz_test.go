package zeyi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// FuzzParseCallback feeds arbitrary bodies and headers, signed correctly or
// not: ParseCallback must never panic, must answer a 4xx for anything it
// rejects, and must only accept a correctly signed JSON object.
func FuzzParseCallback(f *testing.F) {
	f.Add([]byte(cbBody), "GdSt9T", "1643251533306", true)
	f.Add([]byte(`{"code":1,"type":"terminate"}`), "abcdef", "1643251533306", true)
	f.Add([]byte(`[]`), "abcdef", "1643251533306", true)
	f.Add([]byte(`{"code":`), "abcdef", "99999999999999999999", false)
	f.Add([]byte(``), "", "", false)
	f.Fuzz(func(t *testing.T, body []byte, nonce, ts string, signIt bool) {
		r := httptest.NewRequest(http.MethodPost, "/cb", bytes.NewReader(body))
		r.Header.Set("appKey", cbKey)
		r.Header.Set("timestamp", ts)
		r.Header.Set("nonce", nonce)
		r.Header.Set("Authorization", "Bearer "+cbToken)
		sig := "00000000000000000000000000000000"
		if signIt {
			sig = Sign(cbKey, cbSecret, ts, nonce, body)
		}
		r.Header.Set("sign", sig)
		ev, err := ParseCallback(r, CallbackConfig{AppKey: cbKey, AppSecret: cbSecret, BearerToken: cbToken})
		if err != nil {
			var ce *CallbackError
			if !errors.As(err, &ce) || ce.Status < 400 || ce.Status >= 500 {
				t.Fatalf("rejection without a 4xx: %T %v", err, err)
			}
			return
		}
		if !signIt || !json.Valid(body) || !bytes.Equal(ev.Raw, body) {
			t.Fatalf("accepted a callback it should not have: signed=%v body=%q", signIt, body)
		}
	})
}

// FuzzCipherDecrypt: decrypting arbitrary input never panics and fails
// with the one generic error; what decrypts re-encrypts (FixedIV) to the
// same ciphertext.
func FuzzCipherDecrypt(f *testing.F) {
	f.Add(vecCipherText, false)
	f.Add("AAAAAAAAAAAAAAAAAAAAAA==", true)
	f.Add("", false)
	f.Add("-_-_", true)
	fixed, err := NewCipher(Encryption{}, vecAppSecret)
	if err != nil {
		f.Fatal(err)
	}
	random, err := NewCipher(Encryption{Mode: RandomIVPrefix, AESSecret: "MDEyMzQ1Njc4OWFiY2RlZg=="}, "")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string, useRandom bool) {
		c := fixed
		if useRandom {
			c = random
		}
		pt, err := c.Decrypt(in)
		if err != nil {
			return
		}
		ct, err := c.Encrypt(pt)
		if err != nil {
			t.Fatal(err)
		}
		back, err := c.Decrypt(ct)
		if err != nil || !bytes.Equal(back, pt) {
			t.Fatalf("round trip failed for %q", in)
		}
	})
}

// FuzzEnvelope: any gateway answer becomes success or a typed error,
// never a panic; a success needs success=true and no business exception.
func FuzzEnvelope(f *testing.F) {
	f.Add(200, []byte(okEnvelope))
	f.Add(200, []byte(`{"success":false,"businessException":true,"errorCode":"DUP","message":"x"}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(200, []byte(`{"success":"true","result":{"code":1}}`))
	f.Add(404, []byte(`{"status":404}`))
	f.Add(200, []byte(`{"success":true,"result":"not an object"}`))
	c, err := NewClient(Config{AppKey: "k", AppSecret: "s"}, WithEnvironment(Test))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			return
		}
		var out struct {
			Code flex.String `json:"code"`
		}
		_, err := c.check(&transport.Response{StatusCode: status, Header: http.Header{}, Body: body}, &out)
		if err == nil {
			var env struct {
				Success           *flex.Bool `json:"success"`
				BusinessException flex.Bool  `json:"businessException"`
			}
			if json.Unmarshal(body, &env) != nil || env.Success == nil || !bool(*env.Success) || bool(env.BusinessException) || status/100 != 2 {
				t.Fatalf("accepted %d %q", status, body)
			}
			return
		}
		var ze *Error
		var te *transport.Error
		if !errors.As(err, &ze) && !errors.As(err, &te) {
			t.Fatalf("untyped error %T", err)
		}
	})
}

// FuzzCallbackHandler: whatever arrives, signed or not, and whether the
// user's func succeeds, fails or panics, the handler answers without
// panicking; it answers 200 only for a signed JSON object whose func
// succeeded (now or before), and a failed or panicked message is handled
// when it arrives again.
func FuzzCallbackHandler(f *testing.F) {
	f.Add([]byte(cbBody), "GdSt9T", true, uint8(0))
	f.Add([]byte(cbBody), "GdSt9T", true, uint8(1))
	f.Add([]byte(cbBody), "GdSt9T", true, uint8(2))
	f.Add([]byte(`{"type":"terminate"}`), "abcdef", false, uint8(0))
	f.Add([]byte(`{`), "abcdef", true, uint8(0))
	f.Fuzz(func(t *testing.T, body []byte, nonce string, signIt bool, mode uint8) {
		calls := 0
		h := NewCallbackHandler(cbConfig(), func(context.Context, *CallbackEvent) error {
			calls++
			if calls > 1 {
				return nil
			}
			switch mode % 3 {
			case 1:
				return errors.New("failed")
			case 2:
				panic("handler bug")
			}
			return nil
		})
		deliver := func() int {
			ts := Timestamp(cbNow)
			r := httptest.NewRequest(http.MethodPost, "/cb", bytes.NewReader(body))
			r.Header.Set("appKey", cbKey)
			r.Header.Set("timestamp", ts)
			r.Header.Set("nonce", nonce)
			r.Header.Set("Authorization", "Bearer "+cbToken)
			sig := "00000000000000000000000000000000"
			if signIt {
				sig = Sign(cbKey, cbSecret, ts, nonce, body)
			}
			r.Header.Set("sign", sig)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Code
		}
		first := deliver()
		if first == http.StatusOK && (!signIt || !json.Valid(body) || calls != 1 || mode%3 != 0) {
			t.Fatalf("acknowledged what it should not: signed=%v mode=%d calls=%d body=%q", signIt, mode%3, calls, body)
		}
		if calls == 1 && mode%3 != 0 {
			if first != http.StatusInternalServerError {
				t.Fatalf("a failed handler answered %d", first)
			}
			if second := deliver(); second != http.StatusOK || calls != 2 {
				t.Fatalf("the retry of a failed message answered %d after %d calls", second, calls)
			}
		}
	})
}
