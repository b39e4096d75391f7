package dingtalktest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// The fake keeps state: an approver's decision completes the instance.
func Example() {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	id := srv.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-EXPENSE", OriginatorUserID: "u1", ApproverUserIDs: []string{"boss"}})
	inst, err := c.GetProcessInstance(ctx, &dingtalk.GetProcessInstanceRequest{ProcessInstanceID: id})
	if err != nil {
		log.Fatal(err)
	}
	task := inst.Result.Tasks[0]
	fmt.Println(inst.Result.Status, task.UserID, task.Status, srv.TodoCount("boss"))

	_, err = c.ExecuteProcessInstance(ctx, &dingtalk.ExecuteProcessInstanceRequest{ProcessInstanceID: id, TaskID: task.TaskID,
		ActionerUserID: "boss", Result: "agree", Remark: "同意"})
	if err != nil {
		log.Fatal(err)
	}
	after, _ := srv.Instance(id)
	fmt.Println(after.Status, after.Result, srv.TodoCount("boss"))

	// A fault in DingTalk's own error shape.
	srv.FailNext(dingtalktest.Fault{Match: "GetProcessInstance", Code: "Forbidden.AccessDenied", Message: "no permission"})
	_, err = c.GetProcessInstance(ctx, &dingtalk.GetProcessInstanceRequest{ProcessInstanceID: id})
	fmt.Println(dingtalk.IsCode(err, "Forbidden.AccessDenied"))
	// Output:
	// RUNNING boss RUNNING 1
	// COMPLETED agree 0
	// true
}
