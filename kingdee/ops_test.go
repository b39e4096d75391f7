package kingdee_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// payable saves and audits an 应付单 the summary report counts.
func payable(t *testing.T, c *kingdee.Client, supplier, date, amount string) {
	t.Helper()
	_, err := c.Save(context.Background(), &kingdee.SaveRequest{FormID: kingdee.FormPayable,
		Model: map[string]any{"FID": 0, "FDATE": date, "FSUPPLIERID": map[string]any{"FNumber": supplier},
			"FSETTLEORGID": map[string]any{"FNumber": "100"}, "FALLAMOUNTFOR": json.Number(amount)},
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true}})
	require.NoError(t, err)
}

type apLine struct {
	Supplier string      `kd:"FCONTACTUNITNUMBER"`
	Org      string      `kd:"FSETTLEORGNAME"`
	Init     json.Number `kd:"FINITAMOUNT"`
	Amount   json.Number `kd:"FAMOUNT"`
	Paid     json.Number `kd:"FREALAMOUNT"`
	Left     json.Number `kd:"FLEFTAMOUNT"`
}

// The report is computed from the bills the fake holds: payables owed,
// payments pushed from 付款申请单 and audited, split at FBeginDate.
func TestGetSysReportDataFromBills(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	payable(t, c, "VEN0001", "2024-04-20", "1000.10")
	payable(t, c, "VEN0001", "2024-05-03", "200.05")
	payable(t, c, "VEN0002", "2024-05-04", "50")
	payable(t, c, "VEN0002", "2024-06-01", "999") // after the period: not counted

	p := payApply(1)
	p.ContactUnit, p.Date = kingdee.Number("VEN0001"), "2024-05-10"
	saved, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: p,
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true}})
	require.NoError(t, err)
	pushed, err := c.Push(ctx, &kingdee.PushRequest{FormID: kingdee.FormPayApply, Numbers: []string{saved.Number}, RuleID: kingdee.RulePayApplyToPayBill})
	require.NoError(t, err)
	payBill := kingdee.Bills{FormID: kingdee.FormPayBill, Numbers: []string{pushed.Entities[0].Number}}

	req := &kingdee.ReportRequest{FormID: kingdee.FormPayableSummary,
		Model: map[string]any{"FBeginDate": "2024-05-01", "FEndDate": "2024-05-31", "FCONTACTUNITTYPE": "BD_Supplier"}}
	lines, count, err := kingdee.Report[apLine](ctx, c, req)
	require.NoError(t, err)
	require.Equal(t, 2, count)
	assert.Equal(t, apLine{"VEN0001", "100", "1000.10", "200.05", "0.00", "1200.15"}, lines[0], "a created 付款单 is not paid yet")
	assert.Equal(t, apLine{"VEN0002", "100", "0.00", "50.00", "0.00", "50.00"}, lines[1])

	_, err = c.Submit(ctx, &kingdee.SubmitRequest{Bills: payBill})
	require.NoError(t, err)
	_, err = c.Audit(ctx, &kingdee.AuditRequest{Bills: payBill})
	require.NoError(t, err)
	lines, _, err = kingdee.Report[apLine](ctx, c, req)
	require.NoError(t, err)
	assert.Equal(t, apLine{"VEN0001", "100", "1000.10", "200.05", "101.00", "1099.15"}, lines[0], "the audited payment counts")

	// Paging and the untyped form.
	page, err := c.GetSysReportData(ctx, &kingdee.ReportRequest{FormID: kingdee.FormPayableSummary, Model: req.Model,
		FieldKeys: []string{"FCONTACTUNITNUMBER", "FLEFTAMOUNT"}, StartRow: 1, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, page.RowCount)
	assert.Equal(t, [][]any{{"VEN0002", json.Number("50.00")}}, page.Rows)

	// What the server refuses: an unknown column or report.
	_, err = c.GetSysReportData(ctx, &kingdee.ReportRequest{FormID: kingdee.FormPayableSummary, FieldKeys: []string{"FNOPE"}})
	var ke *kingdee.Error
	require.True(t, errors.As(err, &ke), err)
	assert.Equal(t, "GetSysReportData", ke.Op)
	assert.Contains(t, ke.Message, "FNOPE")
	_, err = c.GetSysReportData(ctx, &kingdee.ReportRequest{FormID: "GL_NOPE", FieldKeys: []string{"FX"}})
	assert.ErrorContains(t, err, "GL_NOPE")
}

