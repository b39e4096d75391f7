package dingtalk_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
)

const (
	testKey    = "dingappkey123"
	testSecret = "s3cr3t-app-secret-value"
	oldToken   = "oldtoken0123456789abcdef"
	newToken   = "newtoken0123456789abcdef"
)

// mockClient returns a client on the default hosts whose transport is mt.
func mockClient(t *testing.T, mt *httpmock.MockTransport, opts ...dingtalk.Option) *dingtalk.Client {
	t.Helper()
	base := []dingtalk.Option{dingtalk.WithTransport(mt),
		dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})}
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: testKey, AppSecret: testSecret}, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func registerTokens(mt *httpmock.MockTransport) {
	mt.RegisterResponder(http.MethodGet, "https://oapi.dingtalk.com/gettoken?appkey="+testKey+"&appsecret="+testSecret,
		httpmock.NewStringResponder(200, `{"errcode":0,"access_token":"`+oldToken+`","errmsg":"ok","expires_in":7200}`))
	mt.RegisterResponder(http.MethodPost, "https://api.dingtalk.com/v1.0/oauth2/accessToken",
		func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			if string(b) != `{"appKey":"`+testKey+`","appSecret":"`+testSecret+`"}` || r.Header.Get("Content-Type") != "application/json" {
				return httpmock.NewStringResponse(400, `{"code":"invalidClientIdOrSecret","message":"bad body","requestid":"r1"}`), nil
			}
			return httpmock.NewStringResponse(200, `{"accessToken":"`+newToken+`","expireIn":7200}`), nil
		})
}

// capture records the last request body and answers with body.
func capture(got *string, status int, body string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		*got = string(b)
		return httpmock.NewStringResponse(status, body), nil
	}
}

var cst = time.FixedZone("CST", 8*3600)

