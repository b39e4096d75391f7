package dingtalktest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
)

// china is the zone of the old API's "yyyy-MM-dd HH:mm:ss" times.
var china = time.FixedZone("CST", 8*3600)

const (
	oldTimeLayout = "2006-01-02 15:04:05"
	newTimeLayout = "2006-01-02T15:04Z"
)

// Instance is an approval instance held by the fake.
type Instance struct {
	ID                 string // generated when empty
	ProcessCode        string
	Title              string
	OriginatorUserID   string
	OriginatorDeptID   string
	OriginatorDeptName string
	Status             string // dingtalk.StatusRunning, dingtalk.StatusCompleted, …
	Result             string // dingtalk.ResultAgree, …
	BusinessID         string // generated when empty
	CreateTime         time.Time
	FinishTime         time.Time
	ApproverUserIDs    []string
	CCUserIDs          []string
	// Form holds the values as processinstance/get returns them: a detail
	// table's Value is the JSON string of {rowNumber,rowValue} rows.
	Form []dingtalk.FormValue
	// Tasks are the approvers' tasks; when empty, AddInstance makes one per
	// approver (RUNNING, or COMPLETED with the instance's result).
	Tasks []Task
	// Records are the history after the start: decisions, comments,
	// termination.
	Records []Record
}

// Task is one approver's task held by the fake.
type Task struct {
	ID         int64
	UserID     string
	Status     string // RUNNING, COMPLETED, CANCELED
	Result     string // NONE, AGREE, REFUSE
	CreateTime time.Time
	FinishTime time.Time
}

// Record is one history entry: EXECUTE_TASK_NORMAL, ADD_REMARK,
// TERMINATE_PROCESS_INSTANCE.
type Record struct {
	UserID      string
	Date        time.Time
	Type        string
	Result      string // AGREE, REFUSE, NONE
	Remark      string
	Attachments []dingtalk.Attachment
}

// AddInstance stores inst and returns its ID.
func (s *Server) AddInstance(inst Instance) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addLocked(inst)
}

func (s *Server) addLocked(inst Instance) string {
	if inst.ID == "" {
		inst.ID = s.nextID()
	}
	if inst.CreateTime.IsZero() {
		inst.CreateTime = s.now()
	}
	if inst.BusinessID == "" {
		inst.BusinessID = inst.CreateTime.In(china).Format("20060102150405") + strconv.Itoa(100000+s.seq)
	}
	if inst.Status == "" {
		inst.Status = dingtalk.StatusRunning
	}
	if inst.OriginatorDeptID == "" {
		inst.OriginatorDeptID = "-1"
	}
	if len(inst.Tasks) == 0 {
		inst.Tasks = s.tasksFor(&inst)
	}
	if _, ok := s.instances[inst.ID]; !ok {
		s.order = append(s.order, inst.ID)
	}
	s.instances[inst.ID] = &inst
	return inst.ID
}

// Instance returns a copy of a stored instance.
func (s *Server) Instance(id string) (Instance, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, ok := s.instances[id]
	if !ok {
		return Instance{}, false
	}
	return *inst, true
}

