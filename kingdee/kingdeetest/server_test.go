package kingdeetest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
)

const dfs = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService."

// post sends body to a service, signed unless sign is false.
func post(t *testing.T, s *Server, service, body string, sign bool, hdr ...string) (int, string, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+service+".common.kdsvc", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if sign {
		signer, err := kdsign.NewSigner(kdsign.Identity{AcctID: AcctID, Username: Username, AppID: AppID, AppSecret: AppSecret, LCID: 2052, OrgNum: "0"})
		require.NoError(t, err)
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		signer.Apply(req.Header, req.URL.Path, ts, ts)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func TestSignatureIsChecked(t *testing.T) {
	s := NewServer()
	defer s.Close()
	q := `{"data":{"FormId":"CN_PAYAPPLY","FieldKeys":"FID"}}`
	code, body, resp := post(t, s, dfs+"ExecuteBillQuery", q, true)
	assert.Equal(t, 200, code)
	assert.Equal(t, "[]", body)

	// The session cookie alone is enough afterwards.
	var sid string
	for _, c := range resp.Cookies() {
		if c.Name == "kdservice-sessionid" {
			sid = c.Value
		}
	}
	require.NotEmpty(t, sid)
	_, body, _ = post(t, s, dfs+"ExecuteBillQuery", q, false, "Cookie", "kdservice-sessionid="+sid)
	assert.Equal(t, "[]", body)

	// A tampered signature, a replayed signature on another path, or none: MsgCode 1, wrapped for queries.
	_, body, _ = post(t, s, dfs+"ExecuteBillQuery", q, true, "X-Api-Signature", "Zm9v")
	assert.Contains(t, body, `[[{"Result":{"ResponseStatus":`)
	assert.Contains(t, body, `"MsgCode":1`)
	assert.Contains(t, body, "会话信息已丢失")
	_, body, _ = post(t, s, dfs+"Save", `{"formid":"X","data":{"Model":{}}}`, true, "X-Kd-Signature", "Zm9v")
	assert.True(t, strings.HasPrefix(body, `{"Result":{"ResponseStatus":`), body)
	assert.Contains(t, body, `"MsgCode":1`)
	_, body, _ = post(t, s, dfs+"Save", `{"formid":"X","data":{"Model":{}}}`, false)
	assert.Contains(t, body, `"MsgCode":1`)

	// A wrong account is refused with a non-200 status.
	bad := "b3RoZXIsaGV0b25nLWFwaSwyMDUyLDA=" // base64("other,hetong-api,2052,0")
	code, body, _ = post(t, s, dfs+"Save", `{}`, true, "X-Kd-Appdata", bad)
	assert.Equal(t, http.StatusForbidden, code)
	assert.Contains(t, body, "Fail to verify")
}

func TestRoutingErrors(t *testing.T) {
	s := NewServer()
	defer s.Close()
	resp, err := http.Get(s.URL + dfs + "Save.common.kdsvc")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))

	_, body, _ := post(t, s, dfs+"NoSuchThing", `{}`, true)
	assert.True(t, strings.HasPrefix(body, "response_error:"), body)
	_, body, _ = post(t, s, dfs+"Save", `not json`, true)
	assert.Contains(t, body, `"MsgCode":8`)
}

// The Java SDK's {"parameters":[formid, "<data as JSON>"]} form works too.
func TestParametersBodyForm(t *testing.T) {
	s := NewServer()
	defer s.Close()
	data, _ := json.Marshal(`{"Model":{"FID":0,"FBillNo":"P-1"}}`)
	_, body, _ := post(t, s, dfs+"Save", `{"parameters":["BD_TEST",`+string(data)+`]}`, true)
	assert.Contains(t, body, `"IsSuccess":true`)
	require.Len(t, s.Bills("BD_TEST"), 1)
	assert.Equal(t, "P-1", s.Bills("bd_test")[0].Number)
}

