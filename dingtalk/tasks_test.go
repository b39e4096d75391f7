package dingtalk_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// taskOf returns the task ID of user on the instance (new API).
func taskOf(t *testing.T, c *dingtalk.Client, id, user string) int64 {
	t.Helper()
	res, err := c.GetProcessInstance(context.Background(), &dingtalk.GetProcessInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err)
	for _, task := range res.Result.Tasks {
		if task.UserID == user && task.Status == "RUNNING" {
			return task.TaskID
		}
	}
	t.Fatalf("no running task of %s", user)
	return 0
}

func TestExecuteTasksChangesStateAndTodoCounts(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	id := srv.AddInstance(dingtalktest.Instance{ProcessCode: procCode, OriginatorUserID: "u1", ApproverUserIDs: []string{"a", "b"}})

	num, err := c.OapiGetTodoNum(ctx, &dingtalk.OapiGetTodoNumRequest{UserID: "a"})
	require.NoError(t, err)
	assert.Equal(t, int64(1), num.Count)

	_, err = c.ExecuteProcessInstance(ctx, &dingtalk.ExecuteProcessInstanceRequest{ProcessInstanceID: id,
		TaskID: taskOf(t, c, id, "a"), ActionerUserID: "a", Result: "agree", Remark: "ok"})
	require.NoError(t, err)
	sum, err := c.GetUserTodoTaskSum(ctx, &dingtalk.GetUserTodoTaskSumRequest{UserID: "a"})
	require.NoError(t, err)
	assert.Equal(t, int32(0), sum.Result, "a's task is done")
	inst, _ := srv.Instance(id)
	assert.Equal(t, dingtalk.StatusRunning, inst.Status, "b has not decided yet")

	// The same task again is refused, as DingTalk does.
	_, err = c.ExecuteProcessInstance(ctx, &dingtalk.ExecuteProcessInstanceRequest{ProcessInstanceID: id,
		TaskID: inst.Tasks[0].ID, ActionerUserID: "a", Result: "agree"})
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, 400, e.HTTPStatus)

	// b refuses through the old API: the instance completes, refused.
	_, err = c.OapiExecuteProcessInstance(ctx, &dingtalk.OapiExecuteProcessInstanceRequest{Request: &dingtalk.OapiExecuteProcessInstanceRequestExecuteTaskRequest{
		ProcessInstanceID: id, ActionerUserID: "b", TaskID: taskOf(t, c, id, "b"), Result: "refuse", Remark: "超标"}})
	require.NoError(t, err)
	got, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StatusCompleted, got.Instance.Status)
	assert.Equal(t, dingtalk.ResultRefuse, got.Instance.Result)
	assert.Equal(t, "REFUSE", got.Instance.Tasks[1].TaskResult)
	assert.Len(t, got.Instance.OperationRecords, 3, "start and two decisions")
}

func TestCommentAndTerminate(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	id := srv.AddInstance(dingtalktest.Instance{ProcessCode: procCode, OriginatorUserID: "u1", ApproverUserIDs: []string{"a"}})

	_, err := c.AddProcessInstanceComment(ctx, &dingtalk.AddProcessInstanceCommentRequest{ProcessInstanceID: id, CommentUserID: "a", Text: "请补发票"})
	require.NoError(t, err)
	_, err = c.OapiAddProcessInstanceComment(ctx, &dingtalk.OapiAddProcessInstanceCommentRequest{Request: &dingtalk.OapiAddProcessInstanceCommentRequestAddCommentRequest{
		ProcessInstanceID: id, CommentUserID: "u1", Text: "已补"}})
	require.NoError(t, err)

	_, err = c.TerminateProcessInstance(ctx, &dingtalk.TerminateProcessInstanceRequest{ProcessInstanceID: id, OperatingUserID: "someone-else"})
	require.Error(t, err, "only the originator may revoke")
	_, err = c.TerminateProcessInstance(ctx, &dingtalk.TerminateProcessInstanceRequest{ProcessInstanceID: id, OperatingUserID: "u1", Remark: "撤回"})
	require.NoError(t, err)
	_, err = c.OapiTerminateProcessInstance(ctx, &dingtalk.OapiTerminateProcessInstanceRequest{Request: &dingtalk.OapiTerminateProcessInstanceRequestTerminateProcessInstanceRequestV2{
		ProcessInstanceID: id, IsSystem: true}})
	require.Error(t, err, "a terminated instance cannot be terminated again")

	got, err := c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StatusTerminated, got.Instance.Status)
	assert.Equal(t, "CANCELED", got.Instance.Tasks[0].Status)
	var types, remarks []string
	for _, r := range got.Instance.OperationRecords {
		types, remarks = append(types, r.Type), append(remarks, r.Remark)
	}
	assert.Equal(t, []string{"START_PROCESS_INSTANCE", "ADD_REMARK", "ADD_REMARK", "TERMINATE_PROCESS_INSTANCE"}, types)
	assert.Equal(t, []string{"", "请补发票", "已补", "撤回"}, remarks)
	assert.Equal(t, 0, srv.TodoCount("a"))
}

// TestFakeAnswersEveryEndpointWithItsShape calls endpoints without state
// and checks that their answers decode with every field set.
func TestFakeAnswersSampleShapes(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	res, err := c.QuerySchemaByProcessCode(ctx, &dingtalk.QuerySchemaByProcessCodeRequest{ProcessCode: "PROC-1"})
	require.NoError(t, err)
	require.NotNil(t, res.Result)
	assert.NotEmpty(t, res.Result.SchemaContent.Items)
	code, err := c.OapiGetProcessCodeByName(ctx, &dingtalk.OapiGetProcessCodeByNameRequest{Name: "报销"})
	require.NoError(t, err)
	assert.NotEmpty(t, code.ProcessCode)
	_, err = c.OapiGetProcessCodeByName(ctx, &dingtalk.OapiGetProcessCodeByNameRequest{Name: " "})
	assert.ErrorIs(t, err, dingtalk.ErrInvalidRequest, "the client checks required fields first")
}
