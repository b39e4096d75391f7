package kingdee_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

func fakeConfig(srv *kingdeetest.Server, mode kingdee.AuthMode) kingdee.Config {
	return kingdee.Config{BaseURL: srv.URL, AcctID: kingdeetest.AcctID, Username: kingdeetest.Username,
		AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret, Password: kingdeetest.Password,
		Passport: []byte(kingdeetest.Passport), Auth: mode}
}

func newFake(t testing.TB, opts ...kingdeetest.Option) (*kingdeetest.Server, *kingdee.Client) {
	t.Helper()
	srv := kingdeetest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := kingdee.NewClient(fakeConfig(srv, kingdee.AuthSignedHeaders), kingdee.WithRateLimit(0, 0))
	require.NoError(t, err)
	return srv, c
}

func payApply(i int) kingdee.PayApply {
	return kingdee.PayApply{
		BillType: kingdee.Number("FKSQ01_SYS"), Date: "2024-05-01",
		ContactUnitType: "BD_Supplier", ContactUnit: kingdee.Number(fmt.Sprintf("VEN%04d", i%7)),
		Currency: kingdee.Number("PRE001"), PayOrg: kingdee.Number("100"),
		Remark:  fmt.Sprintf("钉钉审批 PROC-%04d", i),
		Entries: []kingdee.PayApplyEntry{{PayPurpose: kingdee.Number("SFKYT09_SYS"), ApplyAmount: hetong.AmountFromFen(int64(100+i) * 100)}},
		Custom:  map[string]any{"F_VAOJ_HKSX": "货款", "F_VAOJ_DDID": fmt.Sprintf("PROC-%04d", i)},
	}
}

type payRow struct {
	ID      int64         `kd:"FID"`
	BillNo  string        `kd:"FBillNo"`
	Status  string        `kd:"FDocumentStatus"`
	Remark  string        `kd:"FREMARK"`
	Kind    string        `kd:"F_VAOJ_HKSX"`
	Source  string        `kd:"F_VAOJ_DDID"`
	PayOrg  string        `kd:"FPAYORGID.FNumber"`
	Amount  hetong.Amount `kd:"FAPPLYAMOUNTFOR"`
	Missing any           `kd:"F_VAOJ_NOT_SET"`
}

// The done-when: 1000 bills saved in one BatchSave (submitted and
// audited, as the seed does) and queried back page by page.
func TestBatchSaveThousandAndQueryBack(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	bills := make([]kingdee.PayApply, 1000)
	for i := range bills {
		bills[i] = payApply(i)
	}
	res, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: kingdee.FormPayApply, Models: bills,
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true, IsVerifyBaseDataField: true}})
	require.NoError(t, err)
	require.Len(t, res.Entities, 1000)
	assert.Equal(t, 1, srv.Calls("BatchSave"))
	for i, e := range res.Entities {
		require.Equal(t, i, e.DIndex)
		require.NotEmpty(t, e.ID)
		require.True(t, strings.HasPrefix(e.Number, "FKSQ"), e.Number)
	}
	require.Len(t, srv.Bills(kingdee.FormPayApply), 1000)

	seen := map[string]bool{}
	n := 0
	for row, err := range kingdee.AllRows[payRow](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply,
		FilterString: "F_VAOJ_HKSX = '货款' AND FDocumentStatus = 'C'", OrderString: "FID ASC", Limit: 300}) {
		require.NoError(t, err)
		e := res.Entities[n]
		assert.Equal(t, e.Number, row.BillNo)
		assert.Equal(t, e.ID, fmt.Sprint(row.ID))
		assert.Equal(t, kingdee.StatusAudited, row.Status)
		assert.Equal(t, fmt.Sprintf("PROC-%04d", n), row.Source)
		assert.Equal(t, fmt.Sprintf("钉钉审批 PROC-%04d", n), row.Remark)
		assert.Equal(t, "100", row.PayOrg)
		assert.Equal(t, fmt.Sprintf("%d.00", 100+n), row.Amount.String())
		assert.Nil(t, row.Missing)
		seen[row.BillNo] = true
		n++
	}
	assert.Equal(t, 1000, n)
	assert.Len(t, seen, 1000)
	assert.Equal(t, 4, srv.Calls("ExecuteBillQuery"), "pages of 300: 300+300+300+100")

	// Find one bill by its source field, as the DingTalk flow does.
	rows, err := kingdee.Query[payRow](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FilterString: "F_VAOJ_DDID='PROC-0421'"})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, res.Entities[421].Number, rows[0].BillNo)
}

