package zhenlingtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// A test against the fake: a client ready to call, a contract created
// asynchronously with its callback, an injected platform error, and a
// redelivery that the handler acknowledges without handling it twice.
func Example() {
	srv := zhenlingtest.NewServer()
	defer srv.Close()
	c := srv.Client()

	handled := 0
	hook := httptest.NewServer(c.NewCallbackHandler(zhenling.CallbackConfig{}, func(_ context.Context, evs []zhenling.CallbackEvent) error {
		handled += len(evs)
		return nil
	}))
	defer hook.Close()
	srv.SetCallback(hook.URL)

	ctx := context.Background()
	out, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{SourceCode: "OMS-1",
		MainFile: &zhenling.FileUploadRequest{FileName: "c.pdf", Body: strings.NewReader("%PDF-1.7")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.Wait()
	status, _, err := srv.Redeliver(ctx, out.Receipt.BatchID())
	fmt.Println("redelivered:", status, err, "handled:", handled)

	srv.FailNext(zhenlingtest.Fault{Match: zhenling.OpContractList, Code: "E500", Message: "脚本异常"})
	_, err = c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 10}})
	fmt.Println(err)
	// Output:
	// redelivered: 200 <nil> handled: 1
	// zhenling: 3.24: 脚本异常 (code E500, HTTP 200)
}

// FailNext with a status and a body imitates a proxy page.
func ExampleServer_FailNext() {
	srv := zhenlingtest.NewServer()
	defer srv.Close()
	c := srv.Client(zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 1}))
	srv.FailNext(zhenlingtest.Fault{Match: zhenling.OpInvoiceQuery, Status: http.StatusBadGateway, ContentType: "text/html", Body: "<html>502</html>"})
	_, err := c.Fulfillment.Invoices(context.Background(), &zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 10}})
	var ze *zhenling.Error
	fmt.Println(errors.As(err, &ze), ze.HTTPStatus, ze.Message)
	// Output:
	// true 502 response is not JSON (a proxy or gateway page?)
}
