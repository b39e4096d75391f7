package zhenling

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/internal/errfmt"
)

// FulfillmentService covers 6.x 合同履行 (new contract fulfilment).
type FulfillmentService service

// PaymentStatusAllPaid is the paymentStatus the samples send for a plan paid in full.
const PaymentStatusAllPaid = "ALL_PAID"

// PaymentPlanPayRequest is the body of 6.4 付款计划支付回调: despite 「回调」
// it is a call you make to tell OC that a plan was paid. Identify the plan
// by SourceScheduleID (your plan id, as sent in 6.5), which is how the
// published sample does it (its id is ""); ID (OC's plan id) is optional
// and sent only when set.
type PaymentPlanPayRequest struct {
	PaymentStatus    string         `json:"paymentStatus"` // e.g. PaymentStatusAllPaid
	ID               string         `json:"id,omitempty"`
	PaidAmount       *hetong.Amount `json:"paidAmount,omitempty"` // 付款金额, sent as a JSON number
	SourceScheduleID string         `json:"sourceScheduleId,omitempty"`
	UserContext
	Extra map[string]any `json:"-"`
}

func (r *PaymentPlanPayRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if r.PaymentStatus == "" {
		return nil, invalid(where+".PaymentStatus", required)
	}
	if strings.TrimSpace(r.SourceScheduleID) == "" && strings.TrimSpace(r.ID) == "" {
		return nil, invalid(where+".SourceScheduleID", required+" (or OC's plan ID)")
	}
	wire := *r
	if r.PaidAmount != nil {
		wire.PaidAmount = hetong.Ptr(r.PaidAmount.AsNumber())
	}
	return encodeRequest(where, &wire, r.UserContext, r.Extra)
}

// checkNumber rejects decimal text that would not encode as a JSON number.
func checkNumber(where string, n json.Number) error {
	if n == "" {
		return nil
	}
	if _, err := json.Marshal(n); err != nil || strings.ContainsAny(string(n), "eE") {
		return invalidf(where, "must be a plain decimal, got %q", string(n))
	}
	return nil
}

// PayPaymentPlan runs 6.4 付款计划支付回调-新合同履行 and returns the
// updated plan; an answer without the plan is an error. It is a write and
// is not re-sent after it may have reached the server.
func (s *FulfillmentService) PayPaymentPlan(ctx context.Context, req *PaymentPlanPayRequest) (*PaymentPlan, error) {
	b, err := s.c.encode(OpPaymentPlanPay, "PaymentPlanPayRequest", req)
	if err != nil {
		return nil, err
	}
	var p PaymentPlan
	err = invokeTyped(ctx, s.c, OpPaymentPlanPay, b, &p, true, func(raw json.RawMessage, p *PaymentPlan) error {
		return json.Unmarshal(raw, p)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// PaymentPlanCreateRequest is the body of 6.5 付款计划创建: a batch
// ({"data":[...]}) created asynchronously.
type PaymentPlanCreateRequest struct {
	Data []PaymentPlanCreate `json:"data"`
	UserContext
	Extra map[string]any `json:"-"`
}

// PaymentPlanCreate is one plan of 6.5. Name the contract by ContractUUID,
// ContractID or ContractNumber. The amounts ([hetong.Amount]) and TaxRate
// (a fraction such as 0.13, exact decimal text) are sent as JSON numbers,
// as in the sample; times are "yyyy-MM-dd HH:mm:ss".
type PaymentPlanCreate struct {
	ContractUUID     string         `json:"contractUuid,omitempty"`
	ContractID       string         `json:"contractId,omitempty"`
	ContractNumber   string         `json:"contractNumber,omitempty"`
	SourceScheduleID string         `json:"sourceScheduleId,omitempty"` // your plan id
	InvoiceType      string         `json:"invoiceType,omitempty"`
	PartyUUID        string         `json:"partyUuid,omitempty"`
	PlanAmount       *hetong.Amount `json:"planAmount,omitempty"`
	PaymentName      string         `json:"paymentName,omitempty"`
	ExpenseItem      string         `json:"expenseItem,omitempty"`
	Period           string         `json:"period,omitempty"`
	PlanDate         string         `json:"planDate,omitempty"`
	StartDate        string         `json:"startDate,omitempty"`
	EndDate          string         `json:"endDate,omitempty"`
	TaxRate          json.Number    `json:"taxRate,omitempty"`
	Currency         string         `json:"currency,omitempty"`
	FeeWithoutTax    *hetong.Amount `json:"feeWithoutTax,omitempty"`
	Tax              *hetong.Amount `json:"tax,omitempty"`
	PaymentStatus    string         `json:"paymentStatus,omitempty"`
	PaidAmount       *hetong.Amount `json:"paidAmount,omitempty"`
	ReceivedAmount   *hetong.Amount `json:"receivedAmount,omitempty"`
	// Extra holds further fields of the item.
	Extra map[string]any `json:"-"`
}

// MarshalJSON merges Extra into the item and writes the amounts as JSON
// numbers, as the sample does.
func (p PaymentPlanCreate) MarshalJSON() ([]byte, error) {
	type plain PaymentPlanCreate
	for _, a := range []**hetong.Amount{&p.PlanAmount, &p.FeeWithoutTax, &p.Tax, &p.PaidAmount, &p.ReceivedAmount} {
		if *a != nil {
			*a = hetong.Ptr((*a).AsNumber())
		}
	}
	return encodeBody("PaymentPlanCreate", plain(p), p.Extra)
}

func (r *PaymentPlanCreateRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if len(r.Data) == 0 {
		return nil, invalid(where+".Data", errfmt.AtLeastItems(1))
	}
	for i, p := range r.Data {
		at := fmt.Sprintf("%s.Data[%d]", where, i)
		if p.ContractUUID == "" && p.ContractID == "" && p.ContractNumber == "" {
			return nil, invalid(at+".ContractUUID", required+" (or ContractID or ContractNumber)")
		}
		if err := checkNumber(at+".TaxRate", p.TaxRate); err != nil {
			return nil, err
		}
		type plain PaymentPlanCreate
		if _, err := encodeBody(at, plain(p), p.Extra); err != nil {
			return nil, err
		}
	}
	return encodeRequest(where, r, r.UserContext, r.Extra)
}

// CreatePaymentPlans runs 6.5 付款计划创建-新合同履行 (DATA_IMPORT,
// FULFILL_PAYMENTPLAN). The Receipt echoes each row with its batch id;
// the plans are created asynchronously.
func (s *FulfillmentService) CreatePaymentPlans(ctx context.Context, req *PaymentPlanCreateRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpPaymentPlanCreate, "PaymentPlanCreateRequest", req)
}

// ReceiptPlans runs 6.6 收款计划查询 (raw Result; configure OpReceiptPlanQuery).
func (s *FulfillmentService) ReceiptPlans(ctx context.Context, req *QueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpReceiptPlanQuery, "QueryRequest", req)
}
