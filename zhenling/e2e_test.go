package zhenling_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// newFakeClient starts the fake and a client configured for every
// operation it serves.
func newFakeClient(t testing.TB, opts ...zhenling.Option) (*zhenlingtest.Server, *zhenling.Client) {
	t.Helper()
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	c, err := zhenling.NewClient(srv.Config(), append(srv.Options(), opts...)...)
	require.NoError(t, err)
	return srv, c
}

// callbackSink collects callback events delivered by the fake.
type callbackSink struct {
	mu     sync.Mutex
	events []zhenling.CallbackEvent
	got    chan struct{}
}

func newSink(t testing.TB, srv *zhenlingtest.Server) *callbackSink {
	s := &callbackSink{got: make(chan struct{}, 16)}
	h := zhenling.NewCallbackHandler(zhenling.CallbackConfig{}, func(_ context.Context, evs []zhenling.CallbackEvent) error {
		s.mu.Lock()
		s.events = append(s.events, evs...)
		s.mu.Unlock()
		s.got <- struct{}{}
		return nil
	})
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	srv.SetCallback(hs.URL + "/callback/createContract")
	return s
}

func (s *callbackSink) all() []zhenling.CallbackEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]zhenling.CallbackEvent(nil), s.events...)
}

func pdf(name string) *zhenling.FileUploadRequest {
	return &zhenling.FileUploadRequest{FileName: name, ContentType: "application/pdf", Body: strings.NewReader("%PDF-1.4 " + name)}
}

func TestEndToEndContractFlow(t *testing.T) {
	srv, c := newFakeClient(t)
	sink := newSink(t, srv)
	ctx := context.Background()

	res, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{
		SourceCode:  "OMS-2025-0001",
		MainFile:    pdf("main.pdf"),
		Attachments: []*zhenling.FileUploadRequest{pdf("annex.pdf")},
		Contract: zhenling.ContractCreate{
			SourceSystem: "oms", ContractName: "采购合同", Amount: amt("1000.12"), StartDate: "2025-01-01", EndDate: "2050-01-01",
			ChildList: []zhenling.ContractChild{zhenling.Children(zhenling.ChildContractLine,
				zhenling.ContractLineItem{Price: amt("12.50"), Quantity: "8", MaterialsCode: "M-1"})},
		},
	})
	require.NoError(t, err)
	require.Len(t, res.Files, 2)
	assert.NotEmpty(t, res.Files[0].FileKey)
	require.Len(t, res.Receipt.Rows, 1)
	assert.Equal(t, "OMS-2025-0001", string(res.Receipt.Rows[0].SourceCode))
	assert.NotEmpty(t, res.Receipt.BatchID())

	<-sink.got
	evs := sink.all()
	require.Len(t, evs, 1)
	assert.True(t, evs[0].OK, "%+v", evs[0])
	assert.Equal(t, "CREATED", evs[0].SubCode)
	assert.Equal(t, "oms", evs[0].SourceSystem)
	assert.Equal(t, res.Receipt.BatchID(), evs[0].BatchID)

	page, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 10}, OtherSourceReceipt: "OMS-2025-0001"})
	require.NoError(t, err)
	require.Len(t, page.Content, 1)
	ct := page.Content[0]
	assert.Equal(t, "采购合同", string(ct.ContractName))
	assert.Equal(t, "1000.12", ct.Amount.String())
	assert.Equal(t, "OMS-2025-0001", string(ct.OtherSourceReceipt))

	lines, err := c.Contracts.Lines(ctx, &zhenling.ContractQueryRequest{ContractRef: zhenling.ContractRef{ContractNumber: string(ct.ContractNumber)}, Paging: zhenling.Paging{Size: 10}})
	require.NoError(t, err)
	require.Len(t, lines.Content, 1)
	assert.Equal(t, "12.50", lines.Content[0].Price.String())

	var buf strings.Builder
	dl, err := c.Files.Download(ctx, &zhenling.FileKeyRequest{FileKey: res.Files[0].FileKey}, &buf)
	require.NoError(t, err)
	assert.Equal(t, "%PDF-1.4 main.pdf", buf.String())
	assert.Equal(t, "main.pdf", dl.FileName)

	// payment plans: create, read back, pay
	rc, err := c.Fulfillment.CreatePaymentPlans(ctx, &zhenling.PaymentPlanCreateRequest{Data: []zhenling.PaymentPlanCreate{{
		ContractNumber: string(ct.ContractNumber), SourceScheduleID: "PAY-1", PlanAmount: amt("500.06"), Currency: "CNY", PaymentName: "RENT",
	}}})
	require.NoError(t, err)
	require.Len(t, rc.Rows, 1)
	plans, err := c.Contracts.PaymentPlans(ctx, &zhenling.PaymentPlanQueryRequest{ContractNumber: string(ct.ContractNumber), Paging: zhenling.Paging{Size: 5}})
	require.NoError(t, err)
	require.Len(t, plans.Content, 1)
	assert.Equal(t, "500.06", plans.Content[0].PlanAmount.String())
	paid, err := c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: zhenling.PaymentStatusAllPaid, ID: string(plans.Content[0].ID), PaidAmount: amt("500.06")})
	require.NoError(t, err)
	assert.Equal(t, "ALL_PAID", string(paid.PaymentStatus))
	assert.Equal(t, "500.06", paid.PaidAmount.String())
	assert.Equal(t, 1, srv.TokenFetches())

	_, err = c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: zhenling.PaymentStatusAllPaid, ID: "1"})
	var ze *zhenling.Error
	require.True(t, errors.As(err, &ze), "%v", err)
	assert.Equal(t, "40004", ze.Code)
	assert.Equal(t, http.StatusOK, ze.HTTPStatus)
}
