package kingdeetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
)

// Bill is a snapshot of a stored bill.
type Bill struct {
	// ID is FID; Number is FBillNo.
	ID int64
	// Number is FBillNo.
	Number string
	// Status is FDocumentStatus: Z draft, A created, B submitted, C audited, D re-auditing.
	Status string
	// Fields is a copy of the model as saved (keys as the client sent them).
	Fields map[string]any
}

// Field returns a field's value by key as a query column would read it:
// case-insensitively, a base-data reference {"FNumber":"x"} as "x", and
// "FREF.FNumber" into the reference.
func (b Bill) Field(key string) any {
	return lookup(&bill{id: b.ID, number: b.Number, status: b.Status, fields: b.Fields}, key)
}

type bill struct {
	id     int64
	number string
	status string
	fields map[string]any
}

type form struct {
	id     string
	seq    int
	byID   map[int64]*bill
	byNo   map[string]*bill
	prefix string
}

// billPrefixes number new bills like the real forms do.
var billPrefixes = map[string]string{"CN_PAYAPPLY": "FKSQ", "AP_PAYBILL": "FKD", "AP_PAYABLE": "AP"}

func (s *Server) form(id string) *form {
	key := strings.ToUpper(id)
	f := s.forms[key]
	if f == nil {
		p := billPrefixes[key]
		if p == "" {
			p = "BILL"
		}
		f = &form{id: key, byID: map[int64]*bill{}, byNo: map[string]*bill{}, prefix: p}
		s.forms[key] = f
	}
	return f
}

// Bills returns a snapshot of a form's bills in FID order.
func (s *Server) Bills(formID string) []Bill {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.forms[strings.ToUpper(formID)]
	if f == nil {
		return nil
	}
	out := make([]Bill, 0, len(f.byID))
	for _, b := range f.sorted() {
		out = append(out, Bill{ID: b.id, Number: b.number, Status: b.status, Fields: deepCopy(b.fields).(map[string]any)})
	}
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// empty reports a missing required value ("" , null, {"FNumber":""}, 0 FID refs).
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case map[string]any:
		_, n, ok := ci(x, "FNumber")
		return ok && str(n) == ""
	case []any:
		return len(x) == 0
	}
	return false
}

func (s *Server) save(w http.ResponseWriter, op string, req *request) {
	if req.formID == "" {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "FormId", "FormId不能为空", 0))
		return
	}
	_, model, _ := ci(req.data, "Model")
	var models []any
	switch m := model.(type) {
	case []any:
		models = m
	case map[string]any:
		models = []any{m}
	default:
		s.writeStatus(w, op, nil, failure(msgBadParameter, "Model", "Model不能为空", 0))
		return
	}
	if op != "batchsave" && len(models) != 1 {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "Model", "Model必须是单个对象", 0))
		return
	}
	_, needUpdate, _ := ci(req.data, "NeedUpDateFields")
	_, needReturn, _ := ci(req.data, "NeedReturnFields")
	_, auto, _ := ci(req.data, "IsAutoSubmitAndAudit")
	opts := saveOpts{draft: op == "draft", audit: truthy(auto) && op != "draft", update: strList(needUpdate)}
	f := s.form(req.formID)
	o := &outcome{}
	var returned []any
	for i, m := range models {
		fields, ok := m.(map[string]any)
		if !ok {
			o.fail(msgBadParameter, "Model", "Model必须是对象", i)
			continue
		}
		b := s.saveOne(f, fields, i, opts, o)
		if b == nil {
			continue
		}
		o.ents = append(o.ents, entity{b.id, b.number, i})
		if keys := strList(needReturn); len(keys) > 0 {
			row := map[string]any{}
			for _, k := range keys {
				row[k] = lookup(b, k)
			}
			returned = append(returned, row)
		}
	}
	if op != "batchsave" && len(o.errs) > 0 {
		o.ents = nil // Save and Draft are all or nothing
	}
	extra := map[string]any{"Id": "", "Number": "", "NeedReturnData": returned}
	if len(o.ents) == 1 && op != "batchsave" {
		extra["Id"], extra["Number"] = s.num(o.ents[0].id), o.ents[0].number
	}
	s.writeStatus(w, op, extra, o)
}

type saveOpts struct {
	draft, audit bool
	update       []string
}

