package qiyuesuotest_test

import (
	"context"
	"fmt"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

// A contract from the fake's template, sent and signed by everyone, then
// a platform failure injected with FailNext.
func Example() {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{
		Subject: "采购合同", Send: hetong.Ptr(true),
		Category:       &qiyuesuo.Category{ID: qiyuesuotest.CategoryID},
		TemplateParams: []qiyuesuo.TemplateParam{{Name: "甲方", Value: "甲公司"}, {Name: "合同金额", Value: "100.00"}},
		Signatories:    []qiyuesuo.Signatory{{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Result.Status, len(d.Result.Documents), "document")

	_, _, err = srv.SignAll(ctx, d.Result.ID)
	fmt.Println(err) // no callback receiver configured: said, never skipped silently
	det, _ := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: d.Result.ID})
	fmt.Println(det.Result.Status)

	srv.FailNext(qiyuesuotest.Fault{Match: "ContractDetail", Code: qiyuesuo.CodeContractNotFound, Message: "合同不存在"})
	_, err = c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: d.Result.ID})
	fmt.Println(qiyuesuo.IsCode(err, qiyuesuo.CodeContractNotFound), err)
	// Output:
	// SIGNING 1 document
	// qiyuesuotest: no callback URL configured
	// COMPLETE
	// true qiyuesuo: ContractDetail: 合同不存在 (code 11101003, HTTP 200)
}