func TestGroups(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	const form, field = "BD_MATERIAL", "FMaterialGroup"
	top, err := c.GroupSave(ctx, &kingdee.GroupSaveRequest{FormID: form, GroupFieldKey: field, Number: "G01", Name: "原材料"})
	require.NoError(t, err)
	assert.Equal(t, "G01", top.Number)
	var topID int64
	require.NoError(t, json.Unmarshal([]byte(top.ID), &topID))
	sub, err := c.GroupSave(ctx, &kingdee.GroupSaveRequest{FormID: form, GroupFieldKey: field, ParentID: topID, Number: "G0101", Name: "钢材"})
	require.NoError(t, err)

	_, err = c.GroupSave(ctx, &kingdee.GroupSaveRequest{FormID: form, GroupFieldKey: field, Number: "G01", Name: "重复"})
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeValidation), "numbers are unique: %v", err)
	_, err = c.GroupSave(ctx, &kingdee.GroupSaveRequest{FormID: form, GroupFieldKey: field, ParentID: 999, Number: "G02", Name: "孤儿"})
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeNotFound), "the parent must exist: %v", err)

	// Rename through GroupPkId; an empty field key means the form's default group field.
	_, err = c.GroupSave(ctx, &kingdee.GroupSaveRequest{FormID: form, GroupPkID: topID, Number: "G01", Name: "原材料类", Description: "renamed"})
	require.NoError(t, err)
	all, err := c.QueryGroupInfo(ctx, &kingdee.QueryGroupInfoRequest{FormID: form, GroupFieldKey: field})
	require.NoError(t, err)
	require.Len(t, all.Groups, 2)
	assert.Equal(t, kingdee.Group{ID: top.ID, Number: "G01", Name: "原材料类", ParentID: "0", Description: "renamed"}, withoutRaw(all.Groups[0]))
	assert.Equal(t, top.ID, all.Groups[1].ParentID)
	one, err := c.QueryGroupInfo(ctx, &kingdee.QueryGroupInfoRequest{FormID: form, GroupFieldKey: field, GroupPkIDs: []string{sub.ID}})
	require.NoError(t, err)
	require.Len(t, one.Groups, 1)
	assert.Equal(t, "钢材", one.Groups[0].Name)

	// A group with sub-groups cannot go; its leaf can, then it can.
	_, err = c.GroupDelete(ctx, &kingdee.GroupDeleteRequest{FormID: form, GroupFieldKey: field, GroupPkIDs: []string{top.ID}})
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeNotOperable), err)
	_, err = c.GroupDelete(ctx, &kingdee.GroupDeleteRequest{FormID: form, GroupFieldKey: field, GroupPkIDs: []string{sub.ID}})
	require.NoError(t, err)
	_, err = c.GroupDelete(ctx, &kingdee.GroupDeleteRequest{FormID: form, GroupFieldKey: field, GroupPkIDs: []string{top.ID}})
	require.NoError(t, err)
	none, err := c.QueryGroupInfo(ctx, &kingdee.QueryGroupInfoRequest{FormID: form, GroupFieldKey: field})
	require.NoError(t, err)
	assert.Empty(t, none.Groups)
	assert.Equal(t, 5, srv.Calls("GroupSave"))
}

func withoutRaw(g kingdee.Group) kingdee.Group { g.Raw = nil; return g }

