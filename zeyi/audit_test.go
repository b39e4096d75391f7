//lint:file-ignore SA1008 zeyi sends its header names in the doc's exact case (appKey, nonce, sign), so the tests read the header map directly

package zeyi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const okEnvelope = `{"success":true,"businessException":false,"errorCode":null,"message":null,"result":null}`

var fixedNow = time.UnixMilli(1643251533306)

// mockClient returns a client on its own httpmock transport with a fixed clock.
func mockClient(t *testing.T, cfg Config, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	if cfg.AppKey == "" {
		cfg.AppKey, cfg.AppSecret = vecAppKey, vecAppSecret
	}
	opts = append([]Option{WithBaseURL("https://gw.example/tms-service-api"), WithTransport(mt),
		WithClock(func() time.Time { return fixedNow }), WithRetry(RetryPolicy{MaxAttempts: 1})}, opts...)
	c, err := NewClient(cfg, opts...)
	require.NoError(t, err)
	return c, mt
}

type captured struct {
	header http.Header
	body   []byte
}

// capture registers a responder that records the request and answers body.
func capture(mt *httpmock.MockTransport, path string, status int, body string) *captured {
	var got captured
	mt.RegisterResponder(http.MethodPost, "https://gw.example/tms-service-api/"+path, func(r *http.Request) (*http.Response, error) {
		got.header = r.Header.Clone()
		got.body, _ = io.ReadAll(r.Body)
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	return &got
}

func TestSendAuditExactBytes(t *testing.T) {
	c, mt := mockClient(t, Config{})
	got := capture(mt, "audit/send", 200, `{"success":true,"businessException":false,"errorCode":null,"message":null,"result":{"code":"SP001","auditId":1234567890123456789}}`)
	res, err := c.SendAudit(context.Background(), &SendAuditRequest{
		Code: "JR202510110000001", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001", OrgCode: "ORG1",
		AuditFormList:      []FormItem{TextItem("金额", "100.00"), FileItem("附件", "https://files.example/a.pdf?v=1&sig=<x>")},
		ConditionParamList: []ConditionParam{{Name: "amount", Value: "100"}},
	})
	require.NoError(t, err)
	assert.Equal(t, &SendAuditResponse{Code: "SP001", AuditID: "1234567890123456789"}, res)
	want := `{"code":"JR202510110000001","auditType":"JINRUN_VEHICLE_FEE_AUDIT","originatorUsername":"E001","orgCode":"ORG1",` +
		`"auditFormList":[{"type":"text","key":"金额","value":"100.00"},{"type":"file","key":"附件","value":"https://files.example/a.pdf?v=1&sig=<x>"}],` +
		`"conditionParamList":[{"name":"amount","value":"100"}]}`
	assert.Equal(t, want, string(got.body))
	h := got.header
	assert.Equal(t, []string{vecAppKey}, h["appKey"])
	assert.Equal(t, []string{vecTimestamp}, h["timestamp"])
	require.Len(t, h["nonce"], 1)
	assert.Regexp(t, regexp.MustCompile(`^[a-z0-9]{6}$`), h["nonce"][0])
	assert.Equal(t, []string{Sign(vecAppKey, vecAppSecret, vecTimestamp, h["nonce"][0], got.body)}, h["sign"])
	assert.Equal(t, ContentType, h.Get("Content-Type"))
	assert.NotContains(t, string(got.body), vecAppSecret)
}

func TestSendAuditSeedNullResult(t *testing.T) {
	c, mt := mockClient(t, Config{})
	capture(mt, "audit/send", 200, okEnvelope)
	res, err := c.SendAudit(context.Background(), &SendAuditRequest{ID: "B1", AuditType: "T", Username: "E1"})
	require.NoError(t, err)
	assert.Equal(t, &SendAuditResponse{}, res)
}

func TestSendAuditLaterRevisionFields(t *testing.T) {
	c, mt := mockClient(t, Config{})
	got := capture(mt, "audit/send", 200, okEnvelope)
	_, err := c.SendAudit(context.Background(), &SendAuditRequest{ID: "B1", AuditType: "BILL_APPLY_PAY_AUDIT", Username: "E1",
		AuditFormList: []FormItem{{Type: FormText, Name: "金额", Value: "1"}}})
	require.NoError(t, err)
	assert.Equal(t, `{"id":"B1","auditType":"BILL_APPLY_PAY_AUDIT","username":"E1","auditFormList":[{"type":"text","name":"金额","value":"1"}]}`, string(got.body))
}

func TestCancelAuditExactBytes(t *testing.T) {
	c, mt := mockClient(t, Config{})
	got := capture(mt, "audit/cancel", 200, okEnvelope)
	res, err := c.CancelAudit(context.Background(), &CancelAuditRequest{Code: "C1", Type: "T", Remark: "撤销", Username: "E1", AuditID: "9"})
	require.NoError(t, err)
	assert.NotNil(t, res)
	assert.Equal(t, `{"code":"C1","auditId":"9","type":"T","remark":"撤销","username":"E1"}`, string(got.body))
	assert.Equal(t, Sign(vecAppKey, vecAppSecret, vecTimestamp, got.header["nonce"][0], got.body), got.header["sign"][0])
}

func TestEnvelopeErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		status        int
		body          string
		code, msg     string
		business, sys bool
	}{
		"business":                   {200, `{"success":false,"businessException":true,"errorCode":"DUP","message":"已存在审批","result":null}`, "DUP", "已存在审批", true, false},
		"business with success true": {200, `{"success":true,"businessException":true,"errorCode":null,"message":"重复","result":null}`, "", "重复", true, false},
		"system":                     {200, `{"success":false,"businessException":false,"errorCode":500,"message":"系统异常","result":null}`, "500", "系统异常", false, true},
		"in a 4xx":                   {401, `{"success":false,"businessException":false,"errorCode":"SIGN","message":"签名错误"}`, "SIGN", "签名错误", false, true},
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := mockClient(t, Config{})
			capture(mt, "audit/cancel", tc.status, tc.body)
			_, err := c.CancelAudit(context.Background(), &CancelAuditRequest{Code: "C1", Type: "T"})
			var e *Error
			require.True(t, errors.As(err, &e), "%T %v", err, err)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.msg, e.Message)
			assert.Equal(t, tc.business, e.Business)
			assert.Equal(t, tc.sys, e.System)
			assert.Equal(t, tc.status, e.HTTPStatus)
			assert.Equal(t, "CancelAudit", e.Op)
			assert.Equal(t, tc.business, IsBusiness(err))
			if tc.code != "" {
				assert.True(t, IsCode(err, tc.code))
			}
			assert.Contains(t, err.Error(), tc.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "zeyi: CancelAudit: "+tc.msg), err.Error())
			assert.Contains(t, err.Error(), fmt.Sprintf("HTTP %d)", tc.status))
		})
	}
}

