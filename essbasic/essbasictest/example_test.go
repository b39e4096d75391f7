package essbasictest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
)

// Example creates a flow on the fake, completes it (the fake POSTs the
// encrypted, signed FlowStatusChange callback to our handler), and makes
// the next call fail with an injected platform error.
func Example() {
	ctx := context.Background()
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client()

	cfg := essbasic.CallbackConfig{Key: essbasictest.CallbackKey, Token: essbasictest.CallbackToken}
	hook := httptest.NewServer(essbasic.NewCallbackHandler(cfg, func(_ context.Context, ev *essbasic.CallbackEvent) error {
		change, err := ev.FlowStatusChange()
		if err != nil {
			return err
		}
		fmt.Println("callback:", ev.MsgType, change.Operate)
		return nil
	}))
	defer hook.Close()
	srv.SetCallback(hook.URL, essbasictest.CallbackKey, essbasictest.CallbackToken)

	res, err := c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{{
		FlowName: "劳动合同", Deadline: 1893456000, TemplateId: essbasictest.TemplateID,
		FlowApprovers: []essbasic.FlowApproverInfo{{Name: "李四", Mobile: "13900000000"}}}}})
	if err != nil {
		panic(err)
	}
	status, _, err := srv.CompleteFlow(ctx, res.FlowIds[0])
	fmt.Println("handler answered:", status, err)
	status, _, _ = srv.Redeliver(ctx) // handled once: acknowledged, not run again
	fmt.Println("redelivery answered:", status)

	srv.FailNext(essbasictest.Fault{Match: "DescribeFlowDetailInfo", Code: "RequestLimitExceeded", Times: 9})
	_, err = c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: res.FlowIds})
	var apiErr *essbasic.Error
	fmt.Println(errors.As(err, &apiErr), apiErr.Code, srv.Calls("DescribeFlowDetailInfo"))
	// Output:
	// callback: FlowStatusChange finish
	// handler answered: 200 <nil>
	// redelivery answered: 200
	// true RequestLimitExceeded 3
}
