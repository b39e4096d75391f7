package dingtalktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

var start = time.Date(2026, 11, 16, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// call sends a raw request and decodes the JSON answer.
func call(t *testing.T, method, url, token string, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("x-acs-dingtalk-access-token", token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out), string(b))
	return resp.StatusCode, out
}

func oldToken(t *testing.T, srv *dingtalktest.Server) string {
	t.Helper()
	_, out := call(t, http.MethodGet, srv.URL+"/gettoken?appkey="+dingtalktest.AppKey+"&appsecret="+dingtalktest.AppSecret, "", "")
	require.Equal(t, float64(0), out["errcode"])
	assert.Equal(t, float64(7200), out["expires_in"])
	return out["access_token"].(string)
}

func TestTokensExpireWithRealCodes(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	var mu sync.Mutex
	now := start
	srv.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	tok := oldToken(t, srv)
	assert.Equal(t, tok, oldToken(t, srv), "the same token while it is valid")
	list := srv.URL + "/topapi/processinstance/listids?access_token="
	body := `{"process_code":"P","start_time":1}`
	_, out := call(t, http.MethodPost, list+tok, "", body)
	assert.Equal(t, float64(0), out["errcode"])

	mu.Lock()
	now = now.Add(7201 * time.Second)
	mu.Unlock()
	_, out = call(t, http.MethodPost, list+tok, "", body)
	assert.Equal(t, float64(40014), out["errcode"], "stale token")
	_, out = call(t, http.MethodPost, list+"made-up", "", body)
	assert.Equal(t, float64(88), out["errcode"])
	assert.Equal(t, "40014", out["sub_code"])
	_, out = call(t, http.MethodPost, list, "", body)
	assert.Equal(t, "40000", out["sub_code"], "blank token")

	status, out := call(t, http.MethodGet, srv.URL+"/v1.0/workflow/processInstances?processInstanceId=x", tok, "")
	assert.Equal(t, 400, status)
	assert.Equal(t, "InvalidAuthentication", out["code"])
	assert.NotEmpty(t, out["requestid"])
	status, out = call(t, http.MethodGet, srv.URL+"/v1.0/workflow/processInstances?processInstanceId=x", "", "")
	assert.Equal(t, 400, status)
	assert.Equal(t, "AuthenticationFailed.MissingParameter", out["code"])

	_, out = call(t, http.MethodGet, srv.URL+"/gettoken?appkey="+dingtalktest.AppKey+"&appsecret=wrong", "", "")
	assert.Equal(t, float64(40096), out["errcode"])
	status, out = call(t, http.MethodPost, srv.URL+"/v1.0/oauth2/accessToken", "", `{"appKey":"x","appSecret":"y"}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "invalidClientIdOrSecret", out["code"])
	assert.Equal(t, 4, srv.TokenFetches())
}

func TestListIDsPagingAndCap(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	ids := srv.SeedReimbursements("PROC-1", 45, start)
	tok := oldToken(t, srv)
	list := srv.URL + "/topapi/processinstance/listids?access_token=" + tok
	_, out := call(t, http.MethodPost, list, "", `{"process_code":"PROC-1","start_time":1,"size":21}`)
	assert.Equal(t, float64(40035), out["errcode"], "size is capped at 20")

	var got []any
	cursor := "0"
	for page := 0; page < 5; page++ {
		// The seed types every parameter as a string; DingTalk accepts both.
		_, out = call(t, http.MethodPost, list, "", `{"process_code":"PROC-1","start_time":"`+ms(start)+`","size":"20","cursor":"`+cursor+`"}`)
		require.Equal(t, float64(0), out["errcode"], out)
		res := out["result"].(map[string]any)
		got = append(got, res["list"].([]any)...)
		next, ok := res["next_cursor"]
		if !ok {
			break
		}
		cursor = jsonNum(next)
	}
	require.Len(t, got, 45)
	assert.Equal(t, ids[44], got[44])

	_, out = call(t, http.MethodPost, list, "", `{"process_code":"PROC-1","start_time":`+ms(start.Add(time.Hour))+`,"end_time":`+ms(start.Add(7*time.Hour))+`}`)
	assert.Len(t, out["result"].(map[string]any)["list"], 2, "the window selects 12:00 and 15:00")
}

func ms(t time.Time) string { b, _ := json.Marshal(t.UnixMilli()); return string(b) }

func jsonNum(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestCreateStoresTablesInGetFormat(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	tok := oldToken(t, srv)
	_, out := call(t, http.MethodPost, srv.URL+"/topapi/processinstance/create?access_token="+tok, "",
		`{"process_code":"P","originator_user_id":"u","dept_id":-1,"form_component_values":[{"name":"明细","value":"[[{\"name\":\"金额\",\"value\":\"1.00\"}]]"}]}`)
	require.Equal(t, float64(0), out["errcode"], out)
	inst, ok := srv.Instance(out["process_instance_id"].(string))
	require.True(t, ok)
	assert.Equal(t, "TableField", inst.Form[0].ComponentType)
	assert.JSONEq(t, `[{"rowNumber":"TableField_1","rowValue":[{"label":"金额","value":"1.00","key":""}]}]`, inst.Form[0].Value)
	_, out = call(t, http.MethodPost, srv.URL+"/topapi/processinstance/create?access_token="+tok, "", `{"process_code":"P"}`)
	assert.Equal(t, float64(40035), out["errcode"])
}

func TestFailNextAndCalls(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	srv.FailNext(dingtalktest.Fault{Match: "OapiGetAccessToken", Code: "-1", Message: "系统繁忙"})
	_, out := call(t, http.MethodGet, srv.URL+"/gettoken?appkey="+dingtalktest.AppKey+"&appsecret="+dingtalktest.AppSecret, "", "")
	assert.Equal(t, float64(-1), out["errcode"])
	oldToken(t, srv)
	assert.Equal(t, 2, srv.Calls("/gettoken"))
	_, out = call(t, http.MethodPost, srv.URL+"/topapi/unknown", "", "")
	assert.Equal(t, float64(22), out["errcode"])
}

func TestPostEventChecksTheReply(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	ok := httptest.NewServer(dingtalk.NewCallbackHandler(dingtalktest.CallbackConfig(), nil))
	defer ok.Close()
	require.NoError(t, srv.CheckURL(context.Background(), ok.URL))
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"msg_signature":"x"}`)) }))
	defer bad.Close()
	assert.Error(t, srv.CheckURL(context.Background(), bad.URL), "a reply that is not an encrypted success")
	_, err := srv.InstanceEvent("nope", "start")
	assert.Error(t, err)
}