// saveOne creates or updates one bill, or records its row errors.
func (s *Server) saveOne(f *form, fields map[string]any, i int, opts saveOpts, o *outcome) *bill {
	_, fidV, _ := ci(fields, "FID")
	fid, _ := toInt(fidV)
	if fid == 0 {
		return s.create(f, fields, i, opts, o)
	}
	b := f.byID[fid]
	if b == nil {
		o.fail(msgNotFound, "FID", fmt.Sprintf("单据内码“%d”不存在", fid), i)
		return nil
	}
	if b.status == "B" || b.status == "C" {
		o.fail(msgNotOperable, "", fmt.Sprintf("单据“%s”已提交或已审核，不允许修改", b.number), i)
		return nil
	}
	var next map[string]any
	if len(opts.update) > 0 {
		next = deepCopy(b.fields).(map[string]any)
		for _, key := range opts.update {
			top, _, _ := strings.Cut(key, ".")
			if k, v, ok := ci(fields, top); ok {
				if old, _, had := ci(next, top); had {
					delete(next, old)
				}
				next[k] = v
			}
		}
	} else {
		next = fields
	}
	if _, no, ok := ci(next, "FBillNo"); ok && str(no) != "" && str(no) != b.number {
		if other := f.byNo[str(no)]; other != nil {
			o.fail(msgValidation, "FBillNo", fmt.Sprintf("单据编号“%s”已经存在", str(no)), i)
			return nil
		}
		delete(f.byNo, b.number)
		b.number = str(no)
		f.byNo[b.number] = b
	}
	b.fields = next
	b.status = nextSaveStatus(opts)
	return b
}

func nextSaveStatus(opts saveOpts) string {
	switch {
	case opts.draft:
		return "Z"
	case opts.audit:
		return "C"
	}
	return "A"
}

func (s *Server) create(f *form, fields map[string]any, i int, opts saveOpts, o *outcome) *bill {
	bad := false
	if !opts.draft {
		for _, req := range s.required[f.id] {
			if _, v, ok := ci(fields, req); !ok || empty(v) {
				o.fail(msgValidation, req, fmt.Sprintf("字段“%s”是必填项", req), i)
				bad = true
			}
		}
	}
	_, noV, _ := ci(fields, "FBillNo")
	no := str(noV)
	if no != "" && f.byNo[no] != nil {
		o.fail(msgValidation, "FBillNo", fmt.Sprintf("单据编号“%s”已经存在", no), i)
		bad = true
	}
	if bad {
		return nil
	}
	for no == "" || f.byNo[no] != nil {
		f.seq++
		no = fmt.Sprintf("%s%08d", f.prefix, f.seq)
	}
	s.nextID++
	b := &bill{id: s.nextID, number: no, status: nextSaveStatus(opts), fields: fields}
	f.byID[b.id], f.byNo[no] = b, b
	return b
}

// targets resolves Numbers and Ids; unknown ones become row errors.
func (s *Server) targets(f *form, data map[string]any, o *outcome) []*bill {
	_, nums, _ := ci(data, "Numbers")
	_, ids, _ := ci(data, "Ids")
	var out []*bill
	i := 0
	for _, n := range strList(nums) {
		if b := f.byNo[n]; b != nil {
			out = append(out, b)
		} else {
			o.fail(msgNotFound, "", fmt.Sprintf("单据编号“%s”不存在", n), i)
		}
		i++
	}
	for _, id := range strList(ids) {
		n, _ := toInt(id)
		if b := f.byID[n]; b != nil {
			out = append(out, b)
		} else {
			o.fail(msgNotFound, "", fmt.Sprintf("单据内码“%s”不存在", id), i)
		}
		i++
	}
	if i == 0 {
		o.fail(msgBadParameter, "", "Numbers和Ids不能同时为空", 0)
	}
	return out
}

// transitions: operation → allowed from-statuses → to-status ("" deletes).
var transitions = map[string]struct {
	from, to, verb string
}{
	"submit":       {"AD", "B", "提交"},
	"audit":        {"B", "C", "审核"},
	"unaudit":      {"C", "D", "反审核"},
	"delete":       {"ZAD", "", "删除"},
	"cancelassign": {"B", "A", "撤销"},
}

