package kingdeetest

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// FuzzParseFilter: any FilterString parses or errors, never panics, and a
// parsed filter can be evaluated.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "FBillNo='A'", "F_X = 'it''s' AND FID >= 10", "FID ~ 1", "a='", "x=1 AND", "FDATE<>'2024-01-01'and y=2"} {
		f.Add(s)
	}
	b := &bill{id: 1, number: "A", status: "C", fields: map[string]any{"F_X": "it's", "FREF": map[string]any{"FNumber": "1"}}}
	f.Fuzz(func(t *testing.T, s string) {
		conds, err := parseFilter(s)
		if err != nil {
			return
		}
		for _, c := range conds {
			_ = c.match(b)
		}
	})
}

// FuzzParseRequest: any body decodes or errors.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{`{"formid":"CN_PAYAPPLY","data":{"Model":{}}}`, `{"parameters":["X","{\"Model\":[]}"]}`,
		`{"data":"not json"}`, `[]`, `{"parameters":[1,2,3,4]}`, `{"formid":1,"data":[1]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = parseRequest(body)
	})
}

// FuzzOperations: any parsed body sent to the operations issue 17 added
// gets a JSON answer and never panics the fake.
func FuzzOperations(f *testing.F) {
	for _, s := range []string{`{"formid":"AP_SumReport","data":{"FieldKeys":"FAMOUNT,FLEFTAMOUNT","Model":{"FBeginDate":"2024-01-01"},"StartRow":1,"Limit":1}}`,
		`{"formid":"BD_MATERIAL","data":{"FNumber":"G","FName":"n","FParentId":"x","GroupPkIds":"1,2"}}`,
		`{"data":{"Model":[{"FTitle":"t","FReceivers":"hetong-api"}],"OrgNumber":"100"}}`, `{"formid":"X","data":{"Model":{"E":[{"a":1},{"a":2}]}}}`} {
		f.Add(s)
	}
	s := NewServer()
	defer s.Close()
	s.mu.Lock()
	s.sessions["fuzz"] = true
	s.mu.Unlock()
	ops := []string{"getsysreportdata", "groupsave", "querygroupinfo", "groupdelete", "flexsave", "sendmsg", "switchorg", "disassembly"}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := parseRequest([]byte(body))
		if err != nil {
			return
		}
		for _, op := range ops {
			w := httptest.NewRecorder()
			s.mu.Lock()
			s.dispatch(w, op, "fuzz", req)
			s.mu.Unlock()
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("%s answered %q", op, w.Body.String())
			}
		}
	})
}
