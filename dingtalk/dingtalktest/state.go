package dingtalktest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/dingtalk"
)

// tasksFor makes one task per approver: RUNNING while the instance runs,
// COMPLETED with its result once it is done.
func (s *Server) tasksFor(in *Instance) []Task {
	var out []Task
	for _, u := range in.ApproverUserIDs {
		s.seq++
		t := Task{ID: 60000 + int64(s.seq), UserID: u, Status: "RUNNING", Result: "NONE", CreateTime: in.CreateTime}
		if in.Status == dingtalk.StatusCompleted {
			t.Status, t.Result, t.FinishTime = "COMPLETED", strings.ToUpper(in.Result), in.FinishTime
			in.Records = append(in.Records, Record{UserID: u, Date: in.FinishTime, Type: "EXECUTE_TASK_NORMAL", Result: t.Result, Remark: "同意"})
		}
		out = append(out, t)
	}
	return out
}

// endpointHandlers lets a feature in another file answer an endpoint
// statefully: Stream mode's fake (stream*.go) registers OpenConnection
// from an init func (keeping its own state, e.g. per *Server in a
// sync.Map of its file).
var endpointHandlers = map[string]func(s *Server, w http.ResponseWriter, r *http.Request){}

// handler returns the stateful handler of an endpoint, or nil when the
// fake answers it with a sample.
func (s *Server) handler(name string) func(http.ResponseWriter, *http.Request, *call) {
	if h := endpointHandlers[name]; h != nil {
		return func(w http.ResponseWriter, r *http.Request, _ *call) { h(s, w, r) }
	}
	plain := func(h func(http.ResponseWriter, *http.Request)) func(http.ResponseWriter, *http.Request, *call) {
		return func(w http.ResponseWriter, r *http.Request, _ *call) { h(w, r) }
	}
	switch name {
	case "OapiGetAccessToken":
		return plain(s.getToken)
	case "GetAccessToken":
		return plain(s.accessToken)
	case "OapiListProcessInstanceIds":
		return plain(s.listIDs)
	case "OapiGetProcessInstance":
		return plain(s.getInstance)
	case "OapiCreateProcessInstance":
		return plain(s.createInstance)
	case "GetProcessInstance", "StartProcessInstance":
		return plain(s.workflowInstances)
	case "ListProcessInstanceIds":
		return plain(s.workflowListIDs)
	case "ExecuteProcessInstance", "OapiExecuteProcessInstance":
		return s.execute
	case "TerminateProcessInstance", "OapiTerminateProcessInstance":
		return s.terminate
	case "AddProcessInstanceComment", "OapiAddProcessInstanceComment":
		return s.comment
	case "GetUserTodoTaskSum", "OapiGetTodoNum":
		return s.todoCount
	case "GrantProcessInstanceForDownloadFile", "OapiGetProcessInstanceFileUrl":
		return s.fileURL
	case "GetFileDownloadInfo":
		return s.downloadInfo
	}
	return nil
}

// args reads the request's members by their new-API names; the old API's
// members (snake_case, inside "request") are mapped to them.
func (c *call) args() map[string]string {
	src := c.body
	if !c.route.newAPI {
		if inner, ok := c.body["request"]; ok {
			src = map[string]json.RawMessage{}
			_ = json.Unmarshal(inner, &src)
		}
	}
	sub := &call{body: src}
	out := map[string]string{}
	for k := range src {
		out[camel(k)] = sub.str(k)
	}
	return out
}

