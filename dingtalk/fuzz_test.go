package dingtalk

import (
	"github.com/hetong-go/hetong"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hetong-go/hetong/internal/transport"
)

// FuzzDecrypt feeds arbitrary ciphertext to the unframing code behind the
// signature check: it must fail cleanly, never panic or over-read.
func FuzzDecrypt(f *testing.F) {
	f.Add(vecEncrypt)
	f.Add(vecEncrypt[:44])
	f.Add("")
	c := vectorCrypto(f)
	f.Fuzz(func(t *testing.T, enc string) {
		msg, err := c.open(enc)
		if err == nil && len(msg) > len(enc) {
			t.Fatalf("message longer than its ciphertext: %d > %d", len(msg), len(enc))
		}
		if _, err := c.Decrypt(c.Signature("1", "n", enc), "1", "n", enc); err == nil && msg == nil {
			t.Fatal("Decrypt accepted what open rejected")
		}
	})
}

// FuzzParseCallback sends arbitrary query values and bodies through the
// whole callback path.
func FuzzParseCallback(f *testing.F) {
	f.Add(vecSignature, vecTimestamp, vecNonce, `{"encrypt":"`+vecEncrypt+`"}`)
	f.Add("", "", "", "")
	f.Add("x", "1", "n", `{"encrypt":"AAAA"}`)
	cfg := CallbackConfig{Token: vecToken, EncodingAESKey: vecAESKey, OwnerKey: vecOwner, Window: -1}
	f.Fuzz(func(t *testing.T, sig, ts, nonce, body string) {
		q := url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {nonce}}
		r := httptest.NewRequest(http.MethodPost, "/?"+q.Encode(), strings.NewReader(body))
		ev, err := ParseCallback(r, cfg)
		if err == nil && ev == nil {
			t.Fatal("nil event without error")
		}
	})
}

type fuzzForm struct {
	A string        `dingtalk:"a"`
	N int           `dingtalk:"n"`
	M hetong.Amount `dingtalk:"m"`
	T time.Time     `dingtalk:"t"`
	L []string      `dingtalk:"l"`
	R []struct {
		M   hetong.Amount `dingtalk:"m"`
		F   []Attachment  `dingtalk:"f"`
		Sub []struct {
			X float64 `dingtalk:"x"`
		} `dingtalk:"sub"`
	} `dingtalk:"r"`
}

// FuzzFormDecode decodes arbitrary values into every supported field kind.
func FuzzFormDecode(f *testing.F) {
	f.Add("12.50", `[{"rowValue":[{"label":"m","value":"1"},{"label":"sub","value":"[[{\"name\":\"x\",\"value\":\"2\"}]]"}]}]`)
	f.Add("", "")
	f.Add("x", "[[]]")
	f.Fuzz(func(t *testing.T, v, table string) {
		fv := FormValues{{Name: "a", Value: v}, {Name: "n", Value: v}, {Name: "m", Value: v}, {Name: "t", Value: v},
			{Name: "l", Value: v}, {Name: "r", Value: table}}
		var out fuzzForm
		_ = fv.Decode(&out)
		_, _ = ParseTable(table)
	})
}

// FuzzCheckOld runs the oapi envelope check on arbitrary bodies.
func FuzzCheckOld(f *testing.F) {
	f.Add(200, `{"errcode":88,"sub_code":"40014","errmsg":"x"}`)
	f.Add(200, `{"status":1111,"punish":"deny"}`)
	f.Add(502, `<html></html>`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		r := &transport.Response{StatusCode: status, Header: http.Header{}, Body: []byte(body)}
		if _, err := checkOld(r); err == nil && status/100 != 2 {
			t.Fatalf("HTTP %d accepted", status)
		}
		_, _ = checkNew(r)
	})
}

// FuzzParseMoney checks that a parsed amount parses back to itself.
func FuzzParseMoney(f *testing.F) {
	f.Add("3500.00")
	f.Add("-0.5")
	f.Add("1,234")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			return
		}
		back, err := ParseMoney(m.String())
		if err != nil || back.Cmp(m) != 0 {
			t.Fatalf("%q → %v → %q → %v (%v)", s, m, m.String(), back, err)
		}
	})
}
