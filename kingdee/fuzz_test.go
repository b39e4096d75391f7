package kingdee

import (
	"github.com/hetong-go/hetong"

	"encoding/json"
	"testing"
	"time"

	"github.com/hetong-go/hetong/internal/transport"
)

// fuzzClient is a client whose check and decode paths the fuzzers drive.
func fuzzClient(t testing.TB) *Client {
	c, err := NewClient(Config{BaseURL: "https://erp.example.com/k3cloud/", AcctID: "a", Username: "u",
		AppID: "200000_bXlfZmFrZV9hcHBfc2VjcmV0XzEyMzQ1", AppSecret: "s3cret-s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzCheck feeds arbitrary response bodies through the envelope check:
// every body is either accepted or an *Error, never a panic.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		`{"Result":{"ResponseStatus":{"IsSuccess":false,"MsgCode":"11","Errors":[{"FieldName":"FDATE","Message":"必填","DIndex":"3"}]}}}`,
		`[[{"Result":{"ResponseStatus":{"IsSuccess":"false","MsgCode":1}}}]]`,
		`[["a",1,null]]`, `[{"FBillNo":"x"}]`, `response_error:boom`, `<html></html>`, `true`, ``, `[`, `{"Result":null}`,
	} {
		f.Add(200, []byte(s))
	}
	c := fuzzClient(f)
	f.Fuzz(func(t *testing.T, code int, body []byte) {
		st, _, err := c.check("Save", &transport.Response{StatusCode: code, Body: body, Header: nil})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("check returned %T", err)
			}
			_ = err.Error()
		}
		if st.failed() {
			_ = st.toError("Save", code).Error()
		}
	})
}

type fuzzRow struct {
	ID     int64           `kd:"FID"`
	No     string          `kd:"FBillNo"`
	Amount hetong.Amount   `kd:"FAmount"`
	Rate   float64         `kd:"FRate"`
	OK     bool            `kd:"FOK"`
	When   time.Time       `kd:"FDATE"`
	Small  uint8           `kd:"FSmall"`
	Any    any             `kd:"FAny"`
	Raw    json.RawMessage `kd:"FRaw"`
	Ref    *Ref            `kd:"FRef"`
}

// FuzzQueryRows decodes arbitrary query answers into a struct with every
// supported field kind.
func FuzzQueryRows(f *testing.F) {
	f.Add([]byte(`[[100001,"FKSQ1",12.50,0.5,true,"2024-05-01 10:00:00",7,"x",{"a":1},{"FNumber":"100"}]]`))
	f.Add([]byte(`[["1","2","3","0.1","true","1714521600000","300",null,null,null]]`))
	f.Add([]byte(`[[{"Result":{"ResponseStatus":{"IsSuccess":false}}}]]`))
	plan, err := planFor[fuzzRow]("ExecuteBillQuery")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = statusOf(body)
		var rows [][]json.RawMessage
		if json.Unmarshal(body, &rows) != nil {
			return
		}
		for i, row := range rows {
			if len(row) != len(plan.keys) {
				continue
			}
			var v fuzzRow
			_ = plan.fill(&v, row, i)
		}
	})
}

// FuzzPayApply round-trips arbitrary bills through the Custom-field codec.
func FuzzPayApply(f *testing.F) {
	f.Add([]byte(`{"FID":0,"FBillNo":"A","F_VAOJ_HKSX":"货款","FPAYAPPLYENTRY":[{"FCOSTID":{"FNumber":"C"},"F_X":1}]}`))
	f.Add([]byte(`{"fbillno":"lower","":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var p PayApply
		if json.Unmarshal(body, &p) != nil {
			return
		}
		out, err := json.Marshal(p)
		if err != nil {
			return
		}
		var q PayApply
		if err := json.Unmarshal(out, &q); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if q.BillNo != p.BillNo || len(q.Custom) != len(p.Custom) {
			t.Fatalf("round trip changed the bill: %s", out)
		}
	})
}

// FuzzNewAnswers feeds arbitrary answers to the decoders of the group
// and report operations: they never panic.
func FuzzNewAnswers(f *testing.F) {
	f.Add([]byte(`{"Result":{"ResponseStatus":{"IsSuccess":true},"Result":[{"Id":1,"Number":"G","Name":[{"Key":2052,"Value":"n"}]}]}}`))
	f.Add([]byte(`{"Result":{"NeedReturnData":[{"FID":"1","FNUMBER":"G","FNAME":"n","FPARENTID":0}]}}`))
	f.Add([]byte(`{"Result":{"IsSuccess":false,"Message":"x","RowCount":"2","Rows":[["a",1.50]]}}`))
	f.Add([]byte(`[{"Id":{}}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if list, err := groupList(body); err == nil {
			for _, raw := range list {
				_, _ = decodeGroup(raw)
			}
		}
		_ = isEmptyAnswer(body)
		_, _ = statusOf(body)
	})
}
