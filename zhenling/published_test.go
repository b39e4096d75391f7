package zhenling

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/transport"
)

// recordBodies answers every HITF call with answer and records the
// bodies and query strings sent.
func recordBodies(mt *httpmock.MockTransport, answer string) *[]string {
	var sent []string
	mt.RegisterResponder(http.MethodPost, `=~^`+mockBase+hitfPath, func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		sent = append(sent, strings.TrimPrefix(r.URL.Path, "/base"+hitfPath)+"?"+r.URL.RawQuery+" "+string(b))
		return httpmock.NewStringResponse(200, answer), nil
	})
	return &sent
}

const emptyPage = `{"message":"execute success","success":true,"result":{"errcode":"0","errmsg":"ok","data":{"content":[]}}}`

// Test67WorksWithoutConfiguration: 6.7 is published (DATA_QUERY, BILLING)
// and needs no WithOperation; its first page is 1 on the wire.
func Test67WorksWithoutConfiguration(t *testing.T) {
	c, mt, _ := newMock(t)
	sent := recordBodies(mt, emptyPage)
	_, err := c.Fulfillment.Invoices(context.Background(), &InvoiceQueryRequest{Paging: Paging{Size: 10}, BillingStatus: "A", ShowBillingLine: true})
	require.NoError(t, err)
	require.Len(t, *sent, 1)
	assert.Equal(t, DataQuery+`?domain=BILLING {"page":1,"size":10,"billingStatus":"A","showBillingLine":true,"showBillingContact":false,"showBillingRegist":false}`, (*sent)[0])
	op, _ := c.Operation(OpInvoiceQuery)
	assert.True(t, op.Documented)
	assert.Equal(t, 1, op.PageBase)
}

// TestPageBasePerOperation: Go counts pages from 0 everywhere; each
// operation's PageBase decides the wire number, and WithPageBase changes it.
func TestPageBasePerOperation(t *testing.T) {
	ctx := context.Background()
	pageOf := func(body string) int {
		var in struct{ Page int }
		require.NoError(t, json.Unmarshal([]byte(body[strings.Index(body, " ")+1:]), &in))
		return in.Page
	}
	c, mt, _ := newMock(t)
	sent := recordBodies(mt, emptyPage)
	_, err := c.Contracts.List(ctx, &ContractListRequest{Paging: Paging{Page: 2, Size: 5}})
	require.NoError(t, err)
	_, err = c.Contracts.PaymentPlans(ctx, &PaymentPlanQueryRequest{ContractNumber: "HT1", Paging: Paging{Page: 0, Size: 5}})
	require.NoError(t, err)
	_, err = c.Contracts.Lines(ctx, &ContractQueryRequest{ContractRef: ContractRef{ContractNumber: "HT1"}, Paging: Paging{Size: 5}})
	require.NoError(t, err)
	_, err = c.Fulfillment.Invoices(ctx, &InvoiceQueryRequest{Paging: Paging{Page: 2, Size: 5}})
	require.NoError(t, err)
	got := []int{}
	for _, b := range *sent {
		got = append(got, pageOf(b))
	}
	assert.Equal(t, []int{2, 0, 0, 3}, got)

	c, mt, _ = newMock(t, WithPageBase(OpContractList, 1), WithPageBase(OpInvoiceQuery, 0))
	sent = recordBodies(mt, emptyPage)
	_, err = c.Contracts.List(ctx, &ContractListRequest{Paging: Paging{Size: 5}})
	require.NoError(t, err)
	_, err = c.Fulfillment.Invoices(ctx, &InvoiceQueryRequest{Paging: Paging{Size: 5}})
	require.NoError(t, err)
	assert.Equal(t, 1, pageOf((*sent)[0]))
	assert.Equal(t, 0, pageOf((*sent)[1]))

	_, err = NewClient(mockCfg, WithPageBase(OpInvoiceQuery, 2))
	assert.ErrorContains(t, err, `WithPageBase("6.7"): base must be one of 0, 1`)
	_, err = NewClient(mockCfg, WithPageBase("9.9", 1))
	assert.ErrorContains(t, err, `unknown operation "9.9"`)
}

