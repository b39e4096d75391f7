package kingdee_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/kingdee"
)

// The fact sheet's signed-header vector (synthetic credentials).
var vectorConfig = kingdee.Config{
	BaseURL: "https://erp.example.com/k3cloud/",
	AcctID:  "62f3c9b0acct", Username: "tester", LCID: 2052, OrgNum: "100",
	AppID: "200000_bXlfZmFrZV9hcHBfc2VjcmV0XzEyMzQ1", AppSecret: "0123456789abcdef0123456789abcdef",
}

const (
	saveURL  = "https://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"
	queryURL = "https://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc"
	okSave   = `{"Result":{"ResponseStatus":{"ErrorCode":0,"IsSuccess":true,"Errors":[],"SuccessEntitys":[{"Id":100024,"Number":"FKSQ000001","DIndex":0}],"SuccessMessages":[],"MsgCode":0},"Id":100024,"Number":"FKSQ000001","NeedReturnData":[{}]}}`
)

// captured is one request seen by a mock responder.
type captured struct {
	URL    string
	Header http.Header
	Body   string
}

type recorder struct {
	mu   sync.Mutex
	reqs []captured
}

func (r *recorder) respond(status int, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, captured{req.URL.String(), req.Header.Clone(), string(b)})
		r.mu.Unlock()
		return httpmock.NewStringResponse(status, body), nil
	}
}

func fixedClock() time.Time { return time.Unix(1700000000, 0) }

func mockClient(t *testing.T, cfg kingdee.Config, opts ...kingdee.Option) (*kingdee.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]kingdee.Option{kingdee.WithTransport(mt), kingdee.WithClock(fixedClock), kingdee.WithRateLimit(0, 0),
		kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})}, opts...)
	c, err := kingdee.NewClient(cfg, opts...)
	require.NoError(t, err)
	return c, mt
}

// The vector's signature is reproduced on the wire, byte for byte, with
// the exact body the seed's fields produce.
func TestSaveSendsVectorHeadersAndExactBody(t *testing.T) {
	// WithRandom fixes the nonce: 16 bytes 0x01..0x10 give this hex text.
	const nonce = "0102030405060708090a0b0c0d0e0f10"
	c, mt := mockClient(t, vectorConfig, kingdee.WithRandom(bytes.NewReader([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})))
	var rec recorder
	mt.RegisterResponder(http.MethodPost, saveURL, rec.respond(200, okSave))

	res, err := c.Save(context.Background(), &kingdee.SaveRequest{FormID: kingdee.FormPayApply,
		Model: kingdee.PayApply{BillNo: "FKSQ000001", Remark: "备注", Custom: map[string]any{"F_VAOJ_HKSX": "货款"}},
		SaveOptions: kingdee.SaveOptions{NeedUpDateFields: []string{"FREMARK"}, IsDeleteEntry: hetong.Ptr(false),
			IsVerifyBaseDataField: true, IsAutoSubmitAndAudit: true}})
	require.NoError(t, err)
	assert.Equal(t, "100024", res.ID)
	assert.Equal(t, "FKSQ000001", res.Number)
	assert.Equal(t, []kingdee.Entity{{ID: "100024", Number: "FKSQ000001", DIndex: 0}}, res.Entities)

	require.Len(t, rec.reqs, 1)
	r := rec.reqs[0]
	assert.Equal(t, saveURL, r.URL)
	h := r.Header
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Equal(t, "200000", h.Get("X-Api-ClientID"))
	assert.Equal(t, "2.0", h.Get("X-Api-Auth-Version"))
	assert.Equal(t, "1700000000", h.Get("x-api-timestamp"))
	assert.Equal(t, nonce, h.Get("x-api-nonce"))
	assert.Equal(t, "x-api-timestamp,x-api-nonce", h.Get("x-api-signheaders"))
	want, err := kingdee.SignHeaders(vectorConfig, "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc", "1700000000", nonce)
	require.NoError(t, err)
	assert.Equal(t, want.Get("X-Api-Signature"), h.Get("X-Api-Signature"))
	assert.Equal(t, vectorConfig.AppID, h.Get("X-Kd-Appkey"))
	assert.Equal(t, "NjJmM2M5YjBhY2N0LHRlc3RlciwyMDUyLDEwMA==", h.Get("X-Kd-Appdata"))
	assert.Equal(t, "NjU1ZTA0ZTAwNTRjNjVkNWE1ZjcxNjkzMDBiOWYyYTZhOTRhZGE0MDFiMDliMjQ5ZDk1ZDVjMjJiMjU4NGNhMA==", h.Get("X-Kd-Signature"))
	assert.Equal(t, `{"formid":"CN_PAYAPPLY","data":{"NeedUpDateFields":["FREMARK"],"IsDeleteEntry":false,"IsVerifyBaseDataField":true,"IsAutoSubmitAndAudit":true,"Model":{"FID":0,"FBillNo":"FKSQ000001","FREMARK":"备注","F_VAOJ_HKSX":"货款"}}}`, r.Body)
}

