package dingtalktest

import (
	"strconv"
	"strings"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
)

func oldTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(china).Format(oldTimeLayout)
}

// oldView renders an instance as processinstance/get does.
func oldView(in *Instance) map[string]any {
	form := make([]map[string]string, len(in.Form))
	for i, v := range in.Form {
		form[i] = map[string]string{"id": v.ID, "name": v.Name, "value": v.Value, "ext_value": v.ExtValue, "component_type": v.ComponentType}
	}
	records := []map[string]any{{"userid": in.OriginatorUserID, "date": oldTime(in.CreateTime),
		"operation_type": "START_PROCESS_INSTANCE", "operation_result": "NONE", "remark": ""}}
	var tasks []map[string]any
	for i, u := range in.ApproverUserIDs {
		task := map[string]any{"userid": u, "taskid": strconv.Itoa(60000 + i), "create_time": oldTime(in.CreateTime),
			"task_status": "RUNNING", "task_result": "NONE", "url": "https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm"}
		if in.Status == dingtalk.StatusCompleted {
			task["task_status"], task["task_result"], task["finish_time"] = "COMPLETED", strings.ToUpper(in.Result), oldTime(in.FinishTime)
			records = append(records, map[string]any{"userid": u, "date": oldTime(in.FinishTime),
				"operation_type": "EXECUTE_TASK_NORMAL", "operation_result": strings.ToUpper(in.Result), "remark": "同意"})
		}
		tasks = append(tasks, task)
	}
	return map[string]any{
		"title": in.Title, "create_time": oldTime(in.CreateTime), "finish_time": oldTime(in.FinishTime),
		"originator_userid": in.OriginatorUserID, "originator_dept_id": in.OriginatorDeptID,
		"originator_dept_name": in.OriginatorDeptName, "status": in.Status, "result": in.Result,
		"approver_userids": nonNil(in.ApproverUserIDs), "cc_userids": nonNil(in.CCUserIDs), "business_id": in.BusinessID,
		"biz_action": "NONE", "attached_process_instance_ids": []string{}, "form_component_values": form,
		"operation_records": records, "tasks": tasks,
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// newView renders an instance as the new API's GET processInstances does.
func newView(in *Instance) map[string]any {
	form := make([]map[string]string, len(in.Form))
	for i, v := range in.Form {
		form[i] = map[string]string{"id": v.ID, "name": v.Name, "value": v.Value, "extValue": v.ExtValue, "componentType": v.ComponentType}
	}
	nt := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(newTimeLayout)
	}
	return map[string]any{
		"title": in.Title, "createTime": nt(in.CreateTime), "finishTime": nt(in.FinishTime),
		"originatorUserId": in.OriginatorUserID, "originatorDeptId": in.OriginatorDeptID,
		"originatorDeptName": in.OriginatorDeptName, "status": in.Status, "result": in.Result,
		"businessId": in.BusinessID, "bizAction": "NONE", "approverUserIds": nonNil(in.ApproverUserIDs),
		"ccUserIds": nonNil(in.CCUserIDs), "formComponentValues": form,
		"operationRecords": []map[string]any{{"userId": in.OriginatorUserID, "date": nt(in.CreateTime), "type": "START_PROCESS_INSTANCE", "result": "NONE"}},
		"tasks":            []map[string]any{},
	}
}
