package zhenling

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// FuzzDecodeResponse feeds arbitrary bodies and statuses to the envelope
// decoder: it must never panic, and must return either a result or a
// typed error.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, []byte(`{"message":"execute success","result":{"code":"0","msg":"ok","data":{"content":[]}},"success":true}`))
	f.Add(401, []byte(`{"error":"invalid_token","error_description":"x"}`))
	f.Add(500, []byte(`{"failed":true,"code":"error.error","message":"m","type":"warn"}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 200
		}
		res, _, err := decodeResponse(&transport.Response{StatusCode: status, Header: http.Header{}, Body: body})
		if err == nil && res == nil {
			t.Fatal("no result and no error")
		}
		if err != nil {
			var ze *Error
			var te *transport.Error
			if !errors.As(err, &ze) && !errors.As(err, &te) {
				t.Fatalf("untyped error %T", err)
			}
			_ = err.Error()
		}
		if res != nil {
			_, _ = decodePage[Contract](res.Data)
			_, _ = decodeReceipt(res)
			_ = pickString(res.Data, "fileKey")
		}
	})
}

// FuzzParseCallback feeds arbitrary callback bodies: the parser must never
// panic and must reject or return at least one event.
func FuzzParseCallback(f *testing.F) {
	f.Add([]byte(`{"code":"0","subCode":"CREATED","sourceSystem":"oms","sourceCode":"S1","batchId":"b1"}`))
	f.Add([]byte(`{"batchId":"b","data":[{"code":"SUCCESS","sourceCode":1}]}`))
	f.Add([]byte(`[{"code":"FAILED"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/cb", bytes.NewReader(body))
		evs, err := ParseCallback(r, CallbackConfig{MaxBody: 1 << 16})
		if err != nil {
			var ce *callback.Error
			if !errors.As(err, &ce) || ce.Status < 400 {
				t.Fatalf("want a 4xx callback error, got %v", err)
			}
			return
		}
		if len(evs) == 0 {
			t.Fatal("no events and no error")
		}
	})
}

// FuzzDecodeTypedAgrees holds the one-pass decoder to the general one:
// for any body, both fail or both give the same rows.
func FuzzDecodeTypedAgrees(f *testing.F) {
	f.Add([]byte(`{"message":"execute success","result":{"code":"0","msg":"ok","data":{"content":[{"id":"1"}],"last":true}},"success":true}`))
	f.Add([]byte(`{"success":true,"result":{"errcode":"0","data":[{"id":2}]}}`))
	f.Add([]byte(`{"success":true,"result":{"code":"E1","msg":"x"}}`))
	f.Add([]byte(`{"code":"0","data":{"content":[]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := &transport.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
		w := wirePage[Contract]{want: 3}
		_, fastErr := decodeTyped(r, &w, true, decodeWirePage[Contract])
		res, _, slowErr := decodeResponse(r)
		var slow *Page[Contract]
		if slowErr == nil {
			if isEmptyJSON(res.Data) {
				slowErr = errNoData
			} else {
				slow, slowErr = decodePage[Contract](res.Data)
			}
		}
		if (fastErr == nil) != (slowErr == nil) {
			t.Fatalf("fast %v, slow %v", fastErr, slowErr)
		}
		if fastErr == nil && len(w.page().Content) != len(slow.Content) {
			t.Fatalf("fast %d rows, slow %d", len(w.page().Content), len(slow.Content))
		}
	})
}

// FuzzStringAgreesWithFlex holds String's fast path to the shared
// flexible decoder.
func FuzzStringAgreesWithFlex(f *testing.F) {
	for _, s := range []string{`"abc"`, `"a\"b"`, `"\u00e9"`, `12345678901234567890`, `null`, `true`, "\"\xff\"", `"合同"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		var got String
		var want flex.String
		gotErr, wantErr := json.Unmarshal(b, &got), json.Unmarshal(b, &want)
		if (gotErr == nil) != (wantErr == nil) || string(got) != string(want) {
			t.Fatalf("%q: got %q %v, flex %q %v", b, got, gotErr, want, wantErr)
		}
	})
}