func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1700000000, 0)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
	c, mt := mockClient(t, vectorConfig, kingdee.WithClock(clock))
	var rec recorder
	fail := rec.respond(503, "<html>busy</html>")
	ok := rec.respond(200, `[[1]]`)
	n := 0
	mt.RegisterResponder(http.MethodPost, queryURL, func(r *http.Request) (*http.Response, error) {
		if n++; n == 1 {
			return fail(r)
		}
		return ok(r)
	})
	rows, err := c.ExecuteBillQuery(context.Background(), &kingdee.QueryRequest{FormID: "BD_Currency", FieldKeys: []string{"FCurrencyId"}})
	require.NoError(t, err)
	assert.Len(t, rows, 1)
	require.Len(t, rec.reqs, 2)
	a, b := rec.reqs[0].Header, rec.reqs[1].Header
	assert.NotEqual(t, a.Get("x-api-timestamp"), b.Get("x-api-timestamp"))
	assert.NotEqual(t, a.Get("X-Api-Signature"), b.Get("X-Api-Signature"))
	assert.Equal(t, rec.reqs[0].Body, rec.reqs[1].Body, "the body is marshalled once")
	assert.Equal(t, `{"data":{"FormId":"BD_Currency","FieldKeys":"FCurrencyId","FilterString":"","OrderString":"","TopRowCount":0,"StartRow":0,"Limit":0}}`, rec.reqs[0].Body)
}

func TestMillisecondTimestamps(t *testing.T) {
	c, mt := mockClient(t, vectorConfig, kingdee.WithMillisecondTimestamps())
	var rec recorder
	mt.RegisterResponder(http.MethodPost, saveURL, rec.respond(200, okSave))
	_, err := c.Save(context.Background(), &kingdee.SaveRequest{FormID: "X", Model: map[string]any{"FID": 0}})
	require.NoError(t, err)
	assert.Equal(t, "1700000000000", rec.reqs[0].Header.Get("x-api-timestamp"))
	assert.Regexp(t, "^[0-9a-f]{32}$", rec.reqs[0].Header.Get("x-api-nonce"), "a random nonce, as the .NET SDK sends")
}