func TestNotEnvelope(t *testing.T) {
	for name, body := range map[string]string{
		"json without success": `{"code":0}`,
		"array":                `[1,2]`,
		"bad result":           `{"success":true,"businessException":false,"result":"x"}`,
		"empty body":           ``,
		"empty object":         `{}`,
		"null":                 `null`,
		"white space":          " \n",
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := mockClient(t, Config{})
			capture(mt, "audit/send", 200, body)
			_, err := c.SendAudit(context.Background(), &SendAuditRequest{Code: "C", AuditType: "T", Username: "U"})
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, 200, e.HTTPStatus)
			assert.NotEmpty(t, e.Message)
			assert.Equal(t, 1, strings.Count(err.Error(), "HTTP 200"), "the status is said once: %v", err)
			assert.Equal(t, 1, strings.Count(err.Error(), "zeyi:"), "no doubled prefix: %v", err)
		})
	}
}

func TestValidation(t *testing.T) {
	c, mt := mockClient(t, Config{})
	ok := func() *SendAuditRequest {
		return &SendAuditRequest{Code: "C", AuditType: "T", OriginatorUsername: "U"}
	}
	for want, req := range map[string]*SendAuditRequest{
		"zeyi: SendAudit: SendAuditRequest: required":                    nil,
		"zeyi: SendAudit: SendAuditRequest.Code: required":               {AuditType: "T", OriginatorUsername: "U"},
		"zeyi: SendAudit: SendAuditRequest.Code: required ":              {Code: " ", AuditType: "T", OriginatorUsername: "U"},
		"zeyi: SendAudit: SendAuditRequest.AuditType: required":          {Code: "C", OriginatorUsername: "U"},
		"zeyi: SendAudit: SendAuditRequest.OriginatorUsername: required": {Code: "C", AuditType: "T"},
		"zeyi: SendAudit: SendAuditRequest.AuditFormList[0].Type: must be one of text, file": func() *SendAuditRequest {
			r := ok()
			r.AuditFormList = []FormItem{{Type: "image", Key: "k"}}
			return r
		}(),
		"zeyi: SendAudit: SendAuditRequest.AuditFormList[1].Key: required": func() *SendAuditRequest {
			r := ok()
			r.AuditFormList = []FormItem{TextItem("a", "b"), {Type: FormText}}
			return r
		}(),
		"zeyi: SendAudit: SendAuditRequest.AuditFormList[0].Value: must be an absolute http(s) URL": func() *SendAuditRequest {
			r := ok()
			r.AuditFormList = []FormItem{FileItem("f", "/local/file.pdf")}
			return r
		}(),
		"zeyi: SendAudit: SendAuditRequest.ConditionParamList[0].Name: required": func() *SendAuditRequest {
			r := ok()
			r.ConditionParamList = []ConditionParam{{Value: "1"}}
			return r
		}(),
		"zeyi: SendAudit: SendAuditRequest.AuditFormList[0].Sensitive: needs Config.Encryption": func() *SendAuditRequest {
			r := ok()
			r.AuditFormList = []FormItem{TextItem("id", "secret").Encrypted()}
			return r
		}(),
	} {
		_, err := c.SendAudit(context.Background(), req)
		require.Error(t, err, want)
		assert.EqualError(t, err, strings.TrimSpace(want))
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
	for want, req := range map[string]*CancelAuditRequest{
		"zeyi: CancelAudit: CancelAuditRequest: required":      nil,
		"zeyi: CancelAudit: CancelAuditRequest.Code: required": {Type: "T"},
		"zeyi: CancelAudit: CancelAuditRequest.Type: required": {Code: "C"},
	} {
		_, err := c.CancelAudit(context.Background(), req)
		assert.EqualError(t, err, want)
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
	for _, p := range []string{"", "https://evil.example/steal", "//evil.example/steal", "http://127.0.0.1/x"} {
		_, err := c.Raw(context.Background(), &RawRequest{Path: p})
		require.Error(t, err, p)
		assert.ErrorIs(t, err, ErrInvalidRequest)
		assert.True(t, strings.HasPrefix(err.Error(), "zeyi: Raw: RawRequest.Path: "), err.Error())
	}
	assert.Zero(t, mt.GetTotalCallCount(), "invalid input must never be sent")
}
func TestSensitiveValuesAreEncrypted(t *testing.T) {
	c, mt := mockClient(t, Config{AppKey: vecAppKey, AppSecret: vecAppSecret, Encryption: &Encryption{}})
	got := capture(mt, "audit/send", 200, okEnvelope)
	req := &SendAuditRequest{Code: "C", AuditType: "T", OriginatorUsername: "U",
		AuditFormList: []FormItem{TextItem("plain", "visible"), TextItem("data", vecData).Encrypted()}}
	_, err := c.SendAudit(context.Background(), req)
	require.NoError(t, err)
	var sent SendAuditRequest
	require.NoError(t, json.Unmarshal(got.body, &sent))
	assert.Equal(t, "visible", sent.AuditFormList[0].Value)
	assert.Equal(t, vecCipherText, sent.AuditFormList[1].Value, "fixed-IV vector")
	assert.Equal(t, vecData, req.AuditFormList[1].Value, "the caller's request is not modified")
	pt, err := c.Cipher().Decrypt(sent.AuditFormList[1].Value)
	require.NoError(t, err)
	assert.Equal(t, vecData, string(pt))
}

func TestRaw(t *testing.T) {
	c, mt := mockClient(t, Config{})
	got := capture(mt, "audit/query", 200, `{"success":true,"businessException":false,"result":{"status":"RUNNING"}}`)
	res, err := c.Raw(context.Background(), &RawRequest{Path: "audit/query", Body: map[string]string{"code": "C"}, Idempotent: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"status":"RUNNING"}`, string(res.Result))
	assert.Equal(t, 200, res.HTTPStatus)
	assert.Equal(t, `{"code":"C"}`, string(got.body))

	got = capture(mt, "audit/ping", 200, okEnvelope)
	res, err = c.Raw(context.Background(), &RawRequest{Path: "audit/ping"})
	require.NoError(t, err)
	assert.Equal(t, "null", string(res.Result))
	assert.Empty(t, got.body)
	assert.Equal(t, Sign(vecAppKey, vecAppSecret, vecTimestamp, got.header["nonce"][0], nil), got.header["sign"][0])
}

func TestSensitiveValuesRandomIVPrefix(t *testing.T) {
	key := "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // 32 bytes
	c, mt := mockClient(t, Config{AppKey: vecAppKey, AppSecret: vecAppSecret, Encryption: &Encryption{Mode: RandomIVPrefix, AESSecret: key}})
	got := capture(mt, "audit/send", 200, okEnvelope)
	item := TextItem("身份证", "310101199001011234").Encrypted()
	item.ExtendValue = "extra"
	_, err := c.SendAudit(context.Background(), &SendAuditRequest{Code: "C", AuditType: "T", OriginatorUsername: "U",
		AuditFormList: []FormItem{item}})
	require.NoError(t, err)
	var sent struct {
		AuditFormList []map[string]string `json:"auditFormList"`
	}
	require.NoError(t, json.Unmarshal(got.body, &sent))
	f := sent.AuditFormList[0]
	assert.Equal(t, map[string]string{"type": "text", "key": "身份证", "value": f["value"], "extendValue": "extra"}, f)
	assert.NotContains(t, string(got.body), "310101199001011234")
	pt, err := c.Cipher().Decrypt(f["value"])
	require.NoError(t, err)
	assert.Equal(t, "310101199001011234", string(pt))
	// The signature covers the encrypted bytes that were sent.
	assert.Equal(t, Sign(vecAppKey, vecAppSecret, vecTimestamp, got.header["nonce"][0], got.body), got.header["sign"][0])
}

// TestAmountItem: an exact amount goes on the wire as given, never
// through float64.
func TestAmountItem(t *testing.T) {
	c, mt := mockClient(t, Config{})
	got := capture(mt, "audit/send", 200, okEnvelope)
	amount, err := hetong.ParseAmount("12345678901234567.10")
	require.NoError(t, err)
	_, err = c.SendAudit(context.Background(), &SendAuditRequest{Code: "C", AuditType: "T", OriginatorUsername: "U",
		AuditFormList: []FormItem{AmountItem("金额", amount), AmountItem("手续费", hetong.AmountFromFen(5))}})
	require.NoError(t, err)
	assert.Contains(t, string(got.body), `{"type":"text","key":"金额","value":"12345678901234567.10"}`)
	assert.Contains(t, string(got.body), `{"type":"text","key":"手续费","value":"0.05"}`)
}

// TestRetryDoesNotKeepAFailedAttemptsResult: the result decoded from a
// failed attempt is dropped; the retry's null result is what is returned.
func TestRetryDoesNotKeepAFailedAttemptsResult(t *testing.T) {
	c, mt := mockClient(t, Config{}, WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	n := 0
	mt.RegisterResponder(http.MethodPost, "https://gw.example/tms-service-api/audit/query", func(r *http.Request) (*http.Response, error) {
		n++
		body, status := okEnvelope, 200
		if n == 1 {
			body, status = `{"success":false,"businessException":false,"errorCode":"BUSY","message":"忙","result":{"stale":true}}`, 503
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	res, err := c.Raw(context.Background(), &RawRequest{Path: "audit/query", Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, "null", string(res.Result))
}