func TestAllRowsTopRowCountAndStop(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	bills := make([]kingdee.PayApply, 25)
	for i := range bills {
		bills[i] = payApply(i)
	}
	_, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: kingdee.FormPayApply, Models: bills})
	require.NoError(t, err)
	n := 0
	for _, err := range kingdee.AllRows[payRow](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, Limit: 10, TopRowCount: 15}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 15, n, "TopRowCount caps the total, not every page")
	calls := srv.Calls("ExecuteBillQuery")
	for range kingdee.AllRows[payRow](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, Limit: 10}) {
		break
	}
	assert.Equal(t, calls+1, srv.Calls("ExecuteBillQuery"), "breaking out stops paging")
}

func TestBillLifecycle(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	p := payApply(1)
	p.BillNo = "FKSQ-LIFE-1"
	saved, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: p,
		SaveOptions: kingdee.SaveOptions{NeedReturnFields: []string{"FBillNo", "F_VAOJ_HKSX"}}})
	require.NoError(t, err)
	assert.Equal(t, "FKSQ-LIFE-1", saved.Number)
	require.Len(t, saved.NeedReturnData, 1)
	assert.JSONEq(t, `{"FBillNo":"FKSQ-LIFE-1","F_VAOJ_HKSX":"货款"}`, string(saved.NeedReturnData[0]))

	bills := kingdee.Bills{FormID: kingdee.FormPayApply, Numbers: []string{saved.Number}}
	_, err = c.Audit(ctx, &kingdee.AuditRequest{Bills: bills})
	require.Error(t, err, "a created bill cannot be audited before it is submitted")
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeNotOperable), err)

	_, err = c.Submit(ctx, &kingdee.SubmitRequest{Bills: bills})
	require.NoError(t, err)
	_, err = c.CancelAssign(ctx, &kingdee.CancelAssignRequest{Bills: bills})
	require.NoError(t, err)
	assert.Equal(t, kingdee.StatusCreated, srv.Bills(kingdee.FormPayApply)[0].Status, "withdrawn")
	_, err = c.Submit(ctx, &kingdee.SubmitRequest{Bills: bills})
	require.NoError(t, err)
	res, err := c.Audit(ctx, &kingdee.AuditRequest{Bills: kingdee.Bills{FormID: kingdee.FormPayApply, IDs: []string{saved.ID}}})
	require.NoError(t, err)
	require.Len(t, res.Entities, 1)
	assert.Equal(t, saved.Number, res.Entities[0].Number)

	view, err := c.View(ctx, &kingdee.ViewRequest{FormID: kingdee.FormPayApply, Number: saved.Number})
	require.NoError(t, err)
	var got kingdee.PayApply
	require.NoError(t, view.Decode(&got))
	assert.Equal(t, kingdee.StatusAudited, got.DocumentStatus)
	assert.Equal(t, "货款", got.Custom["F_VAOJ_HKSX"])
	assert.Equal(t, "100", got.PayOrg.FNumber)
	require.Len(t, got.Entries, 1)
	assert.Equal(t, "101.00", got.Entries[0].ApplyAmount.String(), "the digits survive the round trip")

	_, err = c.Delete(ctx, &kingdee.DeleteRequest{Bills: bills})
	require.Error(t, err, "an audited bill cannot be deleted")
	_, err = c.UnAudit(ctx, &kingdee.UnAuditRequest{Bills: bills})
	require.NoError(t, err)
	assert.Equal(t, kingdee.StatusReAuditing, srv.Bills(kingdee.FormPayApply)[0].Status)
	_, err = c.Delete(ctx, &kingdee.DeleteRequest{Bills: bills})
	require.NoError(t, err)
	assert.Empty(t, srv.Bills(kingdee.FormPayApply))

	_, err = c.View(ctx, &kingdee.ViewRequest{FormID: kingdee.FormPayApply, Number: saved.Number})
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeNotFound), err)
}

