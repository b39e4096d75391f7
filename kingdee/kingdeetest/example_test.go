package kingdeetest_test

import (
	"context"
	"fmt"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// A test against the fake: a client ready to call, a fault injected with
// FailNext, and the bills the fake holds.
func Example() {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c := srv.Client(kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 1}))

	bill := map[string]any{"FBILLTYPEID": kingdee.Number("FKSQ01_SYS"), "FDATE": "2024-05-01", "FREMARK": "测试"}
	srv.FailNext(kingdeetest.Fault{Match: "Save", Code: "14", Message: "调用次数超限"})
	_, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: bill})
	fmt.Println(err)

	res, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: bill})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("saved", res.Number)
	for _, b := range srv.Bills(kingdee.FormPayApply) {
		fmt.Println(b.Number, b.Status, b.Field("FREMARK"))
	}
	// Output:
	// kingdee: Save: 调用次数超限 (code 14, HTTP 200)
	// saved FKSQ00000001
	// FKSQ00000001 A 测试
}
