package essbasictest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
)

func TestFakeBehaviour(t *testing.T) {
	ctx := context.Background()
	srv := essbasictest.New()
	defer srv.Close()
	c, err := srv.Client(essbasic.WithRetry(essbasic.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)

	// Unknown parameters are refused, as the platform does.
	_, err = c.Raw(ctx, &essbasic.RawRequest{Action: "ChannelCancelFlow", Params: map[string]any{
		"Agent": srv.Config().Agent, "FlowId": "f", "Bogus": 1}})
	assert.True(t, essbasic.IsCode(err, essbasic.CodeUnknownParameter), "%v", err)

	// Injected errors.
	srv.FailNext("DescribeFlowDetailInfo", "InternalError.Db", "db down")
	_, err = c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	assert.True(t, essbasic.IsCode(err, "InternalError.Db"), "%v", err)

	// A missing operator is the platform's MissingParameter code.
	_, err = c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{"f"},
		Agent: &essbasic.Agent{AppId: essbasictest.AppID, ProxyOrganizationOpenId: "o"}})
	assert.True(t, essbasic.IsCode(err, essbasic.CodeMissingParameterProxyOperatorOpenId), "%v", err)

	// Downloads need the right hkey.
	resp, err := http.Get(srv.URL + "/file/nope?hkey=x")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)

	// Callbacks: none configured, then plaintext (no key, no token).
	res, err := c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{{
		FlowName: "n", Deadline: 1, TemplateId: essbasictest.TemplateID}}})
	require.NoError(t, err)
	assert.ErrorIs(t, srv.PostCallback(ctx, "OrgAuth", map[string]any{}), essbasictest.ErrNoCallback)

	var got []byte
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		assert.Empty(t, r.Header.Get("Content-Signature"))
	}))
	defer hook.Close()
	srv.SetCallback(hook.URL, "", "")
	require.NoError(t, srv.CompleteFlow(ctx, res.FlowIds[0]))
	assert.Contains(t, string(got), `"MsgType":"FlowStatusChange"`)
	assert.Contains(t, string(got), res.FlowIds[0])
	assert.Error(t, srv.CompleteFlow(ctx, res.FlowIds[0]), "a completed flow cannot complete again")
	assert.Error(t, srv.CompleteFlow(ctx, "nope"))

	// A receiver that fails makes CompleteFlow fail.
	broken := httptest.NewServer(http.NotFoundHandler())
	defer broken.Close()
	srv.SetCallback(broken.URL, "", "")
	assert.ErrorContains(t, srv.PostCallback(ctx, "OrgAuth", map[string]any{"AuthSuccess": true}), "HTTP 404")
}

func TestRejectFlow(t *testing.T) {
	ctx := context.Background()
	srv := essbasictest.New()
	defer srv.Close()
	c, err := srv.Client()
	require.NoError(t, err)
	events := make(chan *essbasic.CallbackEvent, 1)
	hook := httptest.NewServer(essbasic.NewCallbackHandler(essbasic.CallbackConfig{Key: essbasictest.CallbackKey},
		func(_ context.Context, ev *essbasic.CallbackEvent) error { events <- ev; return nil }))
	defer hook.Close()
	srv.SetCallback(hook.URL, essbasictest.CallbackKey, "")

	res, err := c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{{
		FlowName: "n", Deadline: 1, TemplateId: essbasictest.TemplateID,
		FlowApprovers: []essbasic.FlowApproverInfo{{Name: "甲"}, {Name: "乙"}}}}})
	require.NoError(t, err)
	require.NoError(t, srv.RejectFlow(ctx, res.FlowIds[0], "金额不对"))
	change, err := (<-events).FlowStatusChange()
	require.NoError(t, err)
	assert.EqualValues(t, essbasic.FlowCallbackRejected, change.FlowCallbackStatus)
	require.Len(t, change.Approvers, 2)
	assert.EqualValues(t, 4, change.Approvers[0].ApproveCallbackStatus)
	assert.EqualValues(t, 2, change.Approvers[1].ApproveCallbackStatus)

	detail, err := c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: res.FlowIds})
	require.NoError(t, err)
	assert.Equal(t, "REJECT", detail.FlowInfo[0].FlowStatus)
	assert.Equal(t, "金额不对", detail.FlowInfo[0].FlowMessage)
}
