package dingtalktest

import (
	"strconv"
	"time"
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
	for _, r := range in.Records {
		rec := map[string]any{"userid": r.UserID, "date": oldTime(r.Date), "operation_type": r.Type,
			"operation_result": r.Result, "remark": r.Remark}
		if len(r.Attachments) > 0 {
			rec["attachments"] = r.Attachments
		}
		records = append(records, rec)
	}
	tasks := []map[string]any{}
	for _, t := range in.Tasks {
		tasks = append(tasks, map[string]any{"userid": t.UserID, "taskid": strconv.FormatInt(t.ID, 10),
			"create_time": oldTime(t.CreateTime), "finish_time": oldTime(t.FinishTime), "task_status": t.Status,
			"task_result": t.Result, "url": "https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm"})
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
	records := []map[string]any{{"userId": in.OriginatorUserID, "date": nt(in.CreateTime), "type": "START_PROCESS_INSTANCE", "result": "NONE"}}
	for _, r := range in.Records {
		records = append(records, map[string]any{"userId": r.UserID, "date": nt(r.Date), "type": r.Type,
			"result": r.Result, "remark": r.Remark, "attachments": r.Attachments})
	}
	tasks := []map[string]any{}
	for _, t := range in.Tasks {
		tasks = append(tasks, map[string]any{"taskId": t.ID, "userId": t.UserID, "status": t.Status, "result": t.Result,
			"createTime": nt(t.CreateTime), "finishTime": nt(t.FinishTime), "processInstanceId": in.ID,
			"pcUrl": "https://aflow.dingtalk.com/dingtalk/pc/query/pchomepage.htm", "mobileUrl": "https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm"})
	}
	return map[string]any{
		"title": in.Title, "createTime": nt(in.CreateTime), "finishTime": nt(in.FinishTime),
		"originatorUserId": in.OriginatorUserID, "originatorDeptId": in.OriginatorDeptID,
		"originatorDeptName": in.OriginatorDeptName, "status": in.Status, "result": in.Result,
		"businessId": in.BusinessID, "bizAction": "NONE", "approverUserIds": nonNil(in.ApproverUserIDs),
		"ccUserIds": nonNil(in.CCUserIDs), "formComponentValues": form,
		"operationRecords": records, "tasks": tasks,
	}
}
