package zeyi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
)

// Start an approval, receive its result through the callback handler.
func Example() {
	fake := zeyitest.NewServer() // stands in for https://gw.shjiuze.cn
	defer fake.Close()

	// In production: zeyi.NewClient(zeyi.Config{AppKey: ..., AppSecret: ...})
	// talks to the production gateway; zeyi.WithEnvironment(zeyi.Test)
	// selects the test one.
	c, err := zeyi.NewClient(zeyi.Config{AppKey: zeyitest.AppKey, AppSecret: zeyitest.AppSecret},
		zeyi.WithBaseURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}

	results := make(chan string, 1)
	cb := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(),
		func(ctx context.Context, ev *zeyi.CallbackEvent) error {
			results <- fmt.Sprintf("%s %s/%s by %s", ev.Code, ev.Type, ev.Result, ev.AuditUser)
			return nil
		}))
	defer cb.Close()
	fake.SetCallback(cb.URL + "/dingtalkAudit/callback")

	_, err = c.SendAudit(context.Background(), &zeyi.SendAuditRequest{
		Code:               "JR202510110000001",
		AuditType:          "JINRUN_VEHICLE_FEE_AUDIT",
		OriginatorUsername: "E001",
		AuditFormList: []zeyi.FormItem{
			zeyi.TextItem("金额", "100.00"),
			zeyi.FileItem("附件", "https://files.example.com/invoice.pdf"),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	status, _, err := fake.Approve(context.Background(), "JR202510110000001") // an approver agrees in DingTalk
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status, <-results)
	// Output: 200 JR202510110000001 finish/agree by fake-approver
}

func ExampleClient_SendAudit_duplicate() {
	fake := zeyitest.NewServer()
	defer fake.Close()
	c := fake.Client()
	req := &zeyi.SendAuditRequest{Code: "JR1", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001"}
	_, _ = c.SendAudit(context.Background(), req)

	// At most one approved or in-progress approval per code.
	_, err := c.SendAudit(context.Background(), req)
	var e *zeyi.Error
	if errors.As(err, &e) {
		fmt.Println(e.Business, e.Code)
	}
	fmt.Println(err)
	// Output:
	// true AUDIT_EXISTS
	// zeyi: SendAudit: 同一业务编号已存在审核中或审核通过的审批 (code AUDIT_EXISTS, HTTP 200)
}

func ExampleClient_CancelAudit() {
	fake := zeyitest.NewServer()
	defer fake.Close()
	c := fake.Client()
	ctx := context.Background()
	res, err := c.SendAudit(ctx, &zeyi.SendAuditRequest{Code: "JR2", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001"})
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.CancelAudit(ctx, &zeyi.CancelAuditRequest{
		Code: "JR2", Type: "JINRUN_VEHICLE_FEE_AUDIT", AuditID: res.AuditID, Remark: "金额填错", Username: "E001",
	})
	fmt.Println(err)
	a, _ := fake.Approval("JR2")
	fmt.Println(a.Status)
	// Output:
	// <nil>
	// canceled
}

func ExampleSign() {
	fmt.Println(zeyi.Sign("testappkey000000000000000000000a", "testappsecret000000000000000000b",
		"1643251533306", "gdst9t", []byte(`{"code":"JR202510110000001","auditType":"JINRUN_VEHICLE_FEE_AUDIT"}`)))
	// Output: bdebbd788e8ac1d58c5b474ba8ddcfcd
}

func ExampleCipher() {
	c, err := zeyi.NewCipher(zeyi.Encryption{Mode: zeyi.FixedIV}, "testappsecret000000000000000000b")
	if err != nil {
		log.Fatal(err)
	}
	ct, _ := c.Encrypt([]byte("6222020200112233445"))
	pt, _ := c.Decrypt(ct)
	fmt.Println(string(pt))
	// Output: 6222020200112233445
}

func ExampleParseCallback() {
	fake := zeyitest.NewServer()
	defer fake.Close()
	c := fake.Client()
	_, _ = c.SendAudit(context.Background(), &zeyi.SendAuditRequest{Code: "JR3", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001"})

	cfg := fake.CallbackConfig() // in production: the key pair and token you issued to 则一
	cfg.MaxSkew = 5 * time.Minute
	cfg.Deduper = zeyi.NewMemoryDeduper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := zeyi.ParseCallback(r, cfg)
		if err != nil {
			http.Error(w, err.Error(), zeyi.CallbackStatus(err))
			return
		}
		fmt.Println(ev.Code, ev.Refused(), ev.Remark)
		_, _ = w.Write([]byte(`{"success":true,"businessException":false,"errorCode":null,"message":null,"result":null}`))
	}))
	defer srv.Close()
	fake.SetCallback(srv.URL)
	if _, _, err := fake.Refuse(context.Background(), "JR3", "发票缺失"); err != nil {
		log.Fatal(err)
	}
	// Output: JR3 true 发票缺失
}

func ExampleNewCallbackHandler() {
	fake := zeyitest.NewServer()
	defer fake.Close()
	ctx := context.Background()
	_, _ = fake.Client().SendAudit(ctx, &zeyi.SendAuditRequest{Code: "JR4", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001"})

	attempts := 0
	cb := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(), func(ctx context.Context, ev *zeyi.CallbackEvent) error {
		attempts++
		if attempts == 1 {
			return errors.New("database unavailable") // 则一 is told to deliver again
		}
		fmt.Println("handled", ev.Code, ev.Result)
		return nil
	}))
	defer cb.Close()
	fake.SetCallback(cb.URL)

	status, _, _ := fake.Approve(ctx, "JR4")
	fmt.Println("first delivery:", status)
	status, _, _ = fake.Redeliver(ctx, "JR4")
	fmt.Println("second delivery:", status)
	status, _, _ = fake.Redeliver(ctx, "JR4")
	fmt.Println("third delivery:", status, "attempts:", attempts)
	// Output:
	// first delivery: 500
	// handled JR4 agree
	// second delivery: 200
	// third delivery: 200 attempts: 2
}
