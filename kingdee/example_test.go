package kingdee_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// Save 付款申请单 the way the seed integration does — BatchSave with
// 提交并审核 — and read them back into a struct.
func Example() {
	srv := kingdeetest.NewServer() // an in-process fake site; use your own BaseURL in production
	defer srv.Close()
	ctx := context.Background()

	c, err := kingdee.NewClient(kingdee.Config{
		BaseURL: srv.URL, AcctID: kingdeetest.AcctID, Username: kingdeetest.Username,
		AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	bills := []kingdee.PayApply{
		{BillType: kingdee.Number("FKSQ01_SYS"), Date: "2024-05-01", Remark: "差旅报销",
			Custom: map[string]any{"F_VAOJ_HKSX": "费用", "F_VAOJ_DDID": "PROC-001"}},
		{BillType: kingdee.Number("FKSQ01_SYS"), Date: "2024-05-02", Remark: "供应商货款",
			Custom: map[string]any{"F_VAOJ_HKSX": "货款", "F_VAOJ_DDID": "PROC-002"}},
	}
	saved, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: kingdee.FormPayApply, Models: bills,
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("saved:", len(saved.Entities))

	type row struct {
		BillNo string `kd:"FBillNo"`
		Status string `kd:"FDocumentStatus"`
		Remark string `kd:"FREMARK"`
	}
	rows, err := kingdee.Query[row](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply,
		FilterString: "F_VAOJ_HKSX='货款' AND FDocumentStatus='C'"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Println(r.BillNo, r.Status, r.Remark)
	}
	// Output:
	// saved: 2
	// FKSQ00000002 C 供应商货款
}

// A partially failed batch reports the saved rows and, in the error, every
// failed row with its index and field.
func ExampleClient_BatchSave_partialFailure() {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	c, _ := kingdee.NewClient(kingdee.Config{BaseURL: srv.URL, AcctID: kingdeetest.AcctID,
		Username: kingdeetest.Username, AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret})

	bills := []kingdee.PayApply{
		{BillType: kingdee.Number("FKSQ01_SYS"), Date: "2024-05-01"},
		{BillType: kingdee.Number("FKSQ01_SYS")}, // no FDATE
	}
	res, err := c.BatchSave(context.Background(), &kingdee.BatchSaveRequest{FormID: kingdee.FormPayApply, Models: bills})
	var ke *kingdee.Error
	if errors.As(err, &ke) {
		for _, e := range res.Entities {
			fmt.Println("saved row", e.DIndex, e.Number)
		}
		for _, r := range ke.Rows {
			fmt.Println("failed row", r.DIndex, r.FieldName)
		}
		fmt.Println(ke.MsgCode)
	}
	// Output:
	// saved row 0 FKSQ00000001
	// failed row 1 FDATE
	// validation failed
}

// Page through every audited bill, 500 rows per call.
func ExampleAllRows() {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	c, _ := kingdee.NewClient(kingdee.Config{BaseURL: srv.URL, AcctID: kingdeetest.AcctID,
		Username: kingdeetest.Username, AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret})
	ctx := context.Background()
	bills := make([]kingdee.PayApply, 1200)
	for i := range bills {
		bills[i] = kingdee.PayApply{BillType: kingdee.Number("FKSQ01_SYS"), Date: "2024-05-01"}
	}
	if _, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: kingdee.FormPayApply, Models: bills,
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true}}); err != nil {
		fmt.Println(err)
		return
	}
	type row struct {
		ID int64 `kd:"FID"`
	}
	n := 0
	for _, err := range kingdee.AllRows[row](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply,
		FilterString: "FDocumentStatus='C'", Limit: 500}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println(n, "rows in", srv.Calls("ExecuteBillQuery"), "pages")
	// Output: 1200 rows in 3 pages
}

// Log in with a password (ValidateUser) instead of signed headers; the
// session cookie is kept and renewed by the client.
func ExampleNewClient_validateUser() {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	c, err := kingdee.NewClient(kingdee.Config{BaseURL: srv.URL, AcctID: kingdeetest.AcctID,
		Username: kingdeetest.Username, Password: kingdeetest.Password, Auth: kingdee.AuthValidateUser})
	if err != nil {
		fmt.Println(err)
		return
	}
	q := &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}}
	for i := 0; i < 3; i++ {
		if _, err := c.ExecuteBillQuery(context.Background(), q); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("queries:", srv.Calls("ExecuteBillQuery"), "logins:", srv.Calls("ValidateUser"))
	// Output: queries: 3 logins: 1
}