// TestAllInvoicesPagesFromOne: the iterator counts pages from 1 on the
// wire for 6.7 and stops at the last page.
func TestAllInvoicesPagesFromOne(t *testing.T) {
	c, mt, _ := newMock(t)
	var pages []int
	mt.RegisterResponder(http.MethodPost, `=~^`+mockBase+hitfPath+DataQuery, func(r *http.Request) (*http.Response, error) {
		var in struct{ Page, Size int }
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &in)
		pages = append(pages, in.Page)
		if in.Page < 1 {
			return httpmock.NewStringResponse(200, `{"success":false,"result":{"errcode":"PARAM_ERROR","errmsg":"page从1开始"}}`), nil
		}
		var rows []string
		for i := (in.Page - 1) * in.Size; i < min(5, in.Page*in.Size); i++ {
			rows = append(rows, `{"billingId":"`+string(rune('0'+i))+`"}`)
		}
		return httpmock.NewStringResponse(200, `{"success":true,"result":{"errcode":"0","errmsg":"ok","data":{"content":[`+strings.Join(rows, ",")+`],"totalElements":5}}}`), nil
	})
	var ids []string
	for inv, err := range c.Fulfillment.AllInvoices(context.Background(), &InvoiceQueryRequest{Paging: Paging{Size: 2}}) {
		require.NoError(t, err)
		ids = append(ids, string(inv.BillingID))
	}
	assert.Equal(t, []string{"0", "1", "2", "3", "4"}, ids)
	assert.Equal(t, []int{1, 2, 3}, pages)
}

// TestQueriesDecodeBothEnvelopes: every typed query and 6.4 read a
// result in either shape, {code,msg,data} or {errcode,errmsg,data}, and
// report a failure code from either.
func TestQueriesDecodeBothEnvelopes(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client) (string, error){
		"3.24": func(c *Client) (string, error) {
			p, err := c.Contracts.List(ctx, &ContractListRequest{Paging: Paging{Size: 1}})
			return first(p, err, func(v Contract) String { return v.ID })
		},
		"3.30": func(c *Client) (string, error) {
			p, err := c.Contracts.LeaseClauses(ctx, &ContractQueryRequest{ContractRef: ContractRef{ContractNumber: "HT1"}, Paging: Paging{Size: 1}})
			return first(p, err, func(v LeaseClause) String { return v.ID })
		},
		"3.33": func(c *Client) (string, error) {
			p, err := c.Contracts.Lines(ctx, &ContractQueryRequest{ContractRef: ContractRef{ContractNumber: "HT1"}, Paging: Paging{Size: 1}})
			return first(p, err, func(v ContractLine) String { return v.ContractLineID })
		},
		"3.34": func(c *Client) (string, error) {
			p, err := c.Contracts.PaymentPlans(ctx, &PaymentPlanQueryRequest{ContractNumber: "HT1", Paging: Paging{Size: 1}})
			return first(p, err, func(v PaymentPlan) String { return v.ID })
		},
		"6.7": func(c *Client) (string, error) {
			p, err := c.Fulfillment.Invoices(ctx, &InvoiceQueryRequest{Paging: Paging{Size: 1}})
			return first(p, err, func(v Invoice) String { return v.BillingID })
		},
		"6.4": func(c *Client) (string, error) {
			p, err := c.Fulfillment.PayPaymentPlan(ctx, &PaymentPlanPayRequest{PaymentStatus: PaymentStatusAllPaid, SourceScheduleID: "S1"})
			if err != nil {
				return "", err
			}
			return string(p.ID), nil
		},
	}
	row := `{"id":"698","billingId":"698","contractLineId":"698"}`
	for op, call := range calls {
		data := `{"content":[` + row + `]}`
		if op == OpPaymentPlanPay {
			data = row
		}
		for _, shape := range [][2]string{{"code", "msg"}, {"errcode", "errmsg"}} {
			c, mt, _ := newMock(t)
			recordBodies(mt, `{"message":"execute success","success":true,"result":{"`+shape[0]+`":"0","`+shape[1]+`":"ok","data":`+data+`}}`)
			id, err := call(c)
			require.NoError(t, err, "%s %s", op, shape[0])
			assert.Equal(t, "698", id, "%s %s", op, shape[0])

			c, mt, _ = newMock(t)
			recordBodies(mt, `{"message":"execute success","success":true,"result":{"`+shape[0]+`":"40004","`+shape[1]+`":"不存在"}}`)
			_, err = call(c)
			var ze *Error
			require.ErrorAs(t, err, &ze, "%s %s", op, shape[0])
			assert.Equal(t, "40004", ze.Code, "%s %s", op, shape[0])
			assert.Equal(t, "不存在", ze.Message, "%s %s", op, shape[0])
		}
	}
}

func first[T any](p *Page[T], err error, id func(T) String) (string, error) {
	if err != nil {
		return "", err
	}
	if len(p.Content) == 0 {
		return "", nil
	}
	return string(id(p.Content[0])), nil
}

// Test334SendsOnlyContractNumber: 3.34 documents contractNumber only.
func Test334SendsOnlyContractNumber(t *testing.T) {
	c, mt, _ := newMock(t)
	sent := recordBodies(mt, emptyPage)
	_, err := c.Contracts.PaymentPlans(context.Background(), &PaymentPlanQueryRequest{ContractNumber: "HT1", Paging: Paging{Size: 10}})
	require.NoError(t, err)
	assert.Equal(t, SingleScript+`?domain=BASE.CONTRACT.PAY_SETT_DETAIL_QUERY {"contractNumber":"HT1","page":0,"size":10}`, (*sent)[0])
	_, err = c.Contracts.PaymentPlans(context.Background(), &PaymentPlanQueryRequest{Paging: Paging{Size: 10}})
	assert.ErrorContains(t, err, "PaymentPlanQueryRequest.ContractNumber: required")
	assert.Len(t, *sent, 1, "nothing sent for an invalid request")
}

