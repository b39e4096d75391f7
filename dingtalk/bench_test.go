package dingtalk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// benchServer answers gettoken and processinstance/get with a realistic
// 报销 instance, without the fake's bookkeeping.
func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	form := dingtalktest.SampleReimbursement(3, day0)
	inst := map[string]any{"errcode": 0, "request_id": "r1", "process_instance": map[string]any{
		"title": "报销", "create_time": "2026-11-16 09:00:00", "finish_time": "2026-11-16 10:30:00", "status": "COMPLETED",
		"result": "agree", "business_id": "202611160900000001", "originator_userid": "u1", "originator_dept_id": "-1",
		"form_component_values": form.FormValues(),
		"tasks":                 []map[string]any{{"taskid": "1", "userid": "f1", "task_status": "COMPLETED", "task_result": "AGREE", "create_time": "2026-11-16 09:00:00"}},
	}}
	body, err := json.Marshal(inst)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		if r.URL.Path == "/gettoken" {
			_, _ = w.Write([]byte(`{"errcode":0,"access_token":"benchtoken123456","expires_in":7200}`))
			return
		}
		if r.URL.Query().Get("access_token") != "benchtoken123456" {
			_, _ = w.Write([]byte(`{"errcode":40014,"errmsg":"bad"}`))
			return
		}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkGetInstanceSDK(b *testing.B) {
	srv := benchServer(b)
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: "k", AppSecret: "s"}, dingtalk.WithBaseURL(srv.URL), dingtalk.WithRateLimit(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: "i"}); err != nil {
			b.Fatal(err)
		}
	}
}

// plainInstance decodes into the same types, so the comparison measures
// what the SDK adds (token cache, limiter, checks, retries), not decoding.
type plainInstance struct {
	ErrCode   int                       `json:"errcode"`
	ErrMsg    string                    `json:"errmsg"`
	RequestID string                    `json:"request_id"`
	Instance  *dingtalk.ProcessInstance `json:"process_instance"`
}

func BenchmarkGetInstancePlainNetHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	resp, err := hc.Get(srv.URL + "/gettoken?appkey=k&appsecret=s")
	if err != nil {
		b.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		body, _ := json.Marshal(map[string]string{"process_instance_id": "i"})
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost,
			srv.URL+"/topapi/processinstance/get?access_token="+tok.AccessToken, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out plainInstance
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || out.ErrCode != 0 {
			b.Fatal(err, out.ErrCode)
		}
	}
}

func BenchmarkCallbackDecrypt(b *testing.B) {
	c, err := dingtalk.NewCrypto("tokenxxxx", "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus", "dingxxxxxx")
	if err != nil {
		b.Fatal(err)
	}
	const enc = "X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ=="
	b.ReportAllocs()
	for range b.N {
		if _, err := c.Decrypt("f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc", "1605695694141", "WelUQl6bCqcBa2fM", enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCallbackEncrypt(b *testing.B) {
	c, err := dingtalk.NewCrypto("tokenxxxx", "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus", "dingxxxxxx")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for range b.N {
		if _, err := c.Encrypt([]byte("success"), "1605695694141", "WelUQl6bCqcBa2fM"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormDecode(b *testing.B) {
	form := dingtalktest.SampleReimbursement(5, day0)
	values := dingtalk.FormValues(form.FormValues())
	b.ReportAllocs()
	for range b.N {
		var r dingtalktest.Reimbursement
		if err := values.Decode(&r); err != nil {
			b.Fatal(err)
		}
		if len(r.Lines) == 0 {
			b.Fatal(fmt.Errorf("no lines"))
		}
	}
}