// SignHeaders reproduces the fact sheet's vector (ts = nonce = 1700000000).
func TestSignHeadersVector(t *testing.T) {
	h, err := kingdee.SignHeaders(vectorConfig, "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc", "1700000000", "1700000000")
	require.NoError(t, err)
	assert.Equal(t, "NzUwNDg3NWJlMDhkZWQ3MjNmZTJkOTM1OTgxZDlmMzgxYjA0Nzg5MjViNzRiMjExZmFkZWY3Yzg0ZTcyNzRkZA==", h.Get("X-Api-Signature"))
	assert.Equal(t, "NjJmM2M5YjBhY2N0LHRlc3RlciwyMDUyLDEwMA==", h.Get("X-Kd-Appdata"))
	assert.Equal(t, "NjU1ZTA0ZTAwNTRjNjVkNWE1ZjcxNjkzMDBiOWYyYTZhOTRhZGE0MDFiMDliMjQ5ZDk1ZDVjMjJiMjU4NGNhMA==", h.Get("X-Kd-Signature"))
	assert.Equal(t, loginBySignVector, kingdee.LoginSignature(vectorConfig.AcctID, vectorConfig.Username, vectorConfig.AppID, vectorConfig.AppSecret, 1700000000))
	bad := vectorConfig
	bad.AppID = "nope"
	_, err = kingdee.SignHeaders(bad, "/x", "1", "1")
	assert.ErrorIs(t, err, kingdee.ErrInvalidRequest)
}

// A reader that runs dry fails the call before anything is sent.
func TestNonceSourceFailure(t *testing.T) {
	c, mt := mockClient(t, vectorConfig, kingdee.WithRandom(bytes.NewReader(nil)))
	_, err := c.Save(context.Background(), &kingdee.SaveRequest{FormID: "X", Model: map[string]any{"FID": 0}})
	assert.ErrorContains(t, err, "nonce")
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestLoginBodiesAndSessionReuse(t *testing.T) {
	base := "https://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService."
	cases := []struct {
		mode    kingdee.AuthMode
		service string
		body    string
	}{
		{kingdee.AuthValidateUser, "ValidateUser", `{"acctID":"62f3c9b0acct","username":"tester","password":"pa55word!","lcid":2052}`},
		{kingdee.AuthLoginByAppSecret, "LoginByAppSecret", `{"parameters":["62f3c9b0acct","tester","200000_bXlfZmFrZV9hcHBfc2VjcmV0XzEyMzQ1","0123456789abcdef0123456789abcdef",2052]}`},
		// sign = sha256hex of the sorted concatenation, computed independently.
		// The timestamp travels as a JSON number, as Kingdee's SDKs send it.
		{kingdee.AuthLoginBySign, "LoginBySign", `{"parameters":["62f3c9b0acct","tester","200000_bXlfZmFrZV9hcHBfc2VjcmV0XzEyMzQ1",1700000000,"` + loginBySignVector + `",2052]}`},
		// base64("passport-bytes")
		{kingdee.AuthLoginBySimplePassport, "LoginBySimplePassport", `{"parameters":["cGFzc3BvcnQtYnl0ZXM=",2052]}`},
		// DES-CBC key=iv="KingdeeK", vectors from openssl.
		{kingdee.AuthValidateUserEnDeCode, "ValidateUserEnDeCode", `{"parameters":["62f3c9b0acct","lsAY6WXAHvg=","pn1dNdTgWk6u3Fptofsp7Q==",2052]}`},
	}
	for _, tc := range cases {
		t.Run(tc.service, func(t *testing.T) {
			cfg := vectorConfig
			cfg.Auth, cfg.Password, cfg.Passport = tc.mode, "pa55word!", []byte("passport-bytes")
			c, mt := mockClient(t, cfg)
			var login, query recorder
			loginOK := login.respond(200, `{"Message":null,"LoginResultType":1,"KDSVCSessionId":"sid-0123456789","IsSuccessByAPI":true,"Context":{"UserToken":"tok-abcdef"}}`)
			mt.RegisterResponder(http.MethodPost, base+tc.service+".common.kdsvc", func(r *http.Request) (*http.Response, error) {
				resp, err := loginOK(r)
				resp.Header.Add("Set-Cookie", "kdservice-sessionid=sid-0123456789; Path=/; HttpOnly")
				resp.Header.Add("Set-Cookie", "ASP.NET_SessionId=asp-0123456789; Path=/; HttpOnly")
				return resp, err
			})
			mt.RegisterResponder(http.MethodPost, queryURL, query.respond(200, `[]`))
			q := &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}}
			for i := 0; i < 2; i++ {
				_, err := c.ExecuteBillQuery(context.Background(), q)
				require.NoError(t, err)
			}
			require.Len(t, login.reqs, 1, "one login for two calls")
			assert.Equal(t, tc.body, login.reqs[0].Body)
			assert.Empty(t, login.reqs[0].Header.Get("X-Api-Signature"), "login modes do not sign headers")
			require.Len(t, query.reqs, 2)
			for _, r := range query.reqs {
				assert.Equal(t, "sid-0123456789", r.Header.Get("kdservice-sessionid"))
				assert.Contains(t, r.Header.Get("Cookie"), "kdservice-sessionid=sid-0123456789")
				assert.Contains(t, r.Header.Get("Cookie"), "ASP.NET_SessionId=asp-0123456789")
			}
		})
	}
}

