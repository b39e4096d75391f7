package zeyitest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
)

// Start an approval against the fake, make the gateway fail once, and
// deliver the approval result to a callback handler.
func Example() {
	fake := zeyitest.NewServer()
	defer fake.Close()
	c := fake.Client() // or zeyi.NewClient(fake.Config(), fake.Options()...)
	ctx := context.Background()

	fake.FailNext(zeyitest.Fault{Code: "SYS_BUSY", Message: "系统繁忙"})
	_, err := c.SendAudit(ctx, &zeyi.SendAuditRequest{Code: "JR1", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001"})
	fmt.Println(err)

	res, err := c.SendAudit(ctx, &zeyi.SendAuditRequest{Code: "JR1", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("auditId", res.AuditID)

	hook := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(), func(_ context.Context, ev *zeyi.CallbackEvent) error {
		fmt.Println("callback:", ev.Code, ev.Type, ev.Result)
		return nil
	}))
	defer hook.Close()
	fake.SetCallback(hook.URL)
	status, body, err := fake.Approve(ctx, "JR1")
	fmt.Println(status, string(body), err)
	// Output:
	// zeyi: SendAudit: 系统繁忙 (code SYS_BUSY, HTTP 200)
	// auditId 1800000000000000001
	// callback: JR1 finish agree
	// 200 {"success":true,"businessException":false,"errorCode":null,"message":null,"result":null} <nil>
}
