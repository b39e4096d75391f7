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
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client(essbasic.WithRetry(essbasic.RetryPolicy{MaxAttempts: 1}))

	// Unknown parameters are refused, as the platform does.
	_, err := c.Raw(ctx, &essbasic.RawRequest{Action: "ChannelCancelFlow", Params: map[string]any{
		"Agent": srv.Config().Agent, "FlowId": "f", "Bogus": 1}})
	assert.True(t, essbasic.IsCode(err, essbasic.CodeUnknownParameter), "%v", err)

	// Injected errors.
	srv.FailNext(essbasictest.Fault{Match: "DescribeFlowDetailInfo", Code: "InternalError.Db", Message: "db down"})
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
	_, _, err = srv.PostCallback(ctx, "OrgAuth", map[string]any{})
	assert.ErrorIs(t, err, essbasictest.ErrNoCallback)
	_, _, err = srv.CompleteFlow(ctx, res.FlowIds[0])
	assert.ErrorIs(t, err, essbasictest.ErrNoCallback)
	detail, err := c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: res.FlowIds})
	require.NoError(t, err)
	assert.Equal(t, "INIT", detail.FlowInfo[0].FlowStatus, "nothing changed when the callback could not be sent")

	var got []byte
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		assert.Empty(t, r.Header.Get("Content-Signature"))
	}))
	defer hook.Close()
	srv.SetCallback(hook.URL, "", "")
	status, _, err := srv.CompleteFlow(ctx, res.FlowIds[0])
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	assert.Contains(t, string(got), `"MsgType":"FlowStatusChange"`)
	assert.Contains(t, string(got), res.FlowIds[0])
	_, _, err = srv.CompleteFlow(ctx, res.FlowIds[0])
	assert.Error(t, err, "a completed flow cannot complete again")
	_, _, err = srv.CompleteFlow(ctx, "nope")
	assert.Error(t, err)
}

// TestCompleteFlowReportsTheReceiversAnswer: a receiver that answers 500
// does not make CompleteFlow fail after the flow was completed (it did on
// the old code); the status and body come back, and Redeliver sends the
// same bytes again.
func TestCompleteFlowReportsTheReceiversAnswer(t *testing.T) {
	ctx := context.Background()
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client()
	var bodies [][]byte
	answer := http.StatusInternalServerError
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, b)
		w.WriteHeader(answer)
		_, _ = io.WriteString(w, "not now")
	}))
	defer hook.Close()
	srv.SetCallback(hook.URL, essbasictest.CallbackKey, essbasictest.CallbackToken)
	res, err := c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{{
		FlowName: "n", Deadline: 1, TemplateId: essbasictest.TemplateID}}})
	require.NoError(t, err)

	status, body, err := srv.CompleteFlow(ctx, res.FlowIds[0])
	require.NoError(t, err, "the flow is completed; the receiver's 500 is its answer, not the fake's failure")
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, "not now", string(body))
	detail, err := c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: res.FlowIds})
	require.NoError(t, err)
	assert.Equal(t, "ALL", detail.FlowInfo[0].FlowStatus)

	answer = http.StatusOK
	status, _, err = srv.Redeliver(ctx)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	require.Len(t, bodies, 2)
	assert.Equal(t, bodies[0], bodies[1], "a redelivery is the same message")

	// A receiver that cannot be reached: an error, and the flow unchanged.
	res, err = c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{{
		FlowName: "n", Deadline: 1, TemplateId: essbasictest.TemplateID}}})
	require.NoError(t, err)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	srv.SetCallback(gone.URL, "", "")
	_, _, err = srv.RejectFlow(ctx, res.FlowIds[0], "x")
	require.Error(t, err)
	detail, err = c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: res.FlowIds})
	require.NoError(t, err)
	assert.Equal(t, "INIT", detail.FlowInfo[0].FlowStatus, "an error means nothing happened")
}

