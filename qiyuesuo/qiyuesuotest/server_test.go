package qiyuesuotest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

// rawCall sends a request with hand-made auth headers.
func rawCall(t *testing.T, srv *qiyuesuotest.Server, token, secret string, ts time.Time, nonce, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/v2/contract/employeeaudit", strings.NewReader(body))
	require.NoError(t, err)
	stamp := strconv.FormatInt(ts.UnixMilli(), 10)
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("x-qys-open-accesstoken", token)
	req.Header.Set("x-qys-open-timestamp", stamp)
	if nonce != "" {
		req.Header.Set("x-qys-open-nonce", nonce)
	}
	req.Header.Set("x-qys-open-signature", qiyuesuo.Signature(token, secret, stamp, nonce))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), string(b))
	return resp.StatusCode, m
}

func TestFakeAuth(t *testing.T) {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	now := time.Now()
	body := `{"contractId":"1","pass":true}`
	tok, sec := qiyuesuotest.AppToken, qiyuesuotest.AppSecret

	status, m := rawCall(t, srv, "wrong", sec, now, "n-0", body)
	assert.Equal(t, 442, status)
	assert.Equal(t, "INVALID TOKEN", m["message"])
	assert.EqualValues(t, 442, m["code"])

	status, _ = rawCall(t, srv, tok, "wrong-secret", now, "n-1", body)
	assert.Equal(t, 441, status)

	status, m = rawCall(t, srv, tok, sec, now.Add(-11*time.Minute), "n-2", body)
	assert.Equal(t, 441, status)
	assert.Equal(t, "INVALID TIMESTAMP", m["message"])

	status, m = rawCall(t, srv, tok, sec, now, "n-3", body)
	assert.Equal(t, 200, status)
	assert.Equal(t, qiyuesuo.CodeContractNotFound, m["responseCode"])

	status, m = rawCall(t, srv, tok, sec, now.Add(time.Second), "n-3", body)
	assert.Equal(t, 441, status, "a nonce is single-use within 10 minutes")
	assert.Equal(t, "NONCE ALREADY USED", m["message"])

	status, _ = rawCall(t, srv, tok, sec, now, "", body) // legacy three-part signature
	assert.Equal(t, 200, status)
	assert.Equal(t, 6, srv.Calls("/v2/contract/employeeaudit"))
}

func TestFakeNonceExpires(t *testing.T) {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	now := time.Now()
	srv.SetClock(func() time.Time { return now })
	status, _ := rawCall(t, srv, qiyuesuotest.AppToken, qiyuesuotest.AppSecret, now, "n", `{"bizId":"x","pass":true}`)
	require.Equal(t, 200, status)
	later := now.Add(qiyuesuotest.NonceWindow + time.Second)
	srv.SetClock(func() time.Time { return later })
	status, _ = rawCall(t, srv, qiyuesuotest.AppToken, qiyuesuotest.AppSecret, later, "n", `{"bizId":"x","pass":true}`)
	assert.Equal(t, 200, status, "after 10 minutes the nonce may be used again")
}

func newClient(t *testing.T, srv *qiyuesuotest.Server) *qiyuesuo.Client {
	t.Helper()
	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret}, qiyuesuo.WithBaseURL(srv.URL))
	require.NoError(t, err)
	return c
}

func sentContract(t *testing.T, c *qiyuesuo.Client, actions ...qiyuesuo.Action) qiyuesuo.ID {
	t.Helper()
	ctx := context.Background()
	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{Subject: "s", Signatories: []qiyuesuo.Signatory{
		{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName, Actions: actions}}})
	require.NoError(t, err)
	_, err = c.DocumentAddByFile(ctx, &qiyuesuo.DocumentAddByFileRequest{ContractID: d.Result.ID, Title: "t", FileSuffix: "pdf",
		File: qiyuesuo.File{Name: "t.pdf", Reader: strings.NewReader("pdf")}})
	require.NoError(t, err)
	_, err = c.ContractSend(ctx, &qiyuesuo.ContractSendRequest{ContractID: d.Result.ID})
	require.NoError(t, err)
	return d.Result.ID
}