func TestBatchSavePartialFailureListsRows(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	bills := []kingdee.PayApply{payApply(0), payApply(1), payApply(2), payApply(3)}
	bills[1].Date = ""
	bills[3].BillType = nil
	bills[3].Date = ""
	res, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: kingdee.FormPayApply, Models: bills})
	require.Error(t, err)
	require.NotNil(t, res, "the saved rows are reported with the error")
	var ke *kingdee.Error
	require.True(t, errors.As(err, &ke))
	assert.Equal(t, kingdee.MsgCodeValidation, ke.MsgCode)
	assert.Equal(t, []kingdee.RowError{
		{DIndex: 1, FieldName: "FDATE", Message: "字段“FDATE”是必填项"},
		{DIndex: 3, FieldName: "FBILLTYPEID", Message: "字段“FBILLTYPEID”是必填项"},
		{DIndex: 3, FieldName: "FDATE", Message: "字段“FDATE”是必填项"},
	}, ke.Rows)
	require.Len(t, res.Entities, 2)
	assert.Equal(t, []int{0, 2}, []int{res.Entities[0].DIndex, res.Entities[1].DIndex})
	assert.Equal(t, res.Entities, ke.Saved)
	msg := err.Error()
	for _, want := range []string{"BatchSave", "3 rows failed", "(code 11, HTTP 200)", "row 1 field FDATE", "row 3 field FBILLTYPEID"} {
		assert.Contains(t, msg, want)
	}
	assert.Len(t, srv.Bills(kingdee.FormPayApply), 2)

	// A single Save is all or nothing.
	_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: bills[1]})
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeValidation), err)
}

func TestNeedUpDateFields(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	saved, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(7)})
	require.NoError(t, err)
	var id int64
	fmt.Sscan(saved.ID, &id)
	update := map[string]any{"FID": id, "FREMARK": "改过的备注", "FDATE": "2030-01-01"}
	_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: update,
		SaveOptions: kingdee.SaveOptions{NeedUpDateFields: []string{"FREMARK"}}})
	require.NoError(t, err)
	b := srv.Bills(kingdee.FormPayApply)[0]
	assert.Equal(t, "改过的备注", b.Field("FREMARK"))
	assert.Equal(t, "2024-05-01", b.Field("FDATE"), "fields not listed keep their value")
	assert.Equal(t, "货款", b.Field("F_VAOJ_HKSX"))
	assert.Equal(t, saved.Number, b.Number)
}

