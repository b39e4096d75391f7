package dingtalktest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// workflowInstances answers GET and POST /v1.0/workflow/processInstances.
func (s *Server) workflowInstances(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		inst, ok := s.Instance(r.URL.Query().Get("processInstanceId"))
		if !ok {
			newErr(w, http.StatusBadRequest, "InvalidParameter", "processInstanceId 不存在")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"success": "true", "result": newView(&inst)})
	case http.MethodPost:
		var in struct {
			ProcessCode      string         `json:"processCode"`
			OriginatorUserID string         `json:"originatorUserId"`
			DeptID           json.Number    `json:"deptId"`
			Form             []createdValue `json:"formComponentValues"`
		}
		if json.NewDecoder(r.Body).Decode(&in) != nil || in.ProcessCode == "" || in.OriginatorUserID == "" || len(in.Form) == 0 {
			newErr(w, http.StatusBadRequest, "MissingParameter", "缺少参数 processCode, originatorUserId 或 formComponentValues")
			return
		}
		id := s.create(in.ProcessCode, in.OriginatorUserID, string(in.DeptID), nil, in.Form)
		writeJSON(w, http.StatusOK, map[string]any{"instanceId": id})
	default:
		newErr(w, http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found")
	}
}

// workflowListIDs answers POST /v1.0/workflow/processes/instanceIds/query.
func (s *Server) workflowListIDs(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ProcessCode string   `json:"processCode"`
		StartTime   int64    `json:"startTime"`
		EndTime     int64    `json:"endTime"`
		NextToken   int64    `json:"nextToken"`
		MaxResults  int      `json:"maxResults"`
		UserIDs     []string `json:"userIds"`
		Statuses    []string `json:"statuses"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil || in.ProcessCode == "" || in.StartTime <= 0 {
		newErr(w, http.StatusBadRequest, "MissingParameter", "缺少参数 processCode 或 startTime")
		return
	}
	if in.MaxResults < 1 || in.MaxResults > 20 || in.NextToken < 0 {
		newErr(w, http.StatusBadRequest, "InvalidParameter", "maxResults 取值 1~20")
		return
	}
	if in.EndTime == 0 {
		in.EndTime = s.clock().UnixMilli()
	}
	ids, next := page(s.selectIDs(in.ProcessCode, in.StartTime, in.EndTime, in.UserIDs, in.Statuses), in.NextToken, in.MaxResults)
	result := map[string]any{"list": ids}
	if next >= 0 {
		result["nextToken"] = strconv.FormatInt(next, 10)
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "result": result})
}