// selectIDs returns the IDs of code's instances created in [start, end],
// oldest first, started by one of users and in one of statuses when those
// are not empty.
func (s *Server) selectIDs(code string, start, end int64, users, statuses []string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var hits []*Instance
	for _, id := range s.order {
		in := s.instances[id]
		t := in.CreateTime.UnixMilli()
		if in.ProcessCode != code || t < start || t > end {
			continue
		}
		if (len(users) > 0 && !slices.Contains(users, in.OriginatorUserID)) ||
			(len(statuses) > 0 && !slices.Contains(statuses, in.Status)) {
			continue
		}
		hits = append(hits, in)
	}
	slices.SortStableFunc(hits, func(a, b *Instance) int { return a.CreateTime.Compare(b.CreateTime) })
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// page cuts ids at offset; next < 0 means no more.
func page(ids []string, offset int64, size int) ([]string, int64) {
	if offset > int64(len(ids)) {
		offset = int64(len(ids))
	}
	end := min(offset+int64(size), int64(len(ids)))
	if end >= int64(len(ids)) {
		return ids[offset:end], -1
	}
	return ids[offset:end], end
}

func (s *Server) listIDs(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ProcessCode string      `json:"process_code"`
		StartTime   json.Number `json:"start_time"`
		EndTime     json.Number `json:"end_time"`
		Size        json.Number `json:"size"`
		Cursor      json.Number `json:"cursor"`
		UserIDList  string      `json:"userid_list"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		oldErr(w, 40035, "不合法的参数")
		return
	}
	start, err1 := num(in.StartTime, -1)
	end, err2 := num(in.EndTime, s.clock().UnixMilli())
	size, err3 := num(in.Size, 20)
	cursor, err4 := num(in.Cursor, 0)
	switch {
	case in.ProcessCode == "":
		oldErr(w, 40035, "缺少参数 process_code")
	case err1 != nil || start < 0:
		oldErr(w, 40035, "缺少参数 start_time")
	case err2 != nil || err3 != nil || err4 != nil || cursor < 0:
		oldErr(w, 40035, "不合法的参数")
	case size < 1 || size > 20:
		oldErr(w, 40035, "不合法的参数 size: 最大为20")
	default:
		var users []string
		if in.UserIDList != "" {
			users = strings.Split(in.UserIDList, ",")
		}
		ids, next := page(s.selectIDs(in.ProcessCode, start, end, users, nil), cursor, int(size))
		result := map[string]any{"list": ids}
		if next >= 0 {
			result["next_cursor"] = next
		}
		writeJSON(w, http.StatusOK, map[string]any{"errcode": 0, "result": result, "request_id": requestID()})
	}
}

// num reads an optional JSON number (DingTalk also accepts numeric strings).
func num(n json.Number, def int64) (int64, error) {
	if n == "" {
		return def, nil
	}
	return strconv.ParseInt(strings.Trim(string(n), `"`), 10, 64)
}

func (s *Server) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

func (s *Server) getInstance(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ID string `json:"process_instance_id"`
	}
	_ = json.NewDecoder(r.Body).Decode(&in)
	inst, ok := s.Instance(in.ID)
	if !ok {
		oldErr(w, 40035, "不合法的参数 process_instance_id")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"errcode": 0, "request_id": requestID(), "process_instance": oldView(&inst)})
}

func (s *Server) createInstance(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ProcessCode      string         `json:"process_code"`
		OriginatorUserID string         `json:"originator_user_id"`
		DeptID           json.Number    `json:"dept_id"`
		Approvers        string         `json:"approvers"`
		Form             []createdValue `json:"form_component_values"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		oldErr(w, 40035, "不合法的参数")
		return
	}
	switch {
	case in.ProcessCode == "":
		oldErr(w, 40035, "缺少参数 process_code")
	case in.OriginatorUserID == "":
		oldErr(w, 40035, "缺少参数 originator_user_id")
	case in.DeptID == "":
		oldErr(w, 40035, "缺少参数 dept_id")
	case len(in.Form) == 0:
		oldErr(w, 40035, "缺少参数 form_component_values")
	default:
		var approvers []string
		if in.Approvers != "" {
			approvers = strings.Split(in.Approvers, ",")
		}
		id := s.create(in.ProcessCode, in.OriginatorUserID, string(in.DeptID), approvers, in.Form)
		writeJSON(w, http.StatusOK, map[string]any{"errcode": 0, "process_instance_id": id, "request_id": requestID()})
	}
}

// createdValue is a form value as the create calls send it.
type createdValue struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	ExtValue string `json:"ext_value"`
}

// create stores a started instance; table values sent in the create format
// ([[{name,value}]]) are stored in the get format.
func (s *Server) create(code, user, dept string, approvers []string, form []createdValue) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	values := make([]dingtalk.FormValue, len(form))
	title := user + "提交的审批"
	for i, v := range form {
		values[i] = dingtalk.FormValue{Name: v.Name, Value: v.Value, ExtValue: v.ExtValue}
		if rows, ok := createdTable(v.Value); ok {
			values[i].Value, values[i].ComponentType = rows, "TableField"
		}
	}
	return s.addLocked(Instance{ProcessCode: code, Title: title, OriginatorUserID: user, OriginatorDeptID: dept,
		ApproverUserIDs: approvers, Form: values})
}

// createdTable converts a create-format table value to the get format.
func createdTable(v string) (string, bool) {
	if !strings.HasPrefix(strings.TrimSpace(v), "[[") {
		return "", false
	}
	var rows [][]createdValue
	if json.Unmarshal([]byte(v), &rows) != nil {
		return "", false
	}
	out := make([]tableRow, len(rows))
	for i, r := range rows {
		out[i].RowNumber = "TableField_" + strconv.Itoa(i+1)
		for _, c := range r {
			out[i].RowValue = append(out[i].RowValue, tableCell{Label: c.Name, Value: c.Value})
		}
	}
	b, _ := json.Marshal(out)
	return string(b), true
}
