package kingdeetest

import "testing"

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
