package essbasic_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
)

// Example creates a flow from an uploaded PDF, completes it and downloads
// the signed file, all against the in-process fake.
func Example() {
	ctx := context.Background()
	srv := essbasictest.NewServer()
	defer srv.Close()

	c, err := essbasic.NewClient(essbasic.Config{
		SecretID:  essbasictest.SecretID,
		SecretKey: essbasictest.SecretKey,
		Agent: &essbasic.Agent{AppId: essbasictest.AppID, ProxyOrganizationOpenId: essbasictest.OrgOpenID,
			ProxyOperator: &essbasic.UserInfo{OpenId: essbasictest.OperatorOpenID}},
	}, essbasic.WithBaseURL(srv.URL), essbasic.WithFileBaseURL(srv.FileURL))
	if err != nil {
		panic(err)
	}
	up, err := c.UploadFromReader(ctx, &essbasic.UploadFromReaderRequest{BusinessType: "DOCUMENT",
		Files: []essbasic.UploadSource{{Name: "contract.pdf", Reader: strings.NewReader("%PDF-1.4 ...")}}})
	if err != nil {
		panic(err)
	}
	flow, err := c.ChannelCreateFlowByFiles(ctx, &essbasic.ChannelCreateFlowByFilesRequest{
		FlowName: "采购合同", FileIds: up.FileIds,
		FlowApprovers: []essbasic.FlowApproverInfo{{ApproverType: "PERSON", Name: "张三", Mobile: "13800000000"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("flow id length:", len(flow.FlowId))
	hook := httptest.NewServer(essbasic.NewCallbackHandler(essbasic.CallbackConfig{}, func(context.Context, *essbasic.CallbackEvent) error { return nil }))
	defer hook.Close()
	srv.SetCallback(hook.URL, "", "")
	if status, _, err := srv.CompleteFlow(ctx, flow.FlowId); err != nil || status != 200 {
		panic(fmt.Sprint(status, err))
	}
	res, err := c.DescribeResourceUrlsByFlows(ctx, &essbasic.DescribeResourceUrlsByFlowsRequest{FlowIds: []string{flow.FlowId}})
	if err != nil {
		panic(err)
	}
	for _, r := range res.FlowResults() {
		var pdf bytes.Buffer
		if _, err := c.DownloadResource(ctx, r.URLs[0].Url, &pdf); err != nil {
			panic(err)
		}
		fmt.Println("signed:", strings.Contains(pdf.String(), "signed by all parties"))
	}
	// Output:
	// flow id length: 32
	// signed: true
}

// ExampleDescribeResourceUrlsByFlowsResponse_FlowResults shows the
// per-flow failures of a call that succeeded as a whole.
func ExampleDescribeResourceUrlsByFlowsResponse_FlowResults() {
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client()
	res, err := c.DescribeResourceUrlsByFlows(context.Background(),
		&essbasic.DescribeResourceUrlsByFlowsRequest{FlowIds: []string{"yDwivUUckpor6wtoUuogwQHCAB0ES0p1"}})
	if err != nil {
		panic(err)
	}
	for _, r := range res.FlowResults() {
		fmt.Println(r.FlowID, r.Err)
	}
	// Output:
	// yDwivUUckpor6wtoUuogwQHCAB0ES0p1 essbasic: flow yDwivUUckpor6wtoUuogwQHCAB0ES0p1: 查询流程不存在
}

// ExampleIsCode tells platform error codes apart.
func ExampleIsCode() {
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client()
	_, err := c.ChannelCancelFlow(context.Background(), &essbasic.ChannelCancelFlowRequest{FlowId: "no-such-flow"})
	fmt.Println(essbasic.IsCode(err, essbasic.CodeResourceNotFoundFlow), essbasic.IsCode(err, "ResourceNotFound"))
	var apiErr *essbasic.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.RequestID != "")
	}
	// Output:
	// true true
	// ResourceNotFound.Flow true
}

// ExampleNewCallbackHandler receives the FlowStatusChange callback the
// fake sends when a flow is completed.
func ExampleNewCallbackHandler() {
	ctx := context.Background()
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client()

	cfg := essbasic.CallbackConfig{Key: essbasictest.CallbackKey, Token: essbasictest.CallbackToken,
		Deduper: essbasic.NewMemoryDeduper()}
	hook := httptest.NewServer(essbasic.NewCallbackHandler(cfg, func(_ context.Context, ev *essbasic.CallbackEvent) error {
		change, err := ev.FlowStatusChange()
		if err != nil {
			return err // 500: the platform will deliver it again
		}
		fmt.Println(ev.MsgType, change.FlowCallbackStatus == essbasic.FlowCallbackCompleted, change.Terminal())
		return nil
	}))
	defer hook.Close()
	srv.SetCallback(hook.URL, essbasictest.CallbackKey, essbasictest.CallbackToken)

	res, _ := c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{{
		FlowName: "劳动合同", Deadline: 1893456000, TemplateId: essbasictest.TemplateID,
		FlowApprovers: []essbasic.FlowApproverInfo{{Name: "李四", Mobile: "13900000000"}}}}})
	if _, _, err := srv.CompleteFlow(ctx, res.FlowIds[0]); err != nil {
		panic(err)
	}
	// Output:
	// FlowStatusChange true true
}

// ExampleParseCallback decrypts one callback by hand, e.g. inside a
// framework's own handler.
func ExampleParseCallback() {
	msg := []byte(`{"MsgId":"m-1","MsgType":"OrgOpenTsignBiz","MsgVersion":"ThirdPartyApp","MsgData":{"ProxyAppId":"yDRS4U","OpenSuccess":true}}`)
	body, _ := essbasic.EncryptCallback(essbasictest.CallbackKey, msg) // what the platform POSTs
	r := httptest.NewRequest("POST", "/essbasic/callback", bytes.NewReader(body))
	r.Header.Set("Content-Signature", essbasic.CallbackSignature(essbasictest.CallbackToken, body))

	ev, err := essbasic.ParseCallback(r, essbasic.CallbackConfig{Key: essbasictest.CallbackKey, Token: essbasictest.CallbackToken})
	if err != nil {
		fmt.Println("reject:", err) // answer 4xx
		return
	}
	m, _ := ev.PartnerMessage()
	fmt.Println(ev.MsgType, m.OpenSuccess, m.ProxyAppID)
	// Output:
	// OrgOpenTsignBiz true yDRS4U
}
