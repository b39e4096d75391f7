package kingdeetest

import (
	"fmt"
	"math/big"
	"net/http"
	"sort"
	"strings"
	"unicode"
)

// lookup reads a field key of a bill the way a query column does: FID,
// FBillNo and FDocumentStatus from the bill itself; "FREF.FNumber" into a
// reference; a bare reference as its number; an entry field from the
// first entry row. A key the bill does not have is null, not an error, so
// that a filter on a custom field matches nothing on an empty store.
func lookup(b *bill, key string) any {
	switch strings.ToLower(key) {
	case "fid":
		return b.id
	case "fbillno":
		return b.number
	case "fdocumentstatus":
		return b.status
	}
	head, sub, dotted := strings.Cut(key, ".")
	v, ok := field(b.fields, head)
	if !ok {
		return nil
	}
	if rows, isList := v.([]any); isList && dotted && len(rows) > 0 {
		v = rows[0] // "FENTRY.FFIELD": the first entry row's field
	}
	if dotted {
		m, isMap := v.(map[string]any)
		if !isMap {
			return nil
		}
		_, x, _ := ci(m, sub)
		return str0(x)
	}
	if m, isMap := v.(map[string]any); isMap {
		if _, n, ok := ci(m, "FNumber"); ok {
			return n
		}
	}
	return v
}

// str0 renders a reference reached through an entry as its number.
func str0(v any) any {
	if m, ok := v.(map[string]any); ok {
		if _, n, ok := ci(m, "FNumber"); ok {
			return n
		}
	}
	return v
}

// field finds key in the header, then in the first row of any entry table.
func field(fields map[string]any, key string) (any, bool) {
	if _, v, ok := ci(fields, key); ok {
		return v, true
	}
	for _, v := range fields {
		rows, ok := v.([]any)
		if !ok || len(rows) == 0 {
			continue
		}
		if row, ok := rows[0].(map[string]any); ok {
			if _, x, ok := ci(row, key); ok {
				return x, true
			}
		}
	}
	return nil, false
}

// cond is one "field op value" term of a FilterString.
type cond struct {
	key, op, value string
}

// parseFilter reads terms joined by AND: field = 'text', field <> 'x',
// field >= 10, ... Anything else is an error, as on the real server.
func parseFilter(f string) ([]cond, error) {
	var out []cond
	rest := strings.TrimSpace(f)
	for rest != "" {
		c, tail, err := parseTerm(rest)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		tail = strings.TrimSpace(tail)
		if tail == "" {
			break
		}
		if len(tail) < 4 || !strings.EqualFold(tail[:3], "AND") || !unicode.IsSpace(rune(tail[3])) {
			return nil, fmt.Errorf("过滤条件语法错误: 期望 AND, 实际 %q", tail)
		}
		rest = strings.TrimSpace(tail[3:])
	}
	return out, nil
}

func parseTerm(s string) (cond, string, error) {
	i := strings.IndexFunc(s, func(r rune) bool { return strings.ContainsRune("=<>!", r) || unicode.IsSpace(r) })
	if i <= 0 {
		return cond{}, "", fmt.Errorf("过滤条件语法错误: %q", s)
	}
	key := s[:i]
	s = strings.TrimSpace(s[i:])
	var op string
	for _, o := range []string{"<>", "!=", ">=", "<=", "=", ">", "<"} {
		if strings.HasPrefix(s, o) {
			op = o
			break
		}
	}
	if op == "" {
		return cond{}, "", fmt.Errorf("过滤条件语法错误: 字段 %s 后缺少比较符", key)
	}
	s = strings.TrimSpace(s[len(op):])
	if strings.HasPrefix(s, "'") {
		var b strings.Builder
		for j := 1; j < len(s); j++ {
			if s[j] != '\'' {
				b.WriteByte(s[j])
				continue
			}
			if j+1 < len(s) && s[j+1] == '\'' { // '' is an escaped quote
				b.WriteByte('\'')
				j++
				continue
			}
			return cond{key, op, b.String()}, s[j+1:], nil
		}
		return cond{}, "", fmt.Errorf("过滤条件语法错误: 字符串未结束")
	}
	j := strings.IndexFunc(s, unicode.IsSpace)
	if j < 0 {
		j = len(s)
	}
	if _, ok := new(big.Rat).SetString(s[:j]); !ok {
		return cond{}, "", fmt.Errorf("过滤条件语法错误: %q 不是数值", s[:j])
	}
	return cond{key, op, s[:j]}, s[j:], nil
}

