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
	fake := zeyitest.New() // stands in for https://test.shjiuze.cn
	defer fake.Close()

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
	if err := fake.Approve("JR202510110000001"); err != nil { // an approver agrees in DingTalk
		log.Fatal(err)
	}
	fmt.Println(<-results)
	// Output: JR202510110000001 finish/agree by fake-approver
}

func ExampleClient_SendAudit_duplicate() {
	fake := zeyitest.New()
	defer fake.Close()
	c, _ := fake.NewClient()
	req := &zeyi.SendAuditRequest{Code: "JR1", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001"}
	_, _ = c.SendAudit(context.Background(), req)

	// At most one approved or in-progress approval per code.
	_, err := c.SendAudit(context.Background(), req)
	var e *zeyi.Error
	if errors.As(err, &e) {
		fmt.Println(e.Business, e.Code)
	}
	// Output: true AUDIT_EXISTS
}

func ExampleClient_CancelAudit() {
	fake := zeyitest.New()
	defer fake.Close()
	c, _ := fake.NewClient()
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
	fake := zeyitest.New()
	defer fake.Close()
	c, _ := fake.NewClient()
	_, _ = c.SendAudit(context.Background(), &zeyi.SendAuditRequest{Code: "JR3", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001"})

	cfg := fake.CallbackConfig() // in production: the key pair and token you issued to 则一
	cfg.MaxSkew = 5 * time.Minute
	cfg.Deduper = zeyi.NewMemoryDeduper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, err := zeyi.ParseCallback(r, cfg)
		if err != nil {
			var ce *zeyi.CallbackError
			errors.As(err, &ce)
			http.Error(w, ce.Reason, ce.Status)
			return
		}
		fmt.Println(ev.Code, ev.Refused(), ev.Remark)
		_, _ = w.Write([]byte(`{"success":true,"businessException":false,"errorCode":null,"message":null,"result":null}`))
	}))
	defer srv.Close()
	fake.SetCallback(srv.URL)
	if err := fake.Refuse("JR3", "发票缺失"); err != nil {
		log.Fatal(err)
	}
	// Output: JR3 true 发票缺失
}
