package kingdeetest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"sort"
	"strings"
)

// apSummaryColumns are the columns of 应付款汇总表 (AP_SumReport) the fake
// computes.
var apSummaryColumns = map[string]bool{
	"FCONTACTUNITNUMBER": true, // 往来单位编码
	"FCONTACTUNITNAME":   true, // 往来单位名称 (the fake knows numbers only)
	"FSETTLEORGNAME":     true, // 结算组织
	"FINITAMOUNT":        true, // 期初余额
	"FAMOUNT":            true, // 本期应付
	"FREALAMOUNT":        true, // 本期付款
	"FOFFAMOUNT":         true, // 本期冲销额 (always 0 here)
	"FLEFTAMOUNT":        true, // 期末余额
}

// apBalance is one supplier's line of the payables summary.
type apBalance struct {
	supplier, settleOrg string
	init, amount, paid  *big.Rat
	scale               int
}

// report answers GetSysReportData. AP_SumReport is computed from the
// audited bills the fake holds: AP_PAYABLE adds to what is owed
// (FALLAMOUNTFOR, supplier FSUPPLIERID or FCONTACTUNIT), AP_PAYBILL to
// what was paid (FPAYAMOUNTFOR_H, else the rows' FPAYAMOUNTFOR or
// FAPPLYAMOUNTFOR, supplier FCONTACTUNIT); FDATE before FBeginDate counts
// to the opening balance, within FBeginDate..FEndDate to the period.
func (s *Server) report(w http.ResponseWriter, req *request) {
	if !strings.EqualFold(req.formID, "AP_SumReport") {
		writeReport(w, false, fmt.Sprintf("报表“%s”不存在（本测试服务只计算 AP_SumReport）", req.formID), 0, nil)
		return
	}
	_, fk, _ := ci(req.data, "FieldKeys")
	keys := strList(fk)
	if len(keys) == 0 {
		writeReport(w, false, "FieldKeys不能为空", 0, nil)
		return
	}
	for _, k := range keys {
		if !apSummaryColumns[strings.ToUpper(k)] {
			writeReport(w, false, fmt.Sprintf("字段“%s”不存在", k), 0, nil)
			return
		}
	}
	_, model, _ := ci(req.data, "Model")
	m, _ := model.(map[string]any)
	get := func(k string) string { _, v, _ := ci(m, k); return strings.TrimSpace(str(v)) }
	begin, end := get("FBeginDate"), get("FEndDate")
	if begin != "" && end != "" && begin > end {
		writeReport(w, false, "开始日期不能大于结束日期", 0, nil)
		return
	}
	lines := s.payablesSummary(begin, end)
	rows := make([]any, 0, len(lines))
	for _, l := range lines {
		row := make([]any, len(keys))
		for i, k := range keys {
			row[i] = l.cell(strings.ToUpper(k))
		}
		rows = append(rows, row)
	}
	total := len(rows)
	rows = pageRows(rows, req.data)
	writeReport(w, true, "", total, rows)
}

func (s *Server) payablesSummary(begin, end string) []*apBalance {
	by := map[string]*apBalance{}
	line := func(supplier, org string) *apBalance {
		l := by[supplier]
		if l == nil {
			l = &apBalance{supplier: supplier, settleOrg: org, init: new(big.Rat), amount: new(big.Rat), paid: new(big.Rat), scale: 2}
			by[supplier] = l
		}
		return l
	}
	add := func(formID string, owed bool) {
		f := s.forms[formID]
		if f == nil {
			return
		}
		for _, b := range f.sorted() {
			date := str(lookup(b, "FDATE"))
			if len(date) > 10 {
				date = date[:10]
			}
			if b.status != "C" || (end != "" && date > end) {
				continue
			}
			supplier := str(firstOf(b, "FSUPPLIERID", "FCONTACTUNIT"))
			if supplier == "" {
				continue
			}
			l := line(supplier, str(firstOf(b, "FSETTLEORGID", "FPAYORGID")))
			amt, scale := billAmount(b, owed)
			l.scale = max(l.scale, scale)
			switch {
			case begin != "" && date < begin && owed:
				l.init.Add(l.init, amt)
			case begin != "" && date < begin:
				l.init.Sub(l.init, amt)
			case owed:
				l.amount.Add(l.amount, amt)
			default:
				l.paid.Add(l.paid, amt)
			}
		}
	}
	add("AP_PAYABLE", true)
	add("AP_PAYBILL", false)
	out := make([]*apBalance, 0, len(by))
	for _, l := range by {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].supplier < out[j].supplier })
	return out
}

func firstOf(b *bill, keys ...string) any {
	for _, k := range keys {
		if v := lookup(b, k); v != nil && str(v) != "" {
			return v
		}
	}
	return nil
}

// billAmount sums a bill's amount exactly and says how many decimals it had.
func billAmount(b *bill, owed bool) (*big.Rat, int) {
	head, row := "FPAYAMOUNTFOR_H", []string{"FPAYAMOUNTFOR", "FAPPLYAMOUNTFOR"}
	if owed {
		head, row = "FALLAMOUNTFOR", []string{"FALLAMOUNTFOR"}
	}
	if _, v, ok := ci(b.fields, head); ok && !empty(v) {
		return decimal(str(v))
	}
	sum, scale := new(big.Rat), 0
	for _, v := range b.fields {
		rows, ok := v.([]any)
		if !ok {
			continue
		}
		for _, r := range rows {
			m, _ := r.(map[string]any)
			for _, k := range row {
				if _, x, ok := ci(m, k); ok && !empty(x) {
					d, sc := decimal(str(x))
					sum.Add(sum, d)
					scale = max(scale, sc)
					break
				}
			}
		}
	}
	return sum, scale
}

// decimal parses a decimal text exactly; what does not parse counts 0.
func decimal(s string) (*big.Rat, int) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return new(big.Rat), 0
	}
	scale := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale = len(strings.TrimSpace(s)) - i - 1
	}
	return r, scale
}

func (l *apBalance) cell(key string) any {
	num := func(r *big.Rat) any { return json.Number(r.FloatString(l.scale)) }
	switch key {
	case "FCONTACTUNITNUMBER", "FCONTACTUNITNAME":
		return l.supplier
	case "FSETTLEORGNAME":
		return l.settleOrg
	case "FINITAMOUNT":
		return num(l.init)
	case "FAMOUNT":
		return num(l.amount)
	case "FREALAMOUNT":
		return num(l.paid)
	case "FOFFAMOUNT":
		return num(new(big.Rat))
	}
	left := new(big.Rat).Add(l.init, l.amount) // FLEFTAMOUNT
	return num(left.Sub(left, l.paid))
}

// pageRows applies StartRow and Limit.
func pageRows(rows []any, d map[string]any) []any {
	get := func(k string) int {
		_, v, _ := ci(d, k)
		n, _ := toInt(v)
		return int(max(n, 0))
	}
	start := min(get("StartRow"), len(rows))
	rows = rows[start:]
	if limit := get("Limit"); limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	return rows
}

// writeReport answers in GetSysReportData's own shape: {"Result":{
// "IsSuccess","Message","RowCount","Rows"}}, without a ResponseStatus.
func writeReport(w http.ResponseWriter, ok bool, msg string, count int, rows []any) {
	if rows == nil {
		rows = []any{}
	}
	writeJSON(w, map[string]any{"Result": map[string]any{"IsSuccess": ok, "Message": msg, "RowCount": count, "Rows": rows}})
}
