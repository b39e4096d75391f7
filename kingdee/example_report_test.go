package kingdee_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// Reconcile what the integration wrote with 应付款汇总表: a payable of
// 500.00 is owed to VEN001, a 付款申请单 of 120.50 is pushed down to a
// 付款单 and audited, and the report shows the balance left.
func ExampleClient_GetSysReportData() {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := kingdee.NewClient(kingdee.Config{BaseURL: srv.URL, AcctID: kingdeetest.AcctID,
		Username: kingdeetest.Username, AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret})
	if err != nil {
		fmt.Println(err)
		return
	}
	audited := kingdee.SaveOptions{IsAutoSubmitAndAudit: true}
	_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayable, SaveOptions: audited,
		Model: map[string]any{"FDATE": "2024-05-02", "FSUPPLIERID": kingdee.Number("VEN001"), "FALLAMOUNTFOR": json.Number("500.00")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	apply, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, SaveOptions: audited,
		Model: map[string]any{"FBILLTYPEID": kingdee.Number("FKSQ01_SYS"), "FDATE": "2024-05-06",
			"FCONTACTUNIT": kingdee.Number("VEN001"), "FPAYAPPLYENTRY": []map[string]any{{"FPAYAMOUNTFOR": json.Number("120.50")}}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	pushed, err := c.Push(ctx, &kingdee.PushRequest{FormID: kingdee.FormPayApply, Numbers: []string{apply.Number},
		RuleID: kingdee.RulePayApplyToPayBill})
	if err != nil {
		fmt.Println(err)
		return
	}
	payBill := kingdee.Bills{FormID: kingdee.FormPayBill, Numbers: []string{pushed.Entities[0].Number}}
	if _, err = c.Submit(ctx, &kingdee.SubmitRequest{Bills: payBill}); err == nil {
		_, err = c.Audit(ctx, &kingdee.AuditRequest{Bills: payBill})
	}
	if err != nil {
		fmt.Println(err)
		return
	}

	type line struct {
		Supplier string `kd:"FCONTACTUNITNUMBER"`
		Payable  string `kd:"FAMOUNT"`
		Paid     string `kd:"FREALAMOUNT"`
		Left     string `kd:"FLEFTAMOUNT"`
	}
	lines, total, err := kingdee.Report[line](ctx, c, &kingdee.ReportRequest{FormID: kingdee.FormPayableSummary,
		Model: map[string]any{"FBeginDate": "2024-05-01", "FEndDate": "2024-05-31", "FCONTACTUNITTYPE": "BD_Supplier"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("rows:", total)
	for _, l := range lines {
		fmt.Println(l.Supplier, "payable", l.Payable, "paid", l.Paid, "left", l.Left)
	}
	// Output:
	// rows: 1
	// VEN001 payable 500.00 paid 120.50 left 379.50
}