// sha256sum of "0123…cdef" + "1700000000" + "200000_bXlf…" + "62f3c9b0acct" + "tester" (the sorted parts).
const loginBySignVector = "1de3cc2eeebba07bbf9f20316a969377cda9d6abedc84ffe6573d7da9257eff1"

func TestLoginRefused(t *testing.T) {
	cfg := vectorConfig
	cfg.Auth, cfg.Password = kingdee.AuthValidateUser, "wrong-password"
	c, mt := mockClient(t, cfg)
	mt.RegisterResponder(http.MethodPost, "https://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc",
		httpmock.NewStringResponder(200, `{"Message":"用户名或密码错误！","LoginResultType":0,"KDSVCSessionId":null,"IsSuccessByAPI":false}`))
	_, err := c.Save(context.Background(), &kingdee.SaveRequest{FormID: "X", Model: map[string]any{"FID": 0}})
	require.ErrorIs(t, err, kingdee.ErrAuth)
	assert.Contains(t, err.Error(), "用户名或密码错误")
	assert.Contains(t, err.Error(), "LoginResultType 0")
	assert.NotContains(t, err.Error(), "wrong-password")
	assert.Zero(t, mt.GetCallCountInfo()["POST "+saveURL], "nothing is saved without a session")
}

func TestNewClientValidation(t *testing.T) {
	cases := map[string]struct {
		mutate func(*kingdee.Config)
		opts   []kingdee.Option
		want   string
	}{
		"server url":        {func(c *kingdee.Config) { c.BaseURL = "" }, nil, "Config.BaseURL: required"},
		"bad url":           {func(c *kingdee.Config) { c.BaseURL = "erp.example.com/k3cloud" }, nil, "Config.BaseURL"},
		"acct":              {func(c *kingdee.Config) { c.AcctID = " " }, nil, "Config.AcctID"},
		"user":              {func(c *kingdee.Config) { c.Username = "" }, nil, "Config.Username"},
		"app id":            {func(c *kingdee.Config) { c.AppID = "" }, nil, "Config.AppID: required"},
		"app id form":       {func(c *kingdee.Config) { c.AppID = "200000_tooshort" }, nil, `Config.AppID: want "<clientId>_<32-character key>"`},
		"app id b64":        {func(c *kingdee.Config) { c.AppID = "200000_" + strings.Repeat("!", 32) }, nil, "not base64"},
		"secret":            {func(c *kingdee.Config) { c.AppSecret = "" }, nil, "Config.AppSecret"},
		"password":          {func(c *kingdee.Config) { c.Auth = kingdee.AuthValidateUser }, nil, "Config.Password"},
		"password endecode": {func(c *kingdee.Config) { c.Auth, c.Password = kingdee.AuthValidateUserEnDeCode, "  " }, nil, "Config.Password: required"},
		"passport":          {func(c *kingdee.Config) { c.Auth = kingdee.AuthLoginBySimplePassport }, nil, "Config.Passport: required"},
		"mode":              {func(c *kingdee.Config) { c.Auth = 9 }, nil, "Config.Auth"},
		"lcid":              {func(c *kingdee.Config) { c.LCID = -1 }, nil, "Config.LCID"},
		"timeout":           {func(*kingdee.Config) {}, []kingdee.Option{kingdee.WithTimeout(0)}, "timeout"},
		"retry":             {func(*kingdee.Config) {}, []kingdee.Option{kingdee.WithRetry(kingdee.RetryPolicy{})}, "MaxAttempts"},
		"transport":         {func(*kingdee.Config) {}, []kingdee.Option{kingdee.WithTransport(nil)}, "transport"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := vectorConfig
			tc.mutate(&cfg)
			c, err := kingdee.NewClient(cfg, tc.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), vectorConfig.AppSecret)
		})
	}
	// ValidateUser needs no AppID; WithBaseURL stands in for BaseURL.
	_, err := kingdee.NewClient(kingdee.Config{AcctID: "a", Username: "u", Password: "p", Auth: kingdee.AuthValidateUser},
		kingdee.WithBaseURL("https://erp.example.com/k3cloud/"))
	assert.NoError(t, err)
}