// Test64IdentifiesThePlanBySourceScheduleID: 6.4's id is optional.
func Test64IdentifiesThePlanBySourceScheduleID(t *testing.T) {
	c, mt, _ := newMock(t)
	sent := recordBodies(mt, `{"success":true,"result":{"errcode":"0","errmsg":"ok","data":{"id":38457}}}`)
	_, err := c.Fulfillment.PayPaymentPlan(context.Background(), &PaymentPlanPayRequest{PaymentStatus: PaymentStatusAllPaid, SourceScheduleID: "PAY-1", PaidAmount: amt("100")})
	require.NoError(t, err)
	assert.Equal(t, SingleScript+`?domain=HITF.API.FULFILL_PAYMENTPLAN_PAY.CALLBACK {"paymentStatus":"ALL_PAID","paidAmount":100,"sourceScheduleId":"PAY-1"}`, (*sent)[0])
	_, err = c.Fulfillment.PayPaymentPlan(context.Background(), &PaymentPlanPayRequest{PaymentStatus: PaymentStatusAllPaid})
	assert.ErrorContains(t, err, "PaymentPlanPayRequest.SourceScheduleID: required")
}

// TestEmptyAnswersFail: a 200 that carries nothing is not a success for a
// call that must return something (pages, 6.4's plan, batch receipts).
func TestEmptyAnswersFail(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client) error{
		"3.24": func(c *Client) error {
			_, err := c.Contracts.List(ctx, &ContractListRequest{Paging: Paging{Size: 1}})
			return err
		},
		"6.7": func(c *Client) error {
			_, err := c.Fulfillment.Invoices(ctx, &InvoiceQueryRequest{Paging: Paging{Size: 1}})
			return err
		},
		"6.4": func(c *Client) error {
			_, err := c.Fulfillment.PayPaymentPlan(ctx, &PaymentPlanPayRequest{PaymentStatus: PaymentStatusAllPaid, SourceScheduleID: "S1"})
			return err
		},
		"6.5": func(c *Client) error {
			_, err := c.Fulfillment.CreatePaymentPlans(ctx, &PaymentPlanCreateRequest{Data: []PaymentPlanCreate{{ContractNumber: "HT1"}}})
			return err
		},
	}
	for _, body := range []string{``, `{}`, `null`, `{"success":true}`, `{"success":true,"result":{"code":"0"}}`,
		`{"success":true,"result":{"errcode":"0","data":null}}`, `{"success":true,"result":{"data":[]}}`} {
		for op, call := range calls {
			if body == `{"success":true,"result":{"data":[]}}` && op != OpPaymentPlanCreate {
				continue
			}
			c, mt, _ := newMock(t)
			mt.RegisterResponder(http.MethodPost, `=~^`+mockBase+hitfPath, httpmock.NewStringResponder(200, body).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
			err := call(c)
			var ze *Error
			require.ErrorAs(t, err, &ze, "%s %q", op, body)
			assert.ErrorIs(t, err, errNoDataOrDecode(err), "%s %q: %v", op, body, err)
		}
	}
}

// errNoDataOrDecode returns the sentinel err should wrap: errNoData, or
// for an unparsable body the decode error itself.
func errNoDataOrDecode(err error) error {
	if errors.Is(err, errNoData) {
		return errNoData
	}
	var te *transport.Error
	if errors.As(err, &te) && te.Kind == transport.KindDecode {
		return te
	}
	return errNoData
}

// TestEmptyAnswerIsNotARawResult: even an operation whose answer is not
// published cannot succeed with `{}`, `null` or nothing.
func TestEmptyAnswerIsNotARawResult(t *testing.T) {
	for _, body := range []string{`{}`, `null`, ` `} {
		c, mt, _ := newMock(t, WithOperation(OpContractParties, SingleScript, "TENANT.PARTY"))
		mt.RegisterResponder(http.MethodPost, `=~^`+mockBase+hitfPath, httpmock.NewStringResponder(200, body).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
		_, err := c.Contracts.Parties(context.Background(), &ContractQueryRequest{ContractRef: ContractRef{ContractNumber: "HT1"}, Paging: Paging{Size: 1}})
		assert.ErrorIs(t, err, errNoData, "%q", body)
		assert.ErrorContains(t, err, "zhenling: 3.27: the answer carries no data", "%q", body)
	}
}
