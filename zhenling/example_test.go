package zhenling_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// Create a contract the way Zhenling's integration guide describes:
// upload the files with your contract id, create the contract with the
// same id, receive the asynchronous result, and list the contract back.
func Example() {
	fake := zhenlingtest.NewServer() // an in-process Zhenling; use your tenant's host in production
	defer fake.Close()

	results := make(chan zhenling.CallbackEvent, 1)
	cb := httptest.NewServer(zhenling.NewCallbackHandler(zhenling.CallbackConfig{
		Verifier: nil, // Zhenling documents no signature: protect this URL yourself
	}, func(_ context.Context, evs []zhenling.CallbackEvent) error {
		for _, ev := range evs {
			results <- ev
		}
		return nil
	}))
	defer cb.Close()
	fake.SetCallback(cb.URL + "/callback/createContract")

	c, err := zhenling.NewClient(zhenling.Config{
		BaseURL: fake.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret,
	}, zhenling.WithOperations(zhenlingtest.Operations()...)) // the codes your Zhenling PM gives you
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	amount, err := hetong.ParseAmount("1000.12") // exact decimal money, never float64
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{
		SourceCode: "OMS-2025-0042",
		MainFile:   &zhenling.FileUploadRequest{FileName: "contract.pdf", ContentType: "application/pdf", Body: strings.NewReader("%PDF-1.7 …")},
		Contract:   zhenling.ContractCreate{SourceSystem: "oms", ContractName: "设备采购合同", Amount: &amount},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("uploaded:", len(out.Files), "receipt rows:", len(out.Receipt.Rows))

	ev := <-results
	fmt.Println("callback:", ev.Code, ev.SubCode, ev.SourceSystem, ev.SourceCode, ev.BatchID == out.Receipt.BatchID())

	page, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Page: 0, Size: 10}, OtherSourceReceipt: "OMS-2025-0042"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("listed:", page.Content[0].ContractName, page.Content[0].Amount, page.Content[0].StatusCode)
	// Output:
	// uploaded: 1 receipt rows: 1
	// callback: SUCCESS CREATED oms OMS-2025-0042 true
	// listed: 设备采购合同 1000.12 N
}

// An operation whose codes Zhenling has not published fails before
// anything is sent, naming the option to set.
func ExampleWithOperation() {
	c, _ := zhenling.NewClient(zhenling.Config{BaseURL: zhenling.TestBaseURL, ClientID: "id", ClientSecret: "secret"})
	_, err := c.Contracts.Parties(context.Background(), &zhenling.ContractQueryRequest{
		ContractRef: zhenling.ContractRef{ContractNumber: "HT2025001"}, Paging: zhenling.Paging{Size: 20},
	})
	var nc *zhenling.NotConfiguredError
	fmt.Println(errors.As(err, &nc), nc.Op.Name)

	c, _ = zhenling.NewClient(zhenling.Config{BaseURL: zhenling.TestBaseURL, ClientID: "id", ClientSecret: "secret"},
		zhenling.WithOperation(zhenling.OpContractParties, zhenling.SingleScript, "TENANT.CONTRACT.PARTY_QUERY"))
	op, _ := c.Operation(zhenling.OpContractParties)
	fmt.Println(op.Title, op.Domain, op.Configured())
	// Output:
	// true 3.27
	// 查询合同相对方 TENANT.CONTRACT.PARTY_QUERY true
}

// Iterate over every contract; the iterator fetches the pages.
func ExampleContractService_AllContracts() {
	fake := zhenlingtest.NewServer()
	defer fake.Close()
	c, _ := zhenling.NewClient(zhenling.Config{BaseURL: fake.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret},
		zhenling.WithOperations(zhenlingtest.Operations()...))
	ctx := context.Background()
	for i := range 3 {
		id := fmt.Sprintf("OMS-%d", i)
		_, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{SourceCode: id,
			MainFile: &zhenling.FileUploadRequest{FileName: id + ".pdf", Body: strings.NewReader("pdf")}})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	fake.Wait() // the fake creates contracts asynchronously, as OC does

	for ct, err := range c.Contracts.AllContracts(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 2}}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ct.SourceCode)
	}
	// Output:
	// OMS-0
	// OMS-1
	// OMS-2
}

// Decode a callback by hand, authenticated by a shared header.
func ExampleParseCallback() {
	body := `{"batchId":"7ecb6832","sourceSystem":"oms","data":[{"code":"SUCCESS","subCode":"CREATED","sourceCode":"OMS-1"},{"code":"FAILED","subCode":"FILE_NOT_FOUND","sourceCode":"OMS-2","message":"no file"}]}`
	r := httptest.NewRequest(http.MethodPost, "/callback/createContract", strings.NewReader(body))
	r.Header.Set("X-Callback-Token", "s3cret")
	evs, err := zhenling.ParseCallback(r, zhenling.CallbackConfig{Verifier: zhenling.HeaderSecret("X-Callback-Token", "s3cret")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range evs {
		fmt.Printf("%s %s %s %s/%s ok=%v %q\n", ev.BatchID, ev.SourceSystem, ev.SourceCode, ev.Code, ev.SubCode, ev.OK, ev.Message)
	}
	// Output:
	// 7ecb6832 oms OMS-1 SUCCESS/CREATED ok=true ""
	// 7ecb6832 oms OMS-2 FAILED/FILE_NOT_FOUND ok=false "no file"
}

// 6.7 开票信息查询 works without configuration: its invoke code and domain
// are published, and its pages, numbered from 1 on the wire, count from 0
// in Go like every other query.
func ExampleFulfillmentService_AllInvoices() {
	srv := zhenlingtest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	if _, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{SourceCode: "OMS-7",
		MainFile: &zhenling.FileUploadRequest{FileName: "c.pdf", Body: strings.NewReader("%PDF-1.7")},
		Contract: zhenling.ContractCreate{ContractName: "租赁合同"}}); err != nil {
		fmt.Println(err)
		return
	}
	srv.Wait()
	list, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 1}, OtherSourceReceipt: "OMS-7"})
	if err != nil {
		fmt.Println(err)
		return
	}
	rent, _ := hetong.ParseAmount("500.00")
	_, err = c.Fulfillment.CreatePaymentPlans(ctx, &zhenling.PaymentPlanCreateRequest{Data: []zhenling.PaymentPlanCreate{
		{ContractNumber: string(list.Content[0].ContractNumber), SourceScheduleID: "RENT-1", PlanAmount: &rent},
		{ContractNumber: string(list.Content[0].ContractNumber), SourceScheduleID: "RENT-2", PlanAmount: &rent},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: zhenling.PaymentStatusAllPaid, SourceScheduleID: "RENT-1", PaidAmount: &rent})
	if err != nil {
		fmt.Println(err)
		return
	}
	for inv, err := range c.Fulfillment.AllInvoices(ctx, &zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 1}, BillingStatus: "A"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(inv.BillingSubjectName, inv.BillingType)
	}
	// Output:
	// 租赁合同 INVOICE APPLICATION
}