func TestInputValidationSendsNothing(t *testing.T) {
	c, mt := mockClient(t, vectorConfig)
	ctx := context.Background()
	cases := map[string]struct {
		call func() error
		want string
	}{
		"save nil":   {func() error { _, err := c.Save(ctx, nil); return err }, "SaveRequest"},
		"save form":  {func() error { _, err := c.Save(ctx, &kingdee.SaveRequest{Model: kingdee.PayApply{}}); return err }, "SaveRequest.FormID"},
		"save model": {func() error { _, err := c.Save(ctx, &kingdee.SaveRequest{FormID: "X"}); return err }, "SaveRequest.Model: required"},
		"save empty map": {func() error {
			_, err := c.Save(ctx, &kingdee.SaveRequest{FormID: "X", Model: map[string]any{}})
			return err
		}, "SaveRequest.Model"},
		"save slice": {func() error {
			_, err := c.Save(ctx, &kingdee.SaveRequest{FormID: "X", Model: []kingdee.PayApply{{}}})
			return err
		}, "use BatchSave"},
		"batch empty": {func() error {
			_, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: "X", Models: []kingdee.PayApply{}})
			return err
		}, "BatchSaveRequest.Models: must not be empty"},
		"batch one": {func() error {
			_, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: "X", Models: kingdee.PayApply{}})
			return err
		}, "must be a slice"},
		"batch nil ptr": {func() error {
			var p *[]kingdee.PayApply
			_, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: "X", Models: p})
			return err
		}, "BatchSaveRequest.Models: required"},
		"submit none": {func() error {
			_, err := c.Submit(ctx, &kingdee.SubmitRequest{Bills: kingdee.Bills{FormID: "X"}})
			return err
		}, "SubmitRequest.Numbers"},
		"audit form": {func() error { _, err := c.Audit(ctx, &kingdee.AuditRequest{}); return err }, "AuditRequest.FormID"},
		"delete comma": {func() error {
			_, err := c.Delete(ctx, &kingdee.DeleteRequest{Bills: kingdee.Bills{FormID: "X", IDs: []string{"1,2"}}})
			return err
		}, "DeleteRequest.IDs"},
		"query keys": {func() error { _, err := c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: "X"}); return err }, "QueryRequest.FieldKeys"},
		"query form": {func() error {
			_, err := c.BillQuery(ctx, &kingdee.QueryRequest{FieldKeys: []string{"FID"}})
			return err
		}, "QueryRequest.FormID"},
		"query neg": {func() error {
			_, err := c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: "X", FieldKeys: []string{"FID"}, Limit: -1})
			return err
		}, "must not be negative"},
		"view": {func() error { _, err := c.View(ctx, &kingdee.ViewRequest{FormID: "X"}); return err }, "ViewRequest.Number"},
		"push": {func() error { _, err := c.Push(ctx, &kingdee.PushRequest{FormID: "X"}); return err }, "PushRequest.Numbers"},
		"allocate": {func() error {
			_, err := c.Allocate(ctx, &kingdee.AllocateRequest{FormID: "X", PkIDs: []string{"1"}})
			return err
		}, "AllocateRequest.TOrgIDs"},
		"op": {func() error { _, err := c.ExecuteOperation(ctx, &kingdee.ExecuteOperationRequest{}); return err }, "OpNumber"},
		"workflow": {func() error {
			_, err := c.WorkflowAudit(ctx, &kingdee.WorkflowAuditRequest{FormID: "X", Numbers: []string{"1"}})
			return err
		}, "ApprovalType"},
		"info": {func() error { _, err := c.QueryBusinessInfo(ctx, &kingdee.BusinessInfoRequest{}); return err }, "BusinessInfoRequest.FormID"},
		"upload": {func() error {
			_, err := c.UploadAttachment(ctx, &kingdee.AttachmentUploadRequest{FormID: "X"})
			return err
		}, "InterID"},
		"download": {func() error {
			_, err := c.DownloadAttachment(ctx, &kingdee.AttachmentDownloadRequest{}, io.Discard)
			return err
		}, "FileID"},
		"raw": {func() error { _, err := c.Raw(ctx, &kingdee.RawRequest{}); return err }, "RawRequest.Service"},
		"report keys": {func() error {
			_, err := c.GetSysReportData(ctx, &kingdee.ReportRequest{FormID: kingdee.FormPayableSummary})
			return err
		}, "ReportRequest.FieldKeys: required"},
		"report form": {func() error { _, err := c.GetSysReportData(ctx, &kingdee.ReportRequest{}); return err }, "ReportRequest.FormID"},
		"report limit": {func() error {
			_, err := c.GetSysReportData(ctx, &kingdee.ReportRequest{FormID: "R", FieldKeys: []string{"F"}, Limit: -1})
			return err
		}, "ReportRequest.Limit: must not be negative"},
		"report key comma": {func() error {
			_, err := c.GetSysReportData(ctx, &kingdee.ReportRequest{FormID: "R", FieldKeys: []string{"A,B"}})
			return err
		}, "ReportRequest.FieldKeys[0]"},
		"group save name": {func() error {
			_, err := c.GroupSave(ctx, &kingdee.GroupSaveRequest{FormID: "BD_MATERIAL", Number: "G1"})
			return err
		}, "GroupSaveRequest.Name: required"},
		"group save number": {func() error {
			_, err := c.GroupSave(ctx, &kingdee.GroupSaveRequest{FormID: "BD_MATERIAL", Name: "n"})
			return err
		}, "GroupSaveRequest.Number: required"},
		"group save parent": {func() error {
			_, err := c.GroupSave(ctx, &kingdee.GroupSaveRequest{FormID: "BD_MATERIAL", Number: "G", Name: "n", ParentID: -1})
			return err
		}, "GroupSaveRequest.ParentID"},
		"group query form": {func() error { _, err := c.QueryGroupInfo(ctx, &kingdee.QueryGroupInfoRequest{}); return err }, "QueryGroupInfoRequest.FormID"},
		"group query ids": {func() error {
			_, err := c.QueryGroupInfo(ctx, &kingdee.QueryGroupInfoRequest{FormID: "X", IDs: []string{""}})
			return err
		}, "QueryGroupInfoRequest.IDs[0]"},
		"group delete ids": {func() error {
			_, err := c.GroupDelete(ctx, &kingdee.GroupDeleteRequest{FormID: "X"})
			return err
		}, "GroupDeleteRequest.GroupPkIDs: required"},
		"flex model": {func() error {
			_, err := c.FlexSave(ctx, &kingdee.FlexSaveRequest{FormID: "X", Model: map[string]any{}})
			return err
		}, "FlexSaveRequest.Model: required"},
		"flex form": {func() error { _, err := c.FlexSave(ctx, &kingdee.FlexSaveRequest{}); return err }, "FlexSaveRequest.FormID"},
		"msg none":  {func() error { _, err := c.SendMsg(ctx, &kingdee.SendMsgRequest{}); return err }, "SendMsgRequest.Messages: required"},
		"msg title": {func() error {
			_, err := c.SendMsg(ctx, &kingdee.SendMsgRequest{Messages: []kingdee.Message{{Receivers: []string{"u"}}}})
			return err
		}, "SendMsgRequest.Messages[0].Title: required"},
		"msg receivers": {func() error {
			_, err := c.SendMsg(ctx, &kingdee.SendMsgRequest{Messages: []kingdee.Message{{Title: "t"}}})
			return err
		}, "SendMsgRequest.Messages[0].Receivers: required"},
		"switch org": {func() error { _, err := c.SwitchOrg(ctx, &kingdee.SwitchOrgRequest{}); return err }, "SwitchOrgRequest.OrgNumber"},
		"disassembly": {func() error {
			_, err := c.Disassembly(ctx, &kingdee.SaveRequest{FormID: "X", Model: []kingdee.PayApply{{}}})
			return err
		}, "SaveRequest.Model"},
		"custom dup": {func() error {
			_, err := c.Save(ctx, &kingdee.SaveRequest{FormID: "X", Model: kingdee.PayApply{Custom: map[string]any{"fbillno": "x"}}})
			return err
		}, `Custom["fbillno"]: duplicates a typed field`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "invalid input never reaches the wire")
}