// match compares numerically when both sides are numbers, else as text.
func (c cond) match(b *bill) bool {
	v := lookup(b, c.key)
	if v == nil {
		return c.op == "<>" || c.op == "!="
	}
	got := str(v)
	var cmp int
	x, ok1 := new(big.Rat).SetString(strings.TrimSpace(got))
	y, ok2 := new(big.Rat).SetString(c.value)
	if ok1 && ok2 {
		cmp = x.Cmp(y) // exact: amounts never pass through float64
	} else {
		cmp = strings.Compare(got, c.value)
	}
	switch c.op {
	case "=":
		return cmp == 0
	case "<>", "!=":
		return cmp != 0
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	case "<":
		return cmp < 0
	}
	return cmp <= 0
}

// order sorts by "key [ASC|DESC], ..."; FID order breaks ties.
func order(bills []*bill, spec string) {
	type key struct {
		name string
		desc bool
	}
	var keys []key
	for _, part := range strings.Split(spec, ",") {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		keys = append(keys, key{f[0], len(f) > 1 && strings.EqualFold(f[1], "DESC")})
	}
	sort.SliceStable(bills, func(i, j int) bool {
		for _, k := range keys {
			c := cond{k.name, "=", str(lookup(bills[j], k.name))}
			if c.match(bills[i]) {
				continue
			}
			less := (cond{k.name, "<", c.value}).match(bills[i])
			return less != k.desc
		}
		return false
	})
}

// query answers ExecuteBillQuery (rows as arrays) and BillQuery (objects).
func (s *Server) query(w http.ResponseWriter, op string, req *request) {
	d := req.data
	_, fk, _ := ci(d, "FieldKeys")
	keys := strList(fk)
	if req.formID == "" || len(keys) == 0 {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "FieldKeys", "FormId和FieldKeys不能为空", 0))
		return
	}
	_, filter, _ := ci(d, "FilterString")
	if _, isList := filter.([]any); isList {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "FilterString", "本测试服务只支持字符串形式的FilterString", 0))
		return
	}
	conds, err := parseFilter(str(filter))
	if err != nil {
		s.writeStatus(w, op, nil, failure(msgException, "FilterString", err.Error(), 0))
		return
	}
	var rows []*bill
	for _, b := range s.form(req.formID).sorted() {
		ok := true
		for _, c := range conds {
			if ok = c.match(b); !ok {
				break
			}
		}
		if ok {
			rows = append(rows, b)
		}
	}
	_, ord, _ := ci(d, "OrderString")
	order(rows, str(ord))
	rows = page(rows, d)
	out := make([]any, len(rows))
	for i, b := range rows {
		if op == "billquery" {
			obj := make(map[string]any, len(keys))
			for _, k := range keys {
				obj[k] = lookup(b, k)
			}
			out[i] = obj
			continue
		}
		row := make([]any, len(keys))
		for j, k := range keys {
			row[j] = lookup(b, k)
		}
		out[i] = row
	}
	writeJSON(w, out)
}

// page applies TopRowCount first (as the real server does), then StartRow
// and Limit.
func page(rows []*bill, d map[string]any) []*bill {
	get := func(k string) int {
		_, v, _ := ci(d, k)
		n, _ := toInt(v)
		return int(max(n, 0))
	}
	if top := get("TopRowCount"); top > 0 && len(rows) > top {
		rows = rows[:top]
	}
	start := min(get("StartRow"), len(rows))
	rows = rows[start:]
	if limit := get("Limit"); limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	return rows
}
