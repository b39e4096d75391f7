package kingdeetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Message is a system message the fake received through SendMsg.
type Message struct {
	// Title is FTitle.
	Title string
	// Content is FContent.
	Content string
	// Receivers are the FReceivers user names.
	Receivers []string
	// Type is FType.
	Type string
}

// Messages returns the messages SendMsg delivered, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		m.Receivers = append([]string(nil), m.Receivers...)
		out[i] = m
	}
	return out
}

// SwitchedOrgs returns the organisation numbers SwitchOrg switched to, in order.
func (s *Server) SwitchedOrgs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.switched...)
}

// sendMsg delivers messages whose title is set and whose receivers are
// all known users (the fake knows one: Username).
func (s *Server) sendMsg(w http.ResponseWriter, req *request) {
	const op = "sendmsg"
	_, model, _ := ci(req.data, "Model")
	list, ok := model.([]any)
	if !ok || len(list) == 0 {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "Model", "Model不能为空", 0))
		return
	}
	o := &outcome{}
	var good []Message
	for i, item := range list {
		m, _ := item.(map[string]any)
		get := func(k string) string { _, v, _ := ci(m, k); return str(v) }
		msg := Message{Title: get("FTitle"), Content: get("FContent"), Receivers: strList(get("FReceivers")), Type: get("FType")}
		switch {
		case m == nil || strings.TrimSpace(msg.Title) == "":
			o.fail(msgValidation, "FTitle", "消息标题不能为空", i)
			continue
		case len(msg.Receivers) == 0:
			o.fail(msgValidation, "FReceivers", "接收人不能为空", i)
			continue
		}
		if bad := unknownUser(msg.Receivers); bad != "" {
			o.fail(msgNoSuchField, "FReceivers", fmt.Sprintf("用户“%s”不存在", bad), i)
			continue
		}
		good = append(good, msg)
		o.ents = append(o.ents, entity{0, "", i})
	}
	if len(o.errs) == 0 {
		s.messages = append(s.messages, good...) // all or nothing
	} else {
		o.ents = nil
	}
	s.writeStatus(w, op, nil, o)
}

func unknownUser(names []string) string {
	for _, n := range names {
		if !strings.EqualFold(n, Username) {
			return n
		}
	}
	return ""
}

// switchOrg moves the caller's session to a known organisation.
func (s *Server) switchOrg(w http.ResponseWriter, sid string, req *request) {
	const op = "switchorg"
	_, num, _ := ci(req.data, "OrgNumber")
	n := strings.TrimSpace(str(num))
	switch {
	case n == "":
		s.writeStatus(w, op, nil, failure(msgBadParameter, "OrgNumber", "OrgNumber不能为空", 0))
	case !s.orgs[n]:
		s.writeStatus(w, op, nil, failure(msgNotFound, "OrgNumber", fmt.Sprintf("组织“%s”不存在或没有权限", n), 0))
	default:
		s.sessionOrg[sid] = n
		s.switched = append(s.switched, n)
		s.writeStatus(w, op, nil, &outcome{msgs: []string{"切换组织成功"}})
	}
}

// flexSave returns one id per distinct combination of flexible values:
// the same values again give the same id.
func (s *Server) flexSave(w http.ResponseWriter, req *request) {
	const op = "flexsave"
	_, model, _ := ci(req.data, "Model")
	m, ok := model.(map[string]any)
	if req.formID == "" || !ok || len(m) == 0 {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "Model", "FormId和Model不能为空", 0))
		return
	}
	canon := make(map[string]string, len(m))
	for k, v := range m {
		if empty(v) {
			continue
		}
		canon[strings.ToUpper(k)] = str(v)
	}
	if len(canon) == 0 {
		s.writeStatus(w, op, nil, failure(msgValidation, "Model", "弹性域的值不能全部为空", 0))
		return
	}
	b, _ := json.Marshal(canon) // map keys marshal sorted: a stable identity
	key := strings.ToUpper(req.formID) + "|" + string(b)
	id, ok := s.flexes[key]
	if !ok {
		s.nextID++
		id = s.nextID
		s.flexes[key] = id
	}
	s.writeStatus(w, op, map[string]any{"Id": s.num(id), "Number": "", "NeedReturnData": []any{}},
		&outcome{ents: []entity{{id, "", 0}}})
}

// disassembly saves a bill split by the fake's rule: one bill per row of
// its first entry table (a bill with one row or none stays whole).
func (s *Server) disassembly(w http.ResponseWriter, req *request) {
	const op = "disassembly"
	_, model, _ := ci(req.data, "Model")
	m, ok := model.(map[string]any)
	if req.formID == "" || !ok {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "Model", "FormId和Model不能为空", 0))
		return
	}
	pieces := split(m)
	f := s.form(req.formID)
	o := &outcome{}
	var made []*bill
	for i, p := range pieces {
		if b := s.create(f, p, i, saveOpts{}, o); b != nil {
			made = append(made, b)
			o.ents = append(o.ents, entity{b.id, b.number, i})
		}
	}
	if len(o.errs) > 0 { // all or nothing, as Save
		for _, b := range made {
			delete(f.byID, b.id)
			delete(f.byNo, b.number)
		}
		o.ents = nil
	}
	s.writeStatus(w, op, map[string]any{"Id": "", "Number": "", "NeedReturnData": []any{}}, o)
}

// split returns one model per row of the first entry table of m.
func split(m map[string]any) []map[string]any {
	for k, v := range m {
		rows, ok := v.([]any)
		if !ok || len(rows) < 2 {
			continue
		}
		if _, isObj := rows[0].(map[string]any); !isObj {
			continue
		}
		out := make([]map[string]any, len(rows))
		for i, row := range rows {
			piece := deepCopy(m).(map[string]any)
			piece[k] = []any{deepCopy(row)}
			out[i] = piece
		}
		return out
	}
	return []map[string]any{m}
}
