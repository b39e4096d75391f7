package essbasic

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hetong-go/hetong/internal/transport"
)

// FuzzParseCallback: no input may panic, and anything accepted with a key
// and token must carry a MsgType (or be the probe).
func FuzzParseCallback(f *testing.F) {
	f.Add([]byte(`{}`), "")
	f.Add([]byte(`{"encrypt":"AAAAAAAAAAAAAAAAAAAAAA=="}`), "sha256=00")
	f.Add([]byte(`{"encrypt":""}`), "")
	f.Add([]byte(flowMsg), "")
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		for _, cfg := range []CallbackConfig{{Key: testKey}, {}, {Key: testKey, Token: testToken}} {
			r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
			r.Header.Set("Content-Signature", sig)
			ev, err := ParseCallback(r, cfg)
			if err == nil && !ev.Probe && ev.MsgType == "" {
				t.Fatalf("accepted an event without MsgType: %q", body)
			}
			if err == nil && cfg.Token != "" && !ev.Probe && sig != CallbackSignature(testToken, body) &&
				"sha256="+sig != CallbackSignature(testToken, body) {
				t.Fatalf("accepted a bad signature %q", sig)
			}
		}
	})
}

// FuzzDecodeCallbackPlaintext targets the decrypted-message decoder and the
// typed decoders.
func FuzzDecodeCallbackPlaintext(f *testing.F) {
	f.Add([]byte(flowMsg))
	f.Add([]byte(`{"MsgType":"OrgAuth","MsgData":{"AuthSuccess":"yes"}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, plain []byte) {
		ev, err := decodeCallback(plain)
		if err != nil {
			return
		}
		_, _ = ev.FlowStatusChange()
		_, _ = ev.PartnerMessage()
	})
}

// FuzzCheckResponse: the envelope parser never panics and never calls an
// error body a success.
func FuzzCheckResponse(f *testing.F) {
	f.Add(200, []byte(`{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}`))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	f.Add(200, []byte(`{"Response":{"RequestId":"r"}}`))
	f.Add(200, []byte(`{"code":4000,"message":"legacy","codeDesc":"InvalidParameter"}`))
	c := &Client{}
	tc, err := transport.New(transport.Settings{})
	if err != nil {
		f.Fatal(err)
	}
	c.tc = tc
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var out DescribeFlowDetailInfoResponse
		_, err := c.check(call{action: "A", returns: true}, &transport.Response{StatusCode: status, Header: http.Header{}, Body: body}, &out)
		if err == nil && bytes.Contains(body, []byte(`"Error":{"Code":"X`)) {
			h, _ := parseHead(body)
			if h.Error != nil && h.Error.Code != "" {
				t.Fatalf("error envelope accepted: %q", body)
			}
		}
	})
}