// camel maps an old wire name to the new one: process_instance_id →
// processInstanceId, actioner_userid → actionerUserId.
func camel(k string) string {
	k = strings.ReplaceAll(k, "userid", "user_id")
	parts := strings.Split(k, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// ok answers {result: true, success: true}, the shape of every
// state-changing approval call of both families.
func ok(w http.ResponseWriter, c *call) {
	writeOK(w, c.route, map[string]any{"result": true, "success": true})
}

// execute approves or refuses a RUNNING task of the actioner; the instance
// completes when one refuses or all agreed.
func (s *Server) execute(w http.ResponseWriter, r *http.Request, c *call) {
	a := c.args()
	result := strings.ToLower(a["result"])
	taskID, err := strconv.ParseInt(a["taskId"], 10, 64)
	if err != nil || (result != "agree" && result != "refuse") || a["actionerUserId"] == "" {
		s.fail(w, c.route, "InvalidParameter", "taskId, actionerUserId 或 result 不合法")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, found := s.instances[a["processInstanceId"]]
	if !found || in.Status != dingtalk.StatusRunning {
		s.fail(w, c.route, "InvalidParameter", "审批实例不存在或已结束")
		return
	}
	i := slices.IndexFunc(in.Tasks, func(t Task) bool { return t.ID == taskID })
	if i < 0 || in.Tasks[i].Status != "RUNNING" || in.Tasks[i].UserID != a["actionerUserId"] {
		s.fail(w, c.route, "InvalidParameter", "任务不存在、已处理或不属于该审批人")
		return
	}
	now := s.now()
	t := &in.Tasks[i]
	t.Status, t.Result, t.FinishTime = "COMPLETED", strings.ToUpper(result), now
	in.Records = append(in.Records, Record{UserID: t.UserID, Date: now, Type: "EXECUTE_TASK_NORMAL", Result: t.Result, Remark: a["remark"]})
	done := result == "refuse" || !slices.ContainsFunc(in.Tasks, func(t Task) bool { return t.Status == "RUNNING" })
	if done {
		in.Status, in.Result, in.FinishTime = dingtalk.StatusCompleted, result, now
		cancelRunning(in)
	}
	ok(w, c)
}

func cancelRunning(in *Instance) {
	for i := range in.Tasks {
		if in.Tasks[i].Status == "RUNNING" {
			in.Tasks[i].Status, in.Tasks[i].FinishTime = "CANCELED", in.FinishTime
		}
	}
}

// terminate revokes a RUNNING instance (撤销): TERMINATED, tasks canceled.
func (s *Server) terminate(w http.ResponseWriter, r *http.Request, c *call) {
	a := c.args()
	s.mu.Lock()
	defer s.mu.Unlock()
	in, found := s.instances[a["processInstanceId"]]
	if !found || in.Status != dingtalk.StatusRunning {
		s.fail(w, c.route, "InvalidParameter", "审批实例不存在或已结束")
		return
	}
	if a["isSystem"] != "true" && a["operatingUserId"] != in.OriginatorUserID {
		s.fail(w, c.route, "InvalidParameter", "只有发起人可以撤销")
		return
	}
	now := s.now()
	in.Status, in.FinishTime = dingtalk.StatusTerminated, now
	cancelRunning(in)
	in.Records = append(in.Records, Record{UserID: first(a["operatingUserId"], in.OriginatorUserID), Date: now,
		Type: "TERMINATE_PROCESS_INSTANCE", Result: "NONE", Remark: a["remark"]})
	ok(w, c)
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// comment adds an ADD_REMARK record.
func (s *Server) comment(w http.ResponseWriter, r *http.Request, c *call) {
	a := c.args()
	s.mu.Lock()
	defer s.mu.Unlock()
	in, found := s.instances[a["processInstanceId"]]
	if !found {
		s.fail(w, c.route, "InvalidParameter", "审批实例不存在")
		return
	}
	in.Records = append(in.Records, Record{UserID: a["commentUserId"], Date: s.now(), Type: "ADD_REMARK", Result: "NONE", Remark: a["text"]})
	ok(w, c)
}

// TodoCount is the number of RUNNING tasks of user, what
// GetUserTodoTaskSum and gettodonum answer.
func (s *Server) TodoCount(user string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, in := range s.instances {
		for _, t := range in.Tasks {
			if t.UserID == user && t.Status == "RUNNING" {
				n++
			}
		}
	}
	return n
}

func (s *Server) todoCount(w http.ResponseWriter, r *http.Request, c *call) {
	if c.route.newAPI {
		writeOK(w, c.route, map[string]any{"result": s.TodoCount(r.URL.Query().Get("userId"))})
		return
	}
	writeOK(w, c.route, map[string]any{"count": s.TodoCount(c.str("userid"))})
}