func TestQuerySemantics(t *testing.T) {
	s := NewServer()
	defer s.Close()
	var models []string
	for i := 1; i <= 10; i++ {
		models = append(models, `{"FID":0,"FBillNo":"N`+strconv.Itoa(i)+`","FAmount":`+strconv.Itoa(i*10)+
			`,"F_NOTE":"it's `+strconv.Itoa(i%2)+`","FORG":{"FNumber":"O`+strconv.Itoa(i%3)+`"}}`)
	}
	_, body, _ := post(t, s, dfs+"BatchSave", `{"formid":"BD_TEST","data":{"Model":[`+strings.Join(models, ",")+`]}}`, true)
	require.Contains(t, body, `"IsSuccess":true`)
	query := func(filter, order string, top, start, limit int) string {
		d, _ := json.Marshal(map[string]any{"FormId": "BD_TEST", "FieldKeys": "FBillNo", "FilterString": filter,
			"OrderString": order, "TopRowCount": top, "StartRow": start, "Limit": limit})
		_, body, _ := post(t, s, dfs+"ExecuteBillQuery", `{"data":`+string(d)+`}`, true)
		return body
	}
	assert.Equal(t, `[["N3"],["N4"],["N5"]]`, query("FAmount >= 30 AND FAmount<=50", "", 0, 0, 0))
	assert.Equal(t, `[["N2"],["N5"],["N8"]]`, query("FORG.FNumber='O2'", "", 0, 0, 0))
	assert.Equal(t, `[["N2"],["N5"],["N8"]]`, query("FORG='O2'", "", 0, 0, 0), "a reference compares by number")
	assert.Equal(t, `[["N1"],["N3"]]`, query("F_NOTE = 'it''s 1' and FAmount < 50", "", 0, 0, 0))
	assert.Equal(t, `[["N10"],["N9"]]`, query("F_NOTE <> 'x'", "FAmount DESC", 0, 0, 2), "numeric order, then Limit")
	assert.Equal(t, `[["N4"],["N5"]]`, query("", "", 5, 3, 10), "TopRowCount caps before StartRow")
	assert.Equal(t, `[]`, query("", "", 3, 3, 10), "the trap: a page past TopRowCount is empty")
	assert.Equal(t, `[]`, query("F_MISSING = 'x'", "", 0, 0, 0), "unknown fields match nothing")
	assert.Contains(t, query("FAmount = ", "", 0, 0, 0), "过滤条件语法错误")
}

func TestBillsIsASnapshot(t *testing.T) {
	s := NewServer()
	defer s.Close()
	_, body, _ := post(t, s, dfs+"Save", `{"formid":"BD_TEST","data":{"Model":{"FID":0,"F_X":{"FNumber":"a"}}}}`, true)
	require.Contains(t, body, `"IsSuccess":true`)
	b := s.Bills("BD_TEST")[0]
	assert.Equal(t, "a", b.Field("f_x"))
	b.Fields["F_X"] = "changed"
	assert.Equal(t, "a", s.Bills("BD_TEST")[0].Field("F_X"))
	assert.Equal(t, "BILL00000001", b.Number)
	_, body, _ = post(t, s, dfs+"Save", `{"formid":"BD_TEST","data":{"Model":{"FID":0,"FENTRY":[{"FQTY":3,"FMAT":{"FNumber":"M1"}}]}}}`, true)
	require.Contains(t, body, `"IsSuccess":true`)
	b = s.Bills("BD_TEST")[1]
	assert.Equal(t, "M1", b.Field("FENTRY.FMAT"), "an entry row's reference")
	assert.Equal(t, "M1", b.Field("FMAT"), "an entry field by its bare key")
	assert.Nil(t, b.Field("FENTRY.FNOPE"))
	assert.Equal(t, "A", b.Field("FDocumentStatus"))
}

