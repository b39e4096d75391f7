package zhenling

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/transport"
)

func resp(status int, ctype, body string) *transport.Response {
	h := http.Header{}
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	return &transport.Response{StatusCode: status, Header: h, Body: []byte(body)}
}

func TestDecodeResponse(t *testing.T) {
	type want struct {
		code, msg, data string
		errCode         string
		errMsg          string
		kind            transport.Kind
		verdict         transport.Verdict
	}
	cases := map[string]struct {
		r *transport.Response
		w want
	}{
		"query result": {resp(200, "application/json", `{"message":"execute success","result":{"code":"0","msg":"查询成功","data":{"content":[]}},"success":true}`),
			want{code: "0", msg: "查询成功", data: `{"content":[]}`}},
		"errcode result": {resp(200, "application/json", `{"message":"ok","result":{"errcode":"0","errmsg":"ok","data":{"id":38457}},"success":true}`),
			want{code: "0", msg: "ok", data: `{"id":38457}`}},
		"data import result": {resp(200, "", `{"success":true,"result":{"data":[{"batchId":"b"}]}}`),
			want{data: `[{"batchId":"b"}]`}},
		"array result": {resp(200, "", `{"success":true,"result":[1,2]}`), want{data: `[1,2]`}},
		"null result":  {resp(200, "", `{"success":true,"result":null}`), want{}},
		"bare inner":   {resp(200, "", `{"code":"0","data":{"x":1}}`), want{code: "0", data: `{"x":1}`}},
		"numeric code": {resp(200, "", `{"success":true,"result":{"code":0,"data":1}}`), want{code: "0", data: `1`}},
		"business code": {resp(200, "", `{"success":true,"result":{"code":"E100","msg":"合同不存在"}}`),
			want{errCode: "E100", errMsg: "合同不存在"}},
		"errcode failure": {resp(200, "", `{"success":true,"result":{"errcode":"40004","errmsg":"付款计划不存在"}}`),
			want{errCode: "40004", errMsg: "付款计划不存在"}},
		"success false": {resp(200, "", `{"success":false,"message":"script error","result":null}`),
			want{errCode: "success=false", errMsg: "script error"}},
		"success false string": {resp(200, "", `{"success":"false","message":"x","result":{"code":"E2","msg":"y"}}`),
			want{errCode: "E2", errMsg: "y"}},
		"hzero failed 200": {resp(200, "application/json", `{"failed":true,"code":"error.error","message":"程序出现错误","type":"warn"}`),
			want{errCode: "error.error", errMsg: "程序出现错误"}},
		"hzero 500": {resp(500, "application/json", `{"failed":true,"code":"error.error","message":"boom","type":"error"}`),
			want{errCode: "error.error", errMsg: "boom", verdict: transport.RetryIfIdempotent}},
		"oauth 401": {resp(401, "application/json", `{"error":"invalid_token","error_description":"Invalid access token: x"}`),
			want{errCode: "invalid_token", errMsg: "Invalid access token: x"}},
		"429 json": {resp(429, "application/json", `{"failed":true,"code":"error.too_many","message":"slow down"}`),
			want{errCode: "error.too_many", errMsg: "slow down", verdict: transport.RetrySafe}},
		"404 unknown json": {resp(404, "application/json", `{"timestamp":1,"status":404}`), want{errCode: "", errMsg: ""}},
		"html 200":         {resp(200, "text/html", `<html>login</html>`), want{kind: transport.KindNotJSON}},
		"html 502":         {resp(502, "text/html", `<html>bad gateway</html>`), want{kind: transport.KindNotJSON, verdict: transport.RetryIfIdempotent}},
		"text 503":         {resp(503, "", `upstream connect error`), want{kind: transport.KindNotJSON, verdict: transport.RetryIfIdempotent}},
		"truncated json":   {resp(200, "application/json", `{"success":true,"result":{"code":"0"`), want{kind: transport.KindDecode}},
		"empty 200":        {resp(200, "application/json", ``), want{kind: transport.KindDecode}},
		"bad inner":        {resp(200, "", `{"success":true,"result":{"code":{}}}`), want{kind: transport.KindDecode}},
	}
	for name, tc := range cases {
		res, v, err := decodeResponse(tc.r)
		assert.Equal(t, tc.w.verdict, v, name)
		switch {
		case tc.w.kind != 0:
			var te *transport.Error
			require.True(t, errors.As(err, &te), "%s: %v", name, err)
			assert.Equal(t, tc.w.kind, te.Kind, name)
			assert.Nil(t, res, name)
		case tc.w.errCode != "" || tc.w.errMsg != "" || tc.r.StatusCode >= 400:
			var ze *Error
			require.True(t, errors.As(err, &ze), "%s: %v", name, err)
			assert.Equal(t, tc.w.errCode, ze.Code, name)
			assert.Equal(t, tc.w.errMsg, ze.Message, name)
			assert.Equal(t, tc.r.StatusCode, ze.HTTPStatus, name)
			assert.NotEmpty(t, ze.Raw, name)
		default:
			require.NoError(t, err, name)
			assert.Equal(t, tc.w.code, res.Code, name)
			assert.Equal(t, tc.w.msg, res.Message, name)
			assert.Equal(t, tc.w.data, string(res.Data), name)
		}
	}
}

func TestDecodePageShapes(t *testing.T) {
	p, err := decodePage[Contract]([]byte(`[{"id":1},{"id":"2"}]`))
	require.NoError(t, err)
	assert.True(t, p.Last)
	assert.Len(t, p.Content, 2)
	assert.Equal(t, "2", string(p.Content[1].ID))
	p, err = decodePage[Contract](nil)
	require.NoError(t, err)
	assert.True(t, p.Last)
	_, err = decodePage[Contract]([]byte(`{"content":[{"id":{}}]}`))
	assert.Error(t, err)
}

func TestPickString(t *testing.T) {
	assert.Equal(t, "k1", pickString([]byte(`"k1"`), "fileKey"))
	assert.Equal(t, "k2", pickString([]byte(`{"fileUrl":"k2"}`), "fileKey", "fileUrl"))
	assert.Equal(t, "k3", pickString([]byte(`[{"fileKey":"k3"}]`), "fileKey"))
	assert.Equal(t, "", pickString([]byte(`{"fileKey":{}}`), "fileKey"))
	assert.Equal(t, "k4", pickString([]byte(`{"fileKey":"k4","x":{}}`), "fileKey"))
	assert.Equal(t, "", pickString([]byte(`nope`), "fileKey"))
}

func TestErrorStringAndIsCode(t *testing.T) {
	e := &Error{Op: "3.24", Code: "E1", Message: "坏了", HTTPStatus: 200, RequestID: "r1", Raw: `{"x":1}`}
	assert.Equal(t, `zhenling: 3.24: 坏了 (code E1, request r1, HTTP 200)`, e.Error())
	assert.Equal(t, `&zhenling.Error{"zhenling: 3.24: 坏了 (code E1, request r1, HTTP 200)"}`, fmt.Sprintf("%#v", e))
	assert.True(t, IsCode(e, "E1"))
	assert.False(t, IsCode(errors.New("E1"), "E1"))
	assert.Equal(t, "zhenling: call failed", (&Error{}).Error())
	inner := &transport.Error{Kind: transport.KindNetwork, Method: "POST", URL: "https://oc/x", StatusCode: 0, Err: errors.New("connection refused")}
	assert.Equal(t, "zhenling: 3.24: POST https://oc/x: network error: connection refused", (&Error{Op: "3.24", Err: inner}).Error())
}