func TestEnvelopeFailures(t *testing.T) {
	cases := map[string]struct {
		status int
		body   string
		want   string
		code   kingdee.MsgCode
	}{
		"response_error": {200, "response_error:Object reference not set to an instance of an object.", "server framework error", 0},
		"html 200":       {200, "<!DOCTYPE html><html><body>login</body></html>", "HTML page", 0},
		"html 502":       {502, "<html><body>502 Bad Gateway</body></html>", "HTTP 502", 0},
		"truncated":      {200, `{"Result":{"ResponseStatus":{"IsSuccess":fal`, "truncated or invalid JSON", 0},
		"empty":          {200, "", "empty body", 0},
		"msgcode strings": {200, `{"Result":{"ResponseStatus":{"ErrorCode":"500","IsSuccess":"false","MsgCode":"9",
			"Errors":[{"FieldName":"FXXX","Message":"字段不存在","DIndex":"0"}]}}}`, "row 0 field FXXX: 字段不存在", kingdee.MsgCodeNoSuchField},
		"bad types": {200, `{"Result":{"ResponseStatus":{"IsSuccess":{"x":1}}}}`, "cannot decode the response envelope", 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := mockClient(t, vectorConfig)
			mt.RegisterResponder(http.MethodPost, saveURL, httpmock.NewStringResponder(tc.status, tc.body))
			res, err := c.Save(context.Background(), &kingdee.SaveRequest{FormID: "X", Model: map[string]any{"FID": 0}})
			assert.Nil(t, res)
			var ke *kingdee.Error
			require.True(t, errors.As(err, &ke), "%T %v", err, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, tc.code, ke.MsgCode)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "a write is sent once")
		})
	}
}

func TestCallLimitIsRetriedEvenForWrites(t *testing.T) {
	c, mt := mockClient(t, vectorConfig)
	n := 0
	mt.RegisterResponder(http.MethodPost, saveURL, func(r *http.Request) (*http.Response, error) {
		if n++; n == 1 {
			return httpmock.NewStringResponse(200, `{"Result":{"ResponseStatus":{"IsSuccess":false,"MsgCode":14,"Errors":[{"Message":"调用频率超限"}]}}}`), nil
		}
		return httpmock.NewStringResponse(200, okSave), nil
	})
	_, err := c.Save(context.Background(), &kingdee.SaveRequest{FormID: "X", Model: map[string]any{"FID": 0}})
	require.NoError(t, err)
	assert.Equal(t, 2, n, "MsgCode 14 means the server refused before acting")
}