func (s *Server) transition(w http.ResponseWriter, op string, req *request) {
	t := transitions[op]
	f := s.form(req.formID)
	o := &outcome{}
	for i, b := range s.targets(f, req.data, o) {
		if !strings.Contains(t.from, b.status) {
			o.fail(msgNotOperable, "", fmt.Sprintf("单据“%s”当前状态(%s)不允许%s", b.number, b.status, t.verb), i)
			continue
		}
		o.ents = append(o.ents, entity{b.id, b.number, i})
		if t.to == "" {
			delete(f.byID, b.id)
			delete(f.byNo, b.number)
			continue
		}
		b.status = t.to
	}
	s.writeStatus(w, op, nil, o)
}

func (s *Server) view(w http.ResponseWriter, req *request) {
	f := s.form(req.formID)
	_, num, _ := ci(req.data, "Number")
	_, idV, _ := ci(req.data, "Id")
	var b *bill
	if n := str(num); n != "" {
		b = f.byNo[n]
	} else if id, ok := toInt(idV); ok {
		b = f.byID[id]
	}
	if b == nil {
		s.writeStatus(w, "view", nil, failure(msgNotFound, "", "单据不存在", 0))
		return
	}
	out := deepCopy(b.fields).(map[string]any)
	for _, k := range []string{"FID", "FBillNo", "FDocumentStatus"} {
		if old, _, ok := ci(out, k); ok {
			delete(out, old)
		}
	}
	out["FID"], out["FBillNo"], out["FDOCUMENTSTATUS"] = b.id, b.number, b.status
	s.writeStatus(w, "view", map[string]any{"Result": out}, &outcome{})
}

// pushRules maps a conversion rule to its target form.
var pushRules = map[string]string{"CN_PAYAPPLYTOPAYBILL": "AP_PAYBILL"}

func (s *Server) push(w http.ResponseWriter, req *request) {
	f := s.form(req.formID)
	_, target, _ := ci(req.data, "TargetFormId")
	_, rule, _ := ci(req.data, "RuleId")
	to := str(target)
	if to == "" {
		to = pushRules[strings.ToUpper(str(rule))]
	}
	if to == "" {
		s.writeStatus(w, "push", nil, failure(msgBadParameter, "TargetFormId", "未指定目标单据或转换规则", 0))
		return
	}
	tf := s.form(to)
	o := &outcome{}
	for i, b := range s.targets(f, req.data, o) {
		if b.status != "C" {
			o.fail(msgNotOperable, "", fmt.Sprintf("单据“%s”未审核，不能下推", b.number), i)
			continue
		}
		fields := deepCopy(b.fields).(map[string]any)
		for _, k := range []string{"FID", "FBillNo"} {
			if old, _, ok := ci(fields, k); ok {
				delete(fields, old)
			}
		}
		fields["FSRCBILLNO"] = b.number
		tf.seq++
		s.nextID++
		nb := &bill{id: s.nextID, number: fmt.Sprintf("%s%08d", tf.prefix, tf.seq), status: "A", fields: fields}
		tf.byID[nb.id], tf.byNo[nb.number] = nb, nb
		o.ents = append(o.ents, entity{nb.id, nb.number, i})
	}
	s.writeStatus(w, "push", nil, o)
}

func (s *Server) allocate(w http.ResponseWriter, op string, req *request) {
	_, pk, _ := ci(req.data, "PkIds")
	_, orgs, _ := ci(req.data, "TOrgIds")
	ids := strList(pk)
	if len(ids) == 0 || len(strList(orgs)) == 0 {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "PkIds", "PkIds和TOrgIds不能为空", 0))
		return
	}
	o := &outcome{}
	for i, id := range ids {
		n, _ := toInt(id)
		o.ents = append(o.ents, entity{n, "", i})
	}
	s.writeStatus(w, op, nil, o)
}

// execute runs ExcuteOperation: Forbid and Enable flip FForbidStatus;
// other operations succeed without changing anything.
func (s *Server) execute(w http.ResponseWriter, req *request) {
	if req.opNumber == "" {
		s.writeStatus(w, "excuteoperation", nil, failure(3, "", "操作标识为空", 0))
		return
	}
	f := s.form(req.formID)
	o := &outcome{}
	for i, b := range s.targets(f, req.data, o) {
		switch strings.ToLower(req.opNumber) {
		case "forbid":
			b.fields["FForbidStatus"] = "B"
		case "enable":
			b.fields["FForbidStatus"] = "A"
		}
		o.ents = append(o.ents, entity{b.id, b.number, i})
	}
	s.writeStatus(w, "excuteoperation", nil, o)
}

