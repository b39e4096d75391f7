package zhenling_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// contractWithPlans creates a contract with a counterparty and two
// payment plans in the fake, pays the first by its sourceScheduleId
// (6.4 without id), and returns the contract number.
func contractWithPlans(t *testing.T, srv *zhenlingtest.Server, c *zhenling.Client) string {
	t.Helper()
	ctx := context.Background()
	_, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{
		SourceCode: "OMS-INV-1", MainFile: pdf("main.pdf"),
		Contract: zhenling.ContractCreate{SourceSystem: "oms", ContractName: "租赁合同", DepartmentCode: "D01",
			ChildList: []zhenling.ContractChild{zhenling.Children(zhenling.ChildPartyInformation,
				zhenling.PartyInformation{RoleCode: "J", PartyNumber: "91310000OURS", OurFlag: "true"},
				zhenling.PartyInformation{RoleCode: "Y", PartyNumber: "91310000THEIRS", OurFlag: "false"})}},
	})
	require.NoError(t, err)
	srv.Wait()
	page, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 1}, OtherSourceReceipt: "OMS-INV-1"})
	require.NoError(t, err)
	require.Len(t, page.Content, 1)
	number := string(page.Content[0].ContractNumber)
	_, err = c.Fulfillment.CreatePaymentPlans(ctx, &zhenling.PaymentPlanCreateRequest{Data: []zhenling.PaymentPlanCreate{
		{ContractNumber: number, SourceScheduleID: "PAY-1", PlanAmount: amt("500.06"), Period: "1"},
		{ContractNumber: number, SourceScheduleID: "PAY-2", PlanAmount: amt("499.94"), Period: "2"},
	}})
	require.NoError(t, err)
	_, err = c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: zhenling.PaymentStatusAllPaid, SourceScheduleID: "PAY-1", PaidAmount: amt("500.06")})
	require.NoError(t, err)
	return number
}

// TestInvoicesAgainstTheFake: 6.7 works out of the box (no WithOperation),
// its rows come from the fake's contracts and plans, and the client reads
// them in either result envelope.
func TestInvoicesAgainstTheFake(t *testing.T) {
	srv, c := newFakeClient(t)
	number := contractWithPlans(t, srv, c)
	plain, err := zhenling.NewClient(zhenling.Config{BaseURL: srv.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret})
	require.NoError(t, err)
	ctx := context.Background()
	for _, env := range []zhenlingtest.Envelope{zhenlingtest.EnvelopeDefault, zhenlingtest.EnvelopeCode, zhenlingtest.EnvelopeErrcode} {
		srv.SetEnvelope(zhenling.OpInvoiceQuery, env)
		all, err := plain.Fulfillment.Invoices(ctx, &zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 10}})
		require.NoError(t, err, "envelope %d", env)
		require.Len(t, all.Content, 2, "envelope %d", env)
		assert.Equal(t, "租赁合同", string(all.Content[0].BillingSubjectName))
		assert.Equal(t, "91310000THEIRS", string(all.Content[0].PartyName))
		assert.Equal(t, "D01", string(all.Content[0].ReqDepartmentName))
		assert.Equal(t, "INVOICE APPLICATION", string(all.Content[0].BillingType))
		assert.Equal(t, "KP"+string(all.Content[0].BillingID), string(all.Content[0].ApplicationNumber))

		// fields the package does not type, through QueryPage and a row type of one's own
		type invoiceRow struct {
			ContractNumber string `json:"contractNumber"`
			BillingStatus  string `json:"billingStatus"`
			Regists        []struct {
				InvoiceAmount string `json:"invoiceAmount"`
			} `json:"billingRegists"`
		}
		paid, err := zhenling.QueryPage[invoiceRow](ctx, plain, zhenling.OpInvoiceQuery,
			&zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 10}, BillingStatus: "A", ShowBillingRegist: true})
		require.NoError(t, err)
		require.Len(t, paid.Content, 1)
		assert.Equal(t, number, paid.Content[0].ContractNumber)
		assert.Equal(t, "A", paid.Content[0].BillingStatus)
		require.Len(t, paid.Content[0].Regists, 1)
		assert.Equal(t, "500.06", paid.Content[0].Regists[0].InvoiceAmount)

		_, err = plain.Fulfillment.Invoices(ctx, &zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 10}, BillingStatus: "X"})
		assert.True(t, zhenling.IsCode(err, "PARAM_ERROR"), "envelope %d: %v", env, err)
	}
	var ids []string
	for inv, err := range plain.Fulfillment.AllInvoices(ctx, &zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 1}}) {
		require.NoError(t, err)
		ids = append(ids, string(inv.BillingID))
	}
	assert.Len(t, ids, 2)
	assert.NotEqual(t, ids[0], ids[1])
}

// TestFakeChecksThePageBase: the fake numbers 6.7's pages from 1, so a
// client that sent 0 would get the platform's parameter error.
func TestFakeChecksThePageBase(t *testing.T) {
	srv, _ := newFakeClient(t)
	c, err := zhenling.NewClient(zhenling.Config{BaseURL: srv.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret},
		zhenling.WithPageBase(zhenling.OpInvoiceQuery, 0))
	require.NoError(t, err)
	_, err = c.Fulfillment.Invoices(context.Background(), &zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 10}})
	assert.True(t, zhenling.IsCode(err, "PARAM_ERROR"), "%v", err)
	assert.ErrorContains(t, err, "page从1开始")
}

// TestFakeAnswersEveryQueryInBothEnvelopes runs the stateful queries with
// each envelope forced on.
func TestFakeAnswersEveryQueryInBothEnvelopes(t *testing.T) {
	srv, c := newFakeClient(t)
	number := contractWithPlans(t, srv, c)
	ctx := context.Background()
	for _, env := range []zhenlingtest.Envelope{zhenlingtest.EnvelopeCode, zhenlingtest.EnvelopeErrcode} {
		for _, op := range []string{zhenling.OpContractList, zhenling.OpContractPaymentPlans, zhenling.OpPaymentPlanPay} {
			srv.SetEnvelope(op, env)
		}
		list, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 10}})
		require.NoError(t, err)
		assert.Len(t, list.Content, 1)
		plans, err := c.Contracts.PaymentPlans(ctx, &zhenling.PaymentPlanQueryRequest{ContractNumber: number, Paging: zhenling.Paging{Size: 10}})
		require.NoError(t, err)
		assert.Len(t, plans.Content, 2)
		paid, err := c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: zhenling.PaymentStatusAllPaid, SourceScheduleID: "PAY-2", PaidAmount: amt("499.94")})
		require.NoError(t, err)
		assert.Equal(t, "PAY-2", string(paid.SourceScheduleID))
		_, err = c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: zhenling.PaymentStatusAllPaid, SourceScheduleID: "NOPE"})
		assert.True(t, zhenling.IsCode(err, "40004"), "envelope %d: %v", env, err)
	}
}