func TestListInstanceIDsExactBytes(t *testing.T) {
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	var body string
	mt.RegisterResponder(http.MethodPost, "https://oapi.dingtalk.com/topapi/processinstance/listids?access_token="+oldToken,
		capture(&body, 200, `{"errcode":0,"result":{"list":["a1","a2"],"next_cursor":2},"request_id":"rq"}`))
	c := mockClient(t, mt)
	res, err := c.ListInstanceIDs(context.Background(), &dingtalk.ListInstanceIDsRequest{ProcessCode: "PROC-1",
		StartTime: time.Date(2026, 11, 16, 0, 0, 0, 0, cst), EndTime: time.Date(2026, 11, 23, 0, 0, 0, 0, cst),
		Size: 2, UserIDs: []string{"u1", "u2"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"process_code":"PROC-1","start_time":1794758400000,"end_time":1795363200000,"size":2,"cursor":0,"userid_list":"u1,u2"}`, body)
	assert.Equal(t, &dingtalk.ListInstanceIDsResponse{IDs: []string{"a1", "a2"}, NextCursor: 2, HasMore: true, RequestID: "rq"}, res)
}

func TestGetWorkflowInstanceSendsHeaderToken(t *testing.T) {
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	var gotHeader, gotQuery string
	mt.RegisterResponder(http.MethodGet, "https://api.dingtalk.com/v1.0/workflow/processInstances",
		func(r *http.Request) (*http.Response, error) {
			gotHeader, gotQuery = r.Header.Get("x-acs-dingtalk-access-token"), r.URL.RawQuery
			return httpmock.NewStringResponse(200, `{"success":"true","result":{"title":"T","createTime":"2022-08-31T11:52Z","tasks":[{"taskId":82305040051,"createTime":"2022-08-31T11:52Z"}]}}`), nil
		})
	c := mockClient(t, mt)
	res, err := c.GetWorkflowInstance(context.Background(), &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: "iid-1"})
	require.NoError(t, err)
	assert.Equal(t, newToken, gotHeader)
	assert.Equal(t, "processInstanceId=iid-1", gotQuery, "no access_token in the new API's query")
	assert.Equal(t, time.Date(2022, 8, 31, 11, 52, 0, 0, time.UTC), res.Instance.CreateTime.UTC())
	assert.Equal(t, "82305040051", res.Instance.Tasks[0].TaskID)
}

func TestCreateInstanceExactBytesAndSentOnce(t *testing.T) {
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	var body string
	url := "https://oapi.dingtalk.com/topapi/processinstance/create?access_token=" + oldToken
	mt.RegisterResponder(http.MethodPost, url, capture(&body, 502, `<html>Bad Gateway</html>`))
	c := mockClient(t, mt)
	req := &dingtalk.CreateInstanceRequest{AgentID: 42, ProcessCode: "PROC-1", OriginatorUserID: "u1", DeptID: -1,
		Approvers: []string{"a", "b"}, CCList: []string{"c"}, CCPosition: "FINISH",
		FormComponentValues: []dingtalk.FormValue{{Name: "金额", Value: "10.00"}}}
	_, err := c.CreateInstance(context.Background(), req)
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, 502, e.HTTPStatus)
	assert.Contains(t, err.Error(), "not JSON")
	assert.Equal(t, 1, mt.GetCallCountInfo()["POST "+url], "a write is never re-sent")
	assert.JSONEq(t, `{"agent_id":42,"process_code":"PROC-1","originator_user_id":"u1","dept_id":-1,"approvers":"a,b","cc_list":"c","cc_position":"FINISH","form_component_values":[{"name":"金额","value":"10.00"}]}`, body)

	mt.RegisterResponder(http.MethodPost, url, capture(&body, 200, `{"errcode":0,"process_instance_id":"new-id","request_id":"r"}`))
	res, err := c.CreateInstance(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "new-id", res.ProcessInstanceID)
}

func TestRetryVerdictsByErrcode(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		create  bool
		calls   int
		code    string
		success bool
	}{
		{"busy read retried", `{"errcode":-1,"errmsg":"系统繁忙"}`, false, 3, dingtalk.CodeSystemBusy, false},
		{"busy write sent once", `{"errcode":-1,"errmsg":"系统繁忙"}`, true, 1, dingtalk.CodeSystemBusy, false},
		{"rate limit write retried", `{"errcode":90018,"errmsg":"qps"}`, true, 3, dingtalk.CodeRateLimitApp, false},
		{"global limit read retried", `{"errcode":90002,"errmsg":"qps"}`, false, 3, dingtalk.CodeRateLimitGlobal, false},
		{"anti-bot JSON retried", `{"status":1111,"wait":5,"source":"x5","punish":"deny"}`, false, 3, "", false},
		{"html 200 read retried", `<!DOCTYPE html><html>block</html>`, false, 3, "", false},
		{"param error final", `{"errcode":40035,"errmsg":"缺少参数"}`, false, 1, dingtalk.CodeMissingParameter, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			registerTokens(mt)
			path := "/topapi/processinstance/get"
			if tc.create {
				path = "/topapi/processinstance/create"
			}
			key := "POST https://oapi.dingtalk.com" + path + "?access_token=" + oldToken
			mt.RegisterResponder(http.MethodPost, "https://oapi.dingtalk.com"+path+"?access_token="+oldToken,
				httpmock.NewStringResponder(200, tc.body))
			c := mockClient(t, mt)
			var err error
			if tc.create {
				_, err = c.CreateInstance(context.Background(), &dingtalk.CreateInstanceRequest{ProcessCode: "P", OriginatorUserID: "u", DeptID: 1,
					FormComponentValues: []dingtalk.FormValue{{Name: "a", Value: "b"}}})
			} else {
				_, err = c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: "i"})
			}
			var e *dingtalk.Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.calls, mt.GetCallCountInfo()[key])
		})
	}
}

func TestAuthErrorInvalidatesOnce(t *testing.T) {
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	url := "https://oapi.dingtalk.com/topapi/processinstance/get?access_token=" + oldToken
	mt.RegisterResponder(http.MethodPost, url, httpmock.NewStringResponder(200,
		`{"errcode":88,"sub_code":"40014","sub_msg":"不合法的access_token","errmsg":"ding talk error[subcode=40014]","request_id":"rq8"}`))
	c := mockClient(t, mt)
	_, err := c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: "i"})
	assert.True(t, dingtalk.IsCode(err, "88"))
	assert.True(t, dingtalk.IsCode(err, dingtalk.CodeInvalidToken), "sub_code matches too")
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "rq8", e.RequestID)
	counts := mt.GetCallCountInfo()
	assert.Equal(t, 2, counts["POST "+url], "the call is retried once with a fresh token, not more")
	assert.Equal(t, 2, counts["GET https://oapi.dingtalk.com/gettoken?appkey="+testKey+"&appsecret="+testSecret])
}

func TestNewAPIErrorShape(t *testing.T) {
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	mt.RegisterResponder(http.MethodPost, "https://api.dingtalk.com/v1.0/workflow/processInstances",
		httpmock.NewStringResponder(400, `{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"没有调用该接口的权限","requestid":"ABC-1"}`))
	c := mockClient(t, mt)
	_, err := c.StartWorkflowInstance(context.Background(), &dingtalk.StartWorkflowInstanceRequest{ProcessCode: "P", OriginatorUserID: "u",
		FormComponentValues: []dingtalk.FormValue{{Name: "a", Value: "b"}}})
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, &dingtalk.Error{Op: "StartProcessInstance", Code: "Forbidden.AccessDenied.AccessTokenPermissionDenied",
		Message: "没有调用该接口的权限", RequestID: "ABC-1", HTTPStatus: 400}, stripRedactor(e))
	assert.Equal(t, "dingtalk: StartProcessInstance: 没有调用该接口的权限 (code Forbidden.AccessDenied.AccessTokenPermissionDenied, request ABC-1, HTTP 400)", e.Error())
}

// stripRedactor copies the exported fields so tests can compare whole errors.
func stripRedactor(e *dingtalk.Error) *dingtalk.Error {
	return &dingtalk.Error{Op: e.Op, Code: e.Code, SubCode: e.SubCode, Message: e.Message, RequestID: e.RequestID, HTTPStatus: e.HTTPStatus, Err: e.Err}
}

func TestInputValidationNamesTheField(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c := mockClient(t, mt)
	ctx := context.Background()
	start := time.Date(2026, 11, 16, 0, 0, 0, 0, cst)
	cases := []struct {
		want string
		call func() error
	}{
		{"ListInstanceIDsRequest.Size", func() error {
			_, err := c.ListInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: "P", StartTime: start, Size: 21})
			return err
		}},
		{"ListInstanceIDsRequest.EndTime", func() error {
			_, err := c.ListInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: "P", StartTime: start, EndTime: start.Add(-time.Hour)})
			return err
		}},
		{"ListInstanceIDsRequest.ProcessCode", func() error {
			_, err := c.ListInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{StartTime: start})
			return err
		}},
		{"ListInstanceIDsRequest.StartTime", func() error {
			_, err := c.ListInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: "P"})
			return err
		}},
		{"ListWorkflowInstanceIDsRequest.MaxResults", func() error {
			_, err := c.ListWorkflowInstanceIDs(ctx, &dingtalk.ListWorkflowInstanceIDsRequest{ProcessCode: "P", StartTime: start, MaxResults: 50})
			return err
		}},
		{"GetInstanceRequest.ProcessInstanceID", func() error {
			_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{})
			return err
		}},
		{"CreateInstanceRequest.DeptID", func() error {
			_, err := c.CreateInstance(ctx, &dingtalk.CreateInstanceRequest{ProcessCode: "P", OriginatorUserID: "u",
				FormComponentValues: []dingtalk.FormValue{{Name: "a"}}})
			return err
		}},
		{"CreateInstanceRequest.FormComponentValues", func() error {
			_, err := c.CreateInstance(ctx, &dingtalk.CreateInstanceRequest{ProcessCode: "P", OriginatorUserID: "u", DeptID: -1})
			return err
		}},
		{"CreateInstanceRequest.FormComponentValues: at most 150", func() error {
			_, err := c.CreateInstance(ctx, &dingtalk.CreateInstanceRequest{ProcessCode: "P", OriginatorUserID: "u", DeptID: -1,
				FormComponentValues: make([]dingtalk.FormValue, 151)})
			return err
		}},
		{"CreateInstanceRequest.FormComponentValues[0].Name", func() error {
			_, err := c.CreateInstance(ctx, &dingtalk.CreateInstanceRequest{ProcessCode: "P", OriginatorUserID: "u", DeptID: -1,
				FormComponentValues: []dingtalk.FormValue{{Value: "v"}}})
			return err
		}},
		{"CreateInstanceRequest.Approvers", func() error {
			_, err := c.CreateInstance(ctx, &dingtalk.CreateInstanceRequest{ProcessCode: "P", OriginatorUserID: "u", DeptID: -1,
				Approvers: make([]string, 21), FormComponentValues: []dingtalk.FormValue{{Name: "a"}}})
			return err
		}},
		{"ListWorkflowInstanceIDsRequest.NextToken", func() error {
			_, err := c.ListWorkflowInstanceIDs(ctx, &dingtalk.ListWorkflowInstanceIDsRequest{ProcessCode: "P", StartTime: start, NextToken: -1})
			return err
		}},
		{"ListInstanceIDsRequest.UserIDs", func() error {
			_, err := c.ListInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: "P", StartTime: start, UserIDs: make([]string, 21)})
			return err
		}},
		{"StartWorkflowInstanceRequest.OriginatorUserID", func() error {
			_, err := c.StartWorkflowInstance(ctx, &dingtalk.StartWorkflowInstanceRequest{ProcessCode: "P"})
			return err
		}},
		{"RawRequest.Path", func() error {
			_, err := c.Raw(ctx, &dingtalk.RawRequest{Path: "topapi/x"})
			return err
		}},
	}
	for _, tc := range cases {
		err := tc.call()
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
	}
	var count int
	for _, err := range c.AllInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: "P", StartTime: start, Size: 99}) {
		count++
		assert.ErrorContains(t, err, "Size")
	}
	assert.Equal(t, 1, count)
	assert.Zero(t, mt.GetTotalCallCount(), "nothing is sent for bad input")
}

func TestNewClientValidates(t *testing.T) {
	_, err := dingtalk.NewClient(dingtalk.Config{AppSecret: "x"})
	assert.ErrorContains(t, err, "Config.AppKey")
	_, err = dingtalk.NewClient(dingtalk.Config{AppKey: "k"})
	assert.ErrorContains(t, err, "Config.AppSecret")
	_, err = dingtalk.NewClient(dingtalk.Config{AppKey: "k", AppSecret: "s"}, dingtalk.WithNewAPIBaseURL("ftp://x"))
	assert.ErrorContains(t, err, "base URL")
	_, err = dingtalk.NewClient(dingtalk.Config{AppKey: "k", AppSecret: "s"}, dingtalk.WithTimeout(0))
	assert.ErrorContains(t, err, "timeout")
	_, err = dingtalk.NewClient(dingtalk.Config{AppKey: "k", AppSecret: "s"}, dingtalk.WithHTTPClient(nil))
	assert.Error(t, err)
	_, err = dingtalk.NewClient(dingtalk.Config{AppKey: "k", AppSecret: "s"}, nil, dingtalk.WithLogger(nil))
	assert.NoError(t, err)
}

func TestRawCallsBothFamilies(t *testing.T) {
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	var oldBody string
	mt.RegisterResponder(http.MethodPost, "https://oapi.dingtalk.com/topapi/v2/user/get?access_token="+oldToken+"&language=zh_CN",
		capture(&oldBody, 200, `{"errcode":0,"result":{"name":"张三"}}`))
	mt.RegisterResponder(http.MethodGet, "https://api.dingtalk.com/v1.0/contact/users/me",
		httpmock.NewStringResponder(200, `{"nick":"zs"}`))
	c := mockClient(t, mt)
	res, err := c.Raw(context.Background(), &dingtalk.RawRequest{Path: "/topapi/v2/user/get", Body: map[string]string{"userid": "u1"},
		Query: map[string][]string{"language": {"zh_CN"}}, Idempotent: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"errcode":0,"result":{"name":"张三"}}`, string(res.Body))
	assert.Equal(t, `{"userid":"u1"}`, oldBody)
	res, err = c.Raw(context.Background(), &dingtalk.RawRequest{NewAPI: true, Method: "get", Path: "/v1.0/contact/users/me"})
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(res.Body), "zs"))
}