// workflow approves (B→C), rejects or terminates (B→A) submitted bills.
func (s *Server) workflow(w http.ResponseWriter, req *request) {
	f := s.form(req.formID)
	_, at, _ := ci(req.data, "ApprovalType")
	kind, _ := toInt(at)
	o := &outcome{}
	for i, b := range s.targets(f, req.data, o) {
		if b.status != "B" {
			o.fail(msgNotOperable, "", fmt.Sprintf("单据“%s”不在审批流程中", b.number), i)
			continue
		}
		if kind == 1 {
			b.status = "C"
		} else {
			b.status = "A"
		}
		o.ents = append(o.ents, entity{b.id, b.number, i})
	}
	s.writeStatus(w, "workflowaudit", nil, o)
}

func (s *Server) businessInfo(w http.ResponseWriter, req *request) {
	if req.formID == "" {
		s.writeStatus(w, "querybusinessinfo", nil, failure(msgBadParameter, "FormId", "FormId不能为空", 0))
		return
	}
	info := map[string]any{"Id": strings.ToUpper(req.formID), "Name": []any{map[string]any{"Key": 2052, "Value": req.formID}},
		"Required": s.required[strings.ToUpper(req.formID)]}
	s.writeStatus(w, "querybusinessinfo", map[string]any{"NeedReturnData": info}, &outcome{})
}

// login answers the three login services.
func (s *Server) login(w http.ResponseWriter, op string, body []byte) {
	var top map[string]any
	if err := decodeJSON(body, &top); err != nil || top == nil {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("response_error:请求格式错误"))
		return
	}
	p, _ := top["parameters"].([]any)
	arg := func(i int) string {
		if i < len(p) {
			return str(p[i])
		}
		return ""
	}
	var acct, user string
	ok := false
	switch op {
	case "validateuser":
		if p == nil {
			_, a, _ := ci(top, "acctID")
			_, u, _ := ci(top, "username")
			_, pw, _ := ci(top, "password")
			acct, user, ok = str(a), str(u), str(pw) == Password
		} else {
			acct, user, ok = arg(0), arg(1), arg(2) == Password
		}
	case "loginbyappsecret":
		acct, user, ok = arg(0), arg(1), arg(2) == AppID && arg(3) == AppSecret
	case "loginbysign":
		acct, user = arg(0), arg(1)
		// Kingdee's SDKs send the timestamp as a JSON number; a string is
		// what an old hetong sent, and the fake refuses it to catch that.
		isNumber := false
		if len(p) == 6 {
			_, isNumber = p[3].(json.Number)
		}
		want := kdsign.LoginSign(acct, user, AppID, AppSecret, arg(3))
		ok = isNumber && arg(2) == AppID && arg(4) == want
	case "loginbysimplepassport":
		raw, err := decodeB64(arg(0))
		ok = err == nil && string(raw) == Passport
		acct, user = AcctID, Username
		if !ok {
			acct = "" // the passport names the data centre; a bad one names none
		}
	case "validateuserendecode":
		u, err1 := kdsign.EnDeDecode(arg(1))
		pw, err2 := kdsign.EnDeDecode(arg(2))
		acct, user, ok = arg(0), u, err1 == nil && err2 == nil && pw == Password
	}
	switch {
	case acct != AcctID:
		writeJSON(w, map[string]any{"Message": "数据中心不存在", "LoginResultType": -1, "KDSVCSessionId": nil, "IsSuccessByAPI": false})
	case user != Username || !ok:
		writeJSON(w, map[string]any{"Message": "用户名或密码错误！", "MessageCode": "CheckPasswordPolicy", "LoginResultType": 0, "KDSVCSessionId": nil, "IsSuccessByAPI": false})
	default:
		sid := s.newSession(w)
		writeJSON(w, map[string]any{"Message": nil, "MessageCode": "CheckPasswordPolicy", "LoginResultType": 1,
			"Context":        map[string]any{"UserName": user, "UserId": 100008, "DBid": acct, "LogLocale": "zh-CN"},
			"KDSVCSessionId": sid, "IsSuccessByAPI": true})
	}
}
