package essbasic_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
)

func newFake(t *testing.T, opts ...essbasic.Option) (*essbasictest.Server, *essbasic.Client) {
	t.Helper()
	srv := essbasictest.NewServer()
	t.Cleanup(srv.Close)
	return srv, srv.Client(opts...)
}

// TestLifecycleAgainstFake walks the scenario: upload a PDF,
// create a flow, get sign URLs, receive the completion callback, download
// the signed PDF.
func TestLifecycleAgainstFake(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)

	events := make(chan *essbasic.CallbackEvent, 1)
	hook := httptest.NewServer(essbasic.NewCallbackHandler(
		essbasic.CallbackConfig{Key: essbasictest.CallbackKey, Token: essbasictest.CallbackToken},
		func(_ context.Context, ev *essbasic.CallbackEvent) error { events <- ev; return nil }))
	defer hook.Close()
	srv.SetCallback(hook.URL, essbasictest.CallbackKey, essbasictest.CallbackToken)

	pdf := []byte("%PDF-1.4 contract body")
	up, err := c.UploadFromReader(ctx, &essbasic.UploadFromReaderRequest{BusinessType: "DOCUMENT",
		Files: []essbasic.UploadSource{{Name: "contract.pdf", Reader: bytes.NewReader(pdf)}}})
	require.NoError(t, err)
	require.Len(t, up.FileIds, 1)
	assert.Equal(t, 1, srv.Calls("UploadFiles"))

	created, err := c.ChannelCreateFlowByFiles(ctx, &essbasic.ChannelCreateFlowByFilesRequest{
		FlowName: "采购合同", FileIds: up.FileIds,
		FlowApprovers: []essbasic.FlowApproverInfo{{ApproverType: "PERSON", Name: "张三", Mobile: "13800000000"}}})
	require.NoError(t, err)
	require.NotEmpty(t, created.FlowId)
	require.NotEmpty(t, created.RequestId)

	urls, err := c.CreateSignUrls(ctx, &essbasic.CreateSignUrlsRequest{FlowIds: []string{created.FlowId}})
	require.NoError(t, err)
	require.Len(t, urls.SignUrlInfos, 1)
	assert.Equal(t, "张三", urls.SignUrlInfos[0].Name)

	status, _, err := srv.CompleteFlow(ctx, created.FlowId)
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	ev := <-events
	change, err := ev.FlowStatusChange()
	require.NoError(t, err)
	assert.Equal(t, created.FlowId, change.FlowID)
	assert.EqualValues(t, essbasic.FlowCallbackCompleted, change.FlowCallbackStatus)
	assert.True(t, change.Terminal())

	detail, err := c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{created.FlowId}})
	require.NoError(t, err)
	require.Len(t, detail.FlowInfo, 1)
	assert.Equal(t, "ALL", detail.FlowInfo[0].FlowStatus)

	res, err := c.DescribeResourceUrlsByFlows(ctx, &essbasic.DescribeResourceUrlsByFlowsRequest{
		FlowIds: []string{"yDwivUUckpor6wtoUuogwQHCAB0ES0p1", created.FlowId}})
	require.NoError(t, err)
	results := res.FlowResults()
	require.Len(t, results, 2)
	var fe *essbasic.FlowError
	require.ErrorAs(t, results[0].Err, &fe)
	assert.Equal(t, "查询流程不存在", fe.Message)
	require.NoError(t, results[1].Err)
	require.Len(t, results[1].URLs, 1)

	var signed bytes.Buffer
	n, err := c.DownloadResource(ctx, results[1].URLs[0].Url, &signed)
	require.NoError(t, err)
	assert.EqualValues(t, signed.Len(), n)
	assert.True(t, bytes.HasPrefix(signed.Bytes(), pdf))
	assert.Contains(t, signed.String(), "signed by all parties")
}