func TestIteratorStopsWhenTheCursorStopsMoving(t *testing.T) {
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	mt.RegisterResponder(http.MethodPost, "https://oapi.dingtalk.com/topapi/processinstance/listids?access_token="+oldToken,
		httpmock.NewStringResponder(200, `{"errcode":0,"result":{"list":["a"],"next_cursor":0}}`))
	c := mockClient(t, mt)
	var ids []string
	for id, err := range c.AllInstanceIDs(context.Background(), &dingtalk.ListInstanceIDsRequest{ProcessCode: "P", StartTime: time.Unix(1, 0)}) {
		require.NoError(t, err)
		ids = append(ids, id)
	}
	assert.Equal(t, []string{"a"}, ids, "a server that repeats the cursor does not loop the caller forever")
}

func TestIteratorStopsWhenTheLoopBreaks(t *testing.T) {
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	url := "https://oapi.dingtalk.com/topapi/processinstance/listids?access_token=" + oldToken
	mt.RegisterResponder(http.MethodPost, url, httpmock.NewStringResponder(200, `{"errcode":0,"result":{"list":["a","b"],"next_cursor":2}}`))
	c := mockClient(t, mt)
	for id := range c.AllInstanceIDs(context.Background(), &dingtalk.ListInstanceIDsRequest{ProcessCode: "P", StartTime: time.Unix(1, 0)}) {
		if id == "a" {
			break
		}
	}
	assert.Equal(t, 1, mt.GetCallCountInfo()["POST "+url], "no page is fetched after the caller stopped")
}

func TestNilContextIsAnError(t *testing.T) {
	c := mockClient(t, httpmock.NewMockTransport())
	var ctx context.Context // a caller's nil, never a panic
	_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: "i"})
	assert.ErrorContains(t, err, "nil context")
	assert.Equal(t, "dingtalk: bad (code 40014)", (&dingtalk.Error{Code: "40014", Message: "bad"}).Error(), "a zero redactor is fine")
}