func TestFlexSaveSendMsgSwitchOrgDisassembly(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	// FlexSave: one id per distinct combination.
	a, err := c.FlexSave(ctx, &kingdee.FlexSaveRequest{FormID: "BD_FLEXSITEMDETAILV", Model: map[string]any{"FFLEX4": kingdee.Number("VEN0001")}})
	require.NoError(t, err)
	b, err := c.FlexSave(ctx, &kingdee.FlexSaveRequest{FormID: "BD_FLEXSITEMDETAILV", Model: map[string]any{"fflex4": map[string]any{"FNumber": "VEN0001"}}})
	require.NoError(t, err)
	other, err := c.FlexSave(ctx, &kingdee.FlexSaveRequest{FormID: "BD_FLEXSITEMDETAILV", Model: map[string]any{"FFLEX4": kingdee.Number("VEN0002")}})
	require.NoError(t, err)
	assert.NotEmpty(t, a.ID)
	assert.Equal(t, a.ID, b.ID, "the same values give the same id")
	assert.NotEqual(t, a.ID, other.ID)

	// SendMsg: receivers must be users; nothing is sent when one row fails.
	_, err = c.SendMsg(ctx, &kingdee.SendMsgRequest{Messages: []kingdee.Message{
		{Title: "付款已审核", Content: "FKSQ00000001", Receivers: []string{kingdeetest.Username}},
		{Title: "抄送", Receivers: []string{"nobody"}}}})
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeNoSuchField), err)
	assert.Empty(t, srv.Messages())
	_, err = c.SendMsg(ctx, &kingdee.SendMsgRequest{Messages: []kingdee.Message{
		{Title: "付款已审核", Content: "FKSQ00000001", Receivers: []string{kingdeetest.Username}}}})
	require.NoError(t, err)
	assert.Equal(t, []kingdeetest.Message{{Title: "付款已审核", Content: "FKSQ00000001", Receivers: []string{kingdeetest.Username}, Type: "1"}}, srv.Messages())

	// SwitchOrg: known organisations only.
	_, err = c.SwitchOrg(ctx, &kingdee.SwitchOrgRequest{OrgNumber: "200"})
	require.NoError(t, err)
	_, err = c.SwitchOrg(ctx, &kingdee.SwitchOrgRequest{OrgNumber: "999"})
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeNotFound), err)
	assert.Equal(t, []string{"200"}, srv.SwitchedOrgs())

	// Disassembly: the fake splits one bill per entry row.
	p := payApply(7)
	p.Entries = append(p.Entries, kingdee.PayApplyEntry{PayPurpose: kingdee.Number("SFKYT09_SYS"), ApplyAmount: hetong.AmountFromFen(500)})
	res, err := c.Disassembly(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: p})
	require.NoError(t, err)
	require.Len(t, res.Entities, 2)
	bills := srv.Bills(kingdee.FormPayApply)
	require.Len(t, bills, 2)
	for _, b := range bills {
		assert.Len(t, b.Fields["FPAYAPPLYENTRY"], 1)
	}
	p.Date = "" // a required field: nothing is saved
	_, err = c.Disassembly(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: p})
	assert.True(t, kingdee.IsCode(err, kingdee.MsgCodeValidation), err)
	assert.Len(t, srv.Bills(kingdee.FormPayApply), 2)
}

// AllReportRows pages a report through to its RowCount.
func TestAllReportRows(t *testing.T) {
	_, c := newFake(t)
	for i, supplier := range []string{"VEN1", "VEN2", "VEN3", "VEN4", "VEN5"} {
		payable(t, c, supplier, "2024-05-02", fmt.Sprintf("%d.00", 10*(i+1)))
	}
	var got []string
	for l, err := range kingdee.AllReportRows[apLine](context.Background(), c, &kingdee.ReportRequest{FormID: kingdee.FormPayableSummary, Limit: 2,
		Model: map[string]any{"FBeginDate": "2024-05-01", "FEndDate": "2024-05-31"}}) {
		require.NoError(t, err)
		got = append(got, l.Supplier+"="+l.Left.String())
	}
	assert.Equal(t, []string{"VEN1=10.00", "VEN2=20.00", "VEN3=30.00", "VEN4=40.00", "VEN5=50.00"}, got)
}