func TestFakeAuditCodes(t *testing.T) {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	sealFirst := sentContract(t, c, qiyuesuo.Action{Type: qiyuesuo.ActionCompany}, qiyuesuo.Action{Type: qiyuesuo.ActionAudit})
	auditFirst := sentContract(t, c, qiyuesuo.Action{Type: qiyuesuo.ActionAudit})

	cases := []struct {
		req  qiyuesuo.ContractEmployeeAuditRequest
		code string
	}{
		{qiyuesuo.ContractEmployeeAuditRequest{ContractID: "3999999999999999999", Pass: true}, qiyuesuo.CodeContractNotFound},
		{qiyuesuo.ContractEmployeeAuditRequest{ContractID: sealFirst, Pass: true}, qiyuesuo.CodeNotYourTurn},
		{qiyuesuo.ContractEmployeeAuditRequest{ContractID: auditFirst, TenantName: "别的公司", Pass: true}, qiyuesuo.CodePermissionMismatch},
	}
	for _, tc := range cases {
		_, err := c.ContractEmployeeAudit(ctx, &tc.req)
		assert.True(t, qiyuesuo.IsCode(err, tc.code), "want %s, got %v", tc.code, err)
	}
	raw, err := c.Raw(ctx, &qiyuesuo.RawRequest{Method: "POST", Path: "/v2/contract/employeeaudit", Body: map[string]any{"contractId": string(auditFirst)}})
	assert.Nil(t, raw)
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidParameter), "missing pass: %v", err)

	_, err = c.ContractEmployeeAudit(ctx, &qiyuesuo.ContractEmployeeAuditRequest{ContractID: auditFirst, Pass: false, Comment: "金额不对"})
	require.NoError(t, err)
	ct, _ := srv.Contract(auditFirst)
	assert.Equal(t, qiyuesuo.StatusRejected, ct.Status)
	_, err = c.ContractEmployeeAudit(ctx, &qiyuesuo.ContractEmployeeAuditRequest{ContractID: auditFirst, Pass: true})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidContractStatus), "%v", err)
}

func TestFakeSignAllRecallAndForceEnd(t *testing.T) {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	id := sentContract(t, c)
	_, _, err := srv.SignAll(ctx, id)
	require.ErrorIs(t, err, qiyuesuotest.ErrNoCallbackURL, "no receiver is reported, never skipped silently")
	ct, _ := srv.Contract(id)
	assert.Equal(t, qiyuesuo.StatusComplete, ct.Status)
	_, _, err = srv.SignAll(ctx, id)
	assert.Error(t, err, "only SIGNING contracts can be signed")
	_, _, err = srv.SignAll(ctx, "1")
	assert.Error(t, err)

	recall := sentContract(t, c)
	_, err = c.ContractInvalid(ctx, &qiyuesuo.ContractInvalidRequest{ContractID: recall})
	require.NoError(t, err)
	ct, _ = srv.Contract(recall)
	assert.Equal(t, qiyuesuo.StatusRecalled, ct.Status)
	_, err = c.ContractInvalid(ctx, &qiyuesuo.ContractInvalidRequest{ContractID: recall})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidContractStatus))

	end := sentContract(t, c)
	_, err = c.ContractNotice(ctx, &qiyuesuo.ContractNoticeRequest{ContractID: end})
	require.NoError(t, err)
	_, err = c.ContractForceEnd(ctx, &qiyuesuo.ContractForceEndRequest{ContractID: end, Reason: "r"})
	require.NoError(t, err)
	ct, _ = srv.Contract(end)
	assert.Equal(t, qiyuesuo.StatusForceEnd, ct.Status)
}

func TestFakeCallbackDeliveryRecorded(t *testing.T) {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	hook := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	recv := newHTTPServer(hook)
	defer recv.Close()
	srv.SetCallback(recv.URL, qiyuesuotest.CallbackSecret, false)
	id := sentContract(t, c) // SEND_SIGNING is delivered but not acknowledged
	status, _, err := srv.SignAll(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, 500, status)
	d := srv.Deliveries()
	require.Len(t, d, 2)
	assert.Equal(t, qiyuesuo.CallbackComplete, d[1].CallbackType)
	assert.False(t, d[1].Acked)
	assert.Equal(t, 500, d[1].Status)
}

func TestFakePostCallbackPlain(t *testing.T) {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	var got []*qiyuesuo.CallbackEvent
	recv := newHTTPServer(qiyuesuo.NewCallbackHandler(qiyuesuo.CallbackConfig{SecretKey: "plain-secret"},
		func(_ context.Context, ev *qiyuesuo.CallbackEvent) error { got = append(got, ev); return nil }))
	defer recv.Close()
	id := sentContract(t, c) // no callback configured yet: nothing posted
	_, _, err := srv.PostCallback(context.Background(), id, qiyuesuo.CallbackSeal)
	require.ErrorIs(t, err, qiyuesuotest.ErrNoCallbackURL)
	srv.SetCallback(recv.URL, "plain-secret", false)
	status, body, err := srv.PostCallback(context.Background(), id, qiyuesuo.CallbackSeal)
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	assert.Equal(t, "success", string(body))
	require.Len(t, got, 1)
	assert.Equal(t, id, got[0].ContractID)
	assert.Equal(t, qiyuesuo.StatusSigning, got[0].ContractStatus)
	assert.Equal(t, qiyuesuotest.CompanyName, got[0].TenantName)
	d := srv.Deliveries()
	require.Len(t, d, 1)
	assert.True(t, d[0].Acked)
	_, _, err = srv.PostCallback(context.Background(), "1", qiyuesuo.CallbackSeal)
	assert.Error(t, err)
}