// TestFailNextFaults: the shared fault vocabulary, rendered in Tencent's
// envelope, matched by action, for a number of times.
func TestFailNextFaults(t *testing.T) {
	ctx := context.Background()
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client(essbasic.WithRetry(essbasic.RetryPolicy{MaxAttempts: 1}))
	read := func() error {
		_, err := c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
		return err
	}
	srv.FailNext(essbasictest.Fault{Match: "DescribeFlowDetailInfo", Code: "ResourceNotFound.Flow", Message: "no", Times: 2})
	for i := 0; i < 2; i++ {
		var e *essbasic.Error
		require.ErrorAs(t, read(), &e)
		assert.Equal(t, "ResourceNotFound.Flow", e.Code)
		assert.NotEmpty(t, e.RequestID)
		assert.Equal(t, 200, e.HTTPStatus)
	}
	require.NoError(t, read(), "used up")

	srv.FailNext(essbasictest.Fault{Match: "ChannelCancelFlow", Code: "X"})
	require.NoError(t, read(), "another action's fault does not match")

	srv.FailNext(essbasictest.Fault{Status: 502, Body: "<html>bad gateway</html>", ContentType: "text/html"})
	var e *essbasic.Error
	require.ErrorAs(t, read(), &e)
	assert.Equal(t, 502, e.HTTPStatus)
	assert.Contains(t, e.Error(), "response is not JSON")

	srv.FailNext(essbasictest.Fault{Reset: true})
	assert.ErrorContains(t, read(), "network error")

	// Downloads fail too: an HTML page with 200 is never saved.
	srv.FailNext(essbasictest.Fault{Match: "Download", Status: 200, ContentType: "text/html", Body: "<html>login</html>"})
	res, err := c.DescribeResourceUrlsByFlows(ctx, &essbasic.DescribeResourceUrlsByFlowsRequest{FlowIds: []string{"f"}})
	require.NoError(t, err)
	_ = res
	n, err := c.DownloadResource(ctx, srv.URL+"/file/x?hkey=y", io.Discard)
	assert.Zero(t, n)
	require.ErrorAs(t, err, &e)
	assert.Contains(t, e.Error(), "page instead of the file")
	assert.Equal(t, 6, srv.Calls("DescribeFlowDetailInfo"), "faulted actions still count")
}

// TestClientNeverPanics: invalid options give a client that reports them.
func TestClientNeverPanics(t *testing.T) {
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client(essbasic.WithTimeout(-1))
	require.NotNil(t, c)
	_, err := c.DescribeFlowDetailInfo(context.Background(), &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	require.Error(t, err)
	assert.ErrorIs(t, err, essbasic.ErrInvalidRequest)
	assert.Contains(t, err.Error(), "timeout")
	assert.Zero(t, srv.Calls("DescribeFlowDetailInfo"))
}

func TestRejectFlow(t *testing.T) {
	ctx := context.Background()
	srv := essbasictest.NewServer()
	defer srv.Close()
	c := srv.Client()
	events := make(chan *essbasic.CallbackEvent, 1)
	hook := httptest.NewServer(essbasic.NewCallbackHandler(essbasic.CallbackConfig{Key: essbasictest.CallbackKey},
		func(_ context.Context, ev *essbasic.CallbackEvent) error { events <- ev; return nil }))
	defer hook.Close()
	srv.SetCallback(hook.URL, essbasictest.CallbackKey, "")

	res, err := c.CreateFlowsByTemplates(ctx, &essbasic.CreateFlowsByTemplatesRequest{FlowInfos: []essbasic.FlowInfo{{
		FlowName: "n", Deadline: 1, TemplateId: essbasictest.TemplateID,
		FlowApprovers: []essbasic.FlowApproverInfo{{Name: "甲"}, {Name: "乙"}}}}})
	require.NoError(t, err)
	status, _, err := srv.RejectFlow(ctx, res.FlowIds[0], "金额不对")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
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