func TestSampleReimbursementRoundTrips(t *testing.T) {
	for i := range 6 {
		want := dingtalktest.SampleReimbursement(i, start)
		var got dingtalktest.Reimbursement
		require.NoError(t, dingtalk.FormValues(want.FormValues()).Decode(&got))
		assert.Equal(t, want, got)
		assert.Equal(t, 1, got.Total().Sign())
	}
}

func TestClientNeverPanicsOnBadOptions(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := srv.Client(dingtalk.WithTimeout(-1)) // invalid: left out
	require.NotNil(t, c)
	id := srv.AddInstance(dingtalktest.Instance{ProcessCode: "P", OriginatorUserID: "u"})
	_, err := c.GetProcessInstance(context.Background(), &dingtalk.GetProcessInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err)
	assert.Equal(t, dingtalktest.AppKey, srv.Config().AppKey)
}

func TestFaultsInBothFamiliesShapes(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := srv.Client(dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 1}))
	ctx := context.Background()
	id := srv.AddInstance(dingtalktest.Instance{ProcessCode: "P", OriginatorUserID: "u"})

	srv.FailNext(dingtalktest.Fault{Match: "OapiGetProcessInstance", Code: "40035", Message: "缺少参数"})
	_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
	assert.True(t, dingtalk.IsCode(err, "40035"), "%v", err)

	srv.FailNext(dingtalktest.Fault{Match: "/v1.0/workflow/processInstances", Status: 429, Code: "Throttling", Message: "slow down"})
	_, err = c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: id})
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, 429, e.HTTPStatus)

	// (a POST: net/http itself re-sends a GET after a reset)
	srv.FailNext(dingtalktest.Fault{Match: "AddProcessInstanceComment", Reset: true})
	_, err = c.AddProcessInstanceComment(ctx, &dingtalk.AddProcessInstanceCommentRequest{ProcessInstanceID: id, CommentUserID: "u", Text: "t"})
	assert.Error(t, err, "connection reset")
	inst, _ := srv.Instance(id)
	assert.Empty(t, inst.Records, "the comment never arrived")

	srv.FailNext(dingtalktest.Fault{Status: 502, Body: "<html>bad gateway</html>", ContentType: "text/html"})
	_, err = c.GetProcessInstance(ctx, &dingtalk.GetProcessInstanceRequest{ProcessInstanceID: id})
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, 502, e.HTTPStatus)
}

// TestRequiredFieldsAreChecked: the fake refuses what DingTalk refuses,
// even from a client that skips validation (a raw call).
func TestRequiredFieldsAreChecked(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := srv.Client()
	_, err := c.Raw(context.Background(), &dingtalk.RawRequest{NewAPI: true, Path: "/v1.0/workflow/processInstances/execute",
		Body: map[string]any{"processInstanceId": "x", "actionerUserId": "u"}})
	assert.ErrorContains(t, err, "缺少参数")
	_, err = c.Raw(context.Background(), &dingtalk.RawRequest{Path: "/topapi/process/gettodonum", Body: map[string]any{}})
	assert.True(t, dingtalk.IsCode(err, "40035"), "%v", err)
}