func TestTemplatesCancelAndErrors(t *testing.T) {
	ctx := context.Background()
	srv, c := newFake(t)
	res, err := c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{
		{FlowName: "ok", Deadline: 1, TemplateId: essbasictest.TemplateID,
			FlowApprovers: []essbasic.FlowApproverInfo{{Name: "李四", Mobile: "13900000000"}}},
		{FlowName: "bad", Deadline: 1, TemplateId: "nope"}}})
	require.NoError(t, err)
	require.Len(t, res.FlowIds, 2)
	assert.NotEmpty(t, res.FlowIds[0])
	assert.Equal(t, []string{"", "模板不存在"}, res.ErrorMessages)

	_, err = c.ChannelCancelFlow(ctx, &essbasic.ChannelCancelFlowRequest{FlowId: res.FlowIds[0], CancelMessage: "不需要了"})
	require.NoError(t, err)
	_, err = c.ChannelCancelFlow(ctx, &essbasic.ChannelCancelFlowRequest{FlowId: res.FlowIds[0]})
	assert.True(t, essbasic.IsCode(err, essbasic.CodeOperationDeniedFlowHasTerminated), "%v", err)
	assert.True(t, essbasic.IsCode(err, "OperationDenied"))
	var apiErr *essbasic.Error
	require.ErrorAs(t, err, &apiErr)
	assert.NotEmpty(t, apiErr.RequestID)
	assert.Equal(t, "ChannelCancelFlow", apiErr.Op)
	assert.Equal(t, 200, apiErr.HTTPStatus)
	assert.Equal(t, 2, srv.Calls("ChannelCancelFlow"))

	_, err = c.ChannelCreateRole(ctx, &essbasic.ChannelCreateRoleRequest{Name: "x"})
	assert.True(t, essbasic.IsCode(err, "InvalidAction"), "%v", err)
}

// TestFakeRejectsBadSignatures: a client with the wrong key gets the
// platform's AuthFailure code, and UploadFiles on the API host is refused.
func TestFakeRejectsBadSignatures(t *testing.T) {
	srv := essbasictest.NewServer()
	defer srv.Close()
	cfg := srv.Config()
	cfg.SecretKey = "wrong-key"
	c, err := essbasic.NewClient(cfg, srv.Options()...)
	require.NoError(t, err)
	_, err = c.DescribeFlowDetailInfo(context.Background(), &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	assert.True(t, essbasic.IsCode(err, essbasic.CodeAuthFailureSignatureFailure), "%v", err)

	cfg = srv.Config()
	cfg.SecretID = "AKIDunknown"
	c, err = essbasic.NewClient(cfg, srv.Options()...)
	require.NoError(t, err)
	_, err = c.DescribeFlowDetailInfo(context.Background(), &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	assert.True(t, essbasic.IsCode(err, essbasic.CodeAuthFailureSecretIDNotFound), "%v", err)

	// Only WithBaseURL: UploadFiles lands on the API host, which refuses it.
	c, err = essbasic.NewClient(srv.Config(), essbasic.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.UploadFiles(context.Background(), &essbasic.UploadFilesRequest{BusinessType: "DOCUMENT",
		FileInfos: []essbasic.UploadFile{{FileBody: "JVBERg==", FileName: "a.pdf"}}})
	assert.True(t, essbasic.IsCode(err, essbasic.CodeUnsupportedOperation), "%v", err)
	assert.Equal(t, 0, srv.Calls("DescribeFlowDetailInfo"), "requests that fail auth are not counted")
}

func TestFakeSignatureExpires(t *testing.T) {
	srv, c := newFake(t)
	srv.SetClock(func() time.Time { return time.Now().Add(10 * time.Minute) })
	_, err := c.DescribeFlowDetailInfo(context.Background(), &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	assert.True(t, essbasic.IsCode(err, essbasic.CodeAuthFailureSignatureExpire), "%v", err)
	assert.True(t, strings.Contains(err.Error(), "AuthFailure.SignatureExpire"))
}

// TestConcurrentUse shares one client between goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		go func(i int) {
			res, err := c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{{
				FlowName: "并发", Deadline: 1, TemplateId: essbasictest.TemplateID}}})
			if err == nil {
				_, err = c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: res.FlowIds})
			}
			errs <- err
		}(i)
	}
	for i := 0; i < 16; i++ {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, 16, srv.Calls("CreateFlowsByTemplates"))
}