func TestLoginAnswers(t *testing.T) {
	s := NewServer(WithRequired("CN_PAYAPPLY"))
	defer s.Close()
	const auth = "Kingdee.BOS.WebApi.ServicesStub.AuthService."
	_, body, resp := post(t, s, auth+"ValidateUser", `{"acctid":"`+AcctID+`","username":"`+Username+`","password":"`+Password+`","lcid":2052}`, false)
	assert.Contains(t, body, `"LoginResultType":1`)
	assert.Len(t, resp.Cookies(), 2)
	_, body, _ = post(t, s, auth+"ValidateUser", `{"parameters":["`+AcctID+`","`+Username+`","bad",2052]}`, false)
	assert.Contains(t, body, `"LoginResultType":0`)
	_, body, _ = post(t, s, auth+"LoginByAppSecret", `{"parameters":["nope","`+Username+`","`+AppID+`","`+AppSecret+`",2052]}`, false)
	assert.Contains(t, body, `"LoginResultType":-1`)
	ts := "1700000000"
	sig := kdsign.LoginSign(AcctID, Username, AppID, AppSecret, ts)
	_, body, _ = post(t, s, auth+"LoginBySign", `{"parameters":["`+AcctID+`","`+Username+`","`+AppID+`",`+ts+`,"`+sig+`",2052]}`, false)
	assert.Contains(t, body, `"LoginResultType":1`)
	_, body, _ = post(t, s, auth+"LoginBySign", `{"parameters":["`+AcctID+`","`+Username+`","`+AppID+`",1700000001,"`+sig+`",2052]}`, false)
	assert.Contains(t, body, `"LoginResultType":0`)
	assert.Equal(t, 2, s.Calls("loginbysign"), "Calls is case-insensitive")
	assert.Equal(t, 2, s.Calls("VALIDATEUSER"))

	// WithRequired with no fields lifts the default requirement.
	_, body, _ = post(t, s, dfs+"Save", `{"formid":"CN_PAYAPPLY","data":{"Model":{"FID":0}}}`, true)
	assert.Contains(t, body, `"IsSuccess":true`)
}

// LoginBySign's timestamp must be a JSON number, as Kingdee's SDKs send it.
func TestLoginBySignWantsANumericTimestamp(t *testing.T) {
	s := NewServer()
	defer s.Close()
	const auth = "Kingdee.BOS.WebApi.ServicesStub.AuthService."
	sig := kdsign.LoginSign(AcctID, Username, AppID, AppSecret, "1700000000")
	for body, want := range map[string]int{
		`{"parameters":["` + AcctID + `","` + Username + `","` + AppID + `",1700000000,"` + sig + `",2052]}`:   1,
		`{"parameters":["` + AcctID + `","` + Username + `","` + AppID + `","1700000000","` + sig + `",2052]}`: 0,
		`{"parameters":["` + AcctID + `","` + Username + `","` + AppID + `",1700000000]}`:                      0,
	} {
		_, got, _ := post(t, s, auth+"LoginBySign", body, false)
		var res struct{ LoginResultType int }
		require.NoError(t, json.Unmarshal([]byte(got), &res), got)
		assert.Equal(t, want, res.LoginResultType, body)
	}
}

// The fake never panics on hostile report and group bodies.
func TestNewOperationsRefuseGarbage(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, svc := range []string{"GetSysReportData", "GroupSave", "QueryGroupInfo", "GroupDelete", "FlexSave", "SendMsg", "SwitchOrg", "Disassembly"} {
		for _, body := range []string{`{}`, `{"formid":"X","data":{}}`, `{"formid":"AP_SumReport","data":{"FieldKeys":"FAMOUNT","Model":[1],"StartRow":-5,"Limit":"x"}}`,
			`{"formid":"BD_MATERIAL","data":{"Model":[null,{"FTitle":1}],"GroupPkIds":[[]],"FNumber":{}}}`} {
			code, got, _ := post(t, s, dfs+svc, body, true)
			assert.Equal(t, 200, code, svc+" "+body)
			assert.True(t, json.Valid([]byte(got)), svc+" "+got)
		}
	}
}