func TestOtherOperations(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	res, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: kingdee.FormPayApply, Models: []kingdee.PayApply{payApply(1), payApply(2)},
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true}})
	require.NoError(t, err)

	pushed, err := c.Push(ctx, &kingdee.PushRequest{FormID: kingdee.FormPayApply, Numbers: []string{res.Entities[0].Number},
		RuleID: kingdee.RulePayApplyToPayBill})
	require.NoError(t, err)
	require.Len(t, pushed.Entities, 1)
	payBills := srv.Bills(kingdee.FormPayBill)
	require.Len(t, payBills, 1)
	assert.Equal(t, res.Entities[0].Number, payBills[0].Field("FSRCBILLNO"))

	_, err = c.ExecuteOperation(ctx, &kingdee.ExecuteOperationRequest{Bills: kingdee.Bills{FormID: kingdee.FormPayApply,
		IDs: []string{res.Entities[1].ID}}, OpNumber: "Forbid"})
	require.NoError(t, err)
	assert.Equal(t, "B", srv.Bills(kingdee.FormPayApply)[1].Field("FForbidStatus"))

	_, err = c.Allocate(ctx, &kingdee.AllocateRequest{FormID: "BD_MATERIAL", PkIDs: []string{"1001"}, TOrgIDs: []string{"100", "101"}, IsAutoSubmitAndAudit: true})
	require.NoError(t, err)
	_, err = c.CancelAllocate(ctx, &kingdee.AllocateRequest{FormID: "BD_MATERIAL", PkIDs: []string{"1001"}, TOrgIDs: []string{"101"}})
	require.NoError(t, err)

	// Workflow: a fresh bill is submitted, then approved in the workflow.
	s, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(3)})
	require.NoError(t, err)
	_, err = c.Submit(ctx, &kingdee.SubmitRequest{Bills: kingdee.Bills{FormID: kingdee.FormPayApply, Numbers: []string{s.Number}}})
	require.NoError(t, err)
	_, err = c.WorkflowAudit(ctx, &kingdee.WorkflowAuditRequest{FormID: kingdee.FormPayApply, Numbers: []string{s.Number},
		ApprovalType: kingdee.ApprovalApprove, Disposition: "同意"})
	require.NoError(t, err)
	assert.Equal(t, kingdee.StatusAudited, srv.Bills(kingdee.FormPayApply)[2].Status)

	info, err := c.QueryBusinessInfo(ctx, &kingdee.BusinessInfoRequest{FormID: kingdee.FormPayApply})
	require.NoError(t, err)
	assert.Contains(t, string(info.Info), `"Id":"CN_PAYAPPLY"`)

	dcs, err := c.GetDataCenterList(ctx)
	require.NoError(t, err)
	require.Len(t, dcs.DataCenters, 1)
	assert.Equal(t, kingdeetest.AcctID, dcs.DataCenters[0].ID)

	raw, err := c.Raw(ctx, &kingdee.RawRequest{Service: "BillQuery", Idempotent: true, Body: map[string]any{"data": map[string]any{
		"FormId": kingdee.FormPayApply, "FieldKeys": "FBillNo", "FilterString": "FBillNo='" + s.Number + "'"}}})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"FBillNo":"`+s.Number+`"}]`, string(raw.Body))

	objs, err := c.BillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FBillNo", "FID"}, OrderString: "FID DESC", Limit: 1})
	require.NoError(t, err)
	require.Len(t, objs, 1)
	assert.Equal(t, s.Number, objs[0]["FBillNo"])

	rows, err := c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID", "FBillNo"}, FilterString: "FID >= 0"})
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, res.Entities[0].ID, fmt.Sprint(rows[0][0]))

	_, err = c.Logout(ctx)
	require.NoError(t, err)
}

func TestAttachmentsStreamInChunks(t *testing.T) {
	srv, c := newFake(t, kingdeetest.WithDownloadChunk(1000))
	ctx := context.Background()
	s, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(1)})
	require.NoError(t, err)
	data := bytes.Repeat([]byte("合同附件-0123456789"), 777)
	up, err := c.UploadAttachment(ctx, &kingdee.AttachmentUploadRequest{FormID: kingdee.FormPayApply, InterID: s.ID, BillNo: s.Number,
		FileName: "合同.pdf", Body: bytes.NewReader(data), ChunkSize: 4096})
	require.NoError(t, err)
	assert.Equal(t, int64(len(data)), up.Size)
	assert.NotEmpty(t, up.AttachmentID)
	assert.Equal(t, (len(data)+4095)/4096, srv.Calls("AttachmentUpLoad"))
	stored, ok := srv.File(up.FileID)
	require.True(t, ok)
	assert.Equal(t, data, stored)

	var out bytes.Buffer
	down, err := c.DownloadAttachment(ctx, &kingdee.AttachmentDownloadRequest{FileID: up.FileID}, &out)
	require.NoError(t, err)
	assert.Equal(t, data, out.Bytes())
	assert.Equal(t, int64(len(data)), down.Written)
	assert.Equal(t, "合同.pdf", down.FileName)
	assert.Equal(t, (len(data)+999)/1000, srv.Calls("AttachmentDownLoad"))

	// An exact multiple of the chunk size and an empty file.
	for _, size := range []int{8192, 0} {
		up, err := c.UploadAttachment(ctx, &kingdee.AttachmentUploadRequest{FormID: kingdee.FormPayApply, InterID: s.ID, BillNo: s.Number,
			FileName: "x.bin", Body: bytes.NewReader(make([]byte, size)), ChunkSize: 4096})
		require.NoError(t, err)
		stored, ok := srv.File(up.FileID)
		require.True(t, ok)
		assert.Len(t, stored, size)
	}
}

func TestStringTypedEnvelopes(t *testing.T) {
	_, c := newFake(t, kingdeetest.WithStringTypes())
	ctx := context.Background()
	res, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: kingdee.FormPayApply, Models: []kingdee.PayApply{payApply(1), {}}})
	require.Error(t, err)
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeValidation))
	require.Len(t, res.Entities, 1)
	assert.NotEmpty(t, res.Entities[0].ID)
}

func TestQueryErrors(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	_, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(1)})
	require.NoError(t, err)

	// A cell that does not fit its field names the row, key and field.
	type bad struct {
		Remark int `kd:"FREMARK"`
	}
	_, err = kingdee.Query[bad](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "row 0 column FREMARK (field Remark int)")

	// Explicit FieldKeys must match the tags.
	_, err = kingdee.Query[payRow](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID", "FDate"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `FieldKeys[1]: "FDate", but field BillNo`)

	type untagged struct{ X string }
	_, err = kingdee.Query[untagged](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply})
	assert.ErrorContains(t, err, "no field has a kd")

	// The wrapped [[{"Result":…}]] error shape of ExecuteBillQuery.
	_, err = c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}, FilterString: "FID ~ 1"})
	var ke *kingdee.Error
	require.True(t, errors.As(err, &ke), err)
	assert.Equal(t, kingdee.MsgCodeException, ke.MsgCode)
	assert.Contains(t, ke.Message, "过滤条件语法错误")
}

func TestLoginModes(t *testing.T) {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	for _, mode := range []kingdee.AuthMode{kingdee.AuthLoginBySign, kingdee.AuthLoginByAppSecret, kingdee.AuthValidateUser,
		kingdee.AuthLoginBySimplePassport, kingdee.AuthValidateUserEnDeCode} {
		t.Run(mode.String(), func(t *testing.T) {
			c, err := kingdee.NewClient(fakeConfig(srv, mode), kingdee.WithRateLimit(0, 0))
			require.NoError(t, err)
			before := srv.Calls(loginOp(mode))
			for i := 0; i < 3; i++ {
				_, err = c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}})
				require.NoError(t, err)
			}
			assert.Equal(t, before+1, srv.Calls(loginOp(mode)), "one login, then the session is reused")

			// Context lost on a read: one re-login, one retry.
			srv.ExpireSessions()
			_, err = c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}})
			require.NoError(t, err)
			assert.Equal(t, before+2, srv.Calls(loginOp(mode)))

			// Context lost on a write: never replayed, a typed auth error.
			srv.ExpireSessions()
			saves := srv.Calls("Save")
			_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(1)})
			require.Error(t, err)
			assert.ErrorIs(t, err, kingdee.ErrAuth)
			assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeContextLost))
			assert.Contains(t, err.Error(), "not replayed")
			assert.Equal(t, saves+1, srv.Calls("Save"), "the write reached the server once")
			// The next write logs in afresh.
			_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(1)})
			require.NoError(t, err)
			assert.Equal(t, before+3, srv.Calls(loginOp(mode)))
		})
	}
}

// With signed headers a lost session is invisible: the signature opens a new one.
func TestSignedHeadersSurviveSessionLoss(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	_, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(1)})
	require.NoError(t, err)
	srv.ExpireSessions()
	_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(2)})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Calls("Save"))
}

func loginOp(m kingdee.AuthMode) string {
	if m == kingdee.AuthValidateUser {
		return "ValidateUser"
	}
	return m.String()
}

func TestBadCredentials(t *testing.T) {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	q := &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}}
	cases := map[string]func(*kingdee.Config){
		"signed/secret": func(c *kingdee.Config) { c.AppSecret = "wrong-secret-wrong-secret" },
		"signed/user":   func(c *kingdee.Config) { c.Username = "intruder" },
		"signed/acct":   func(c *kingdee.Config) { c.AcctID = "other-acct" },
		"sign/secret":   func(c *kingdee.Config) { c.Auth, c.AppSecret = kingdee.AuthLoginBySign, "wrong-secret" },
		"appsecret/appid": func(c *kingdee.Config) {
			c.Auth, c.AppID = kingdee.AuthLoginByAppSecret, "300001_bXlfZmFrZV9hcHBfc2VjcmV0XzEyMzQ1"
		},
		"password":      func(c *kingdee.Config) { c.Auth, c.Password = kingdee.AuthValidateUser, "nope-nope" },
		"endecode":      func(c *kingdee.Config) { c.Auth, c.Password = kingdee.AuthValidateUserEnDeCode, "nope-nope" },
		"passport":      func(c *kingdee.Config) { c.Auth, c.Passport = kingdee.AuthLoginBySimplePassport, []byte("forged") },
		"password/acct": func(c *kingdee.Config) { c.Auth, c.AcctID = kingdee.AuthValidateUser, "other-acct" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := fakeConfig(srv, kingdee.AuthSignedHeaders)
			mutate(&cfg)
			c, err := kingdee.NewClient(cfg, kingdee.WithRateLimit(0, 0), kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 1}))
			require.NoError(t, err)
			calls := srv.Calls("ExecuteBillQuery")
			_, err = c.ExecuteBillQuery(ctx, q)
			require.Error(t, err)
			assert.ErrorIs(t, err, kingdee.ErrAuth)
			var ke *kingdee.Error
			require.True(t, errors.As(err, &ke))
			assert.LessOrEqual(t, srv.Calls("ExecuteBillQuery"), calls+1, "bad credentials are not retried in a loop")
		})
	}
}

func TestContextDeadlineIsTyped(t *testing.T) {
	_, c := newFake(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	_, err := c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}})
	var ke *kingdee.Error
	require.True(t, errors.As(err, &ke), err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// mapStore is a TokenStore a user might back with Redis.
type mapStore struct {
	mu sync.Mutex
	m  map[string]string
	e  map[string]time.Time
}

func (s *mapStore) Get(_ context.Context, k string) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k], s.e[k], nil
}

func (s *mapStore) Set(_ context.Context, k, v string, exp time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k], s.e[k] = v, exp
	return nil
}

// Two clients (two processes, say) share one login through a TokenStore.
func TestSharedSessionStore(t *testing.T) {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	store := &mapStore{m: map[string]string{}, e: map[string]time.Time{}}
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		c, err := kingdee.NewClient(fakeConfig(srv, kingdee.AuthLoginByAppSecret), kingdee.WithTokenStore(store), kingdee.WithRateLimit(0, 0))
		require.NoError(t, err)
		_, err = c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}})
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Calls("LoginByAppSecret"), "the second client reused the stored session id")
}

func (s *mapStore) TryLock(context.Context, string, time.Duration) (func(context.Context) error, bool, error) {
	return func(context.Context) error { return nil }, true, nil
}
