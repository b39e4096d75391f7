package zhenling

import (
	"context"
	"iter"
)

// InvoiceQueryRequest is the body of 6.7 开票信息查询 (DATA_QUERY, domain
// BILLING). Its page documents no contract filter; Extra carries any your
// tenant adds.
type InvoiceQueryRequest struct {
	// Paging counts pages from 0 in Go; 6.7 numbers them from 1 on the
	// wire (its sample sends "page":1), and the client converts.
	Paging
	// BillingStatus filters by 开票状态. The page prints its enum run
	// together as "NPAR": the values N, P, A and R (the sample sends "A");
	// their meanings are not published. Empty means any.
	BillingStatus string `json:"billingStatus,omitempty"`
	// ShowBillingLine includes the receipt-plan information (是否展示收款计划信息).
	ShowBillingLine bool `json:"showBillingLine"`
	// ShowBillingContact includes the invoice mailing address (收票地址).
	ShowBillingContact bool `json:"showBillingContact"`
	// ShowBillingRegist includes the invoice registrations (发票登记).
	ShowBillingRegist bool `json:"showBillingRegist"`
	UserContext
	Extra map[string]any `json:"-"`
}

func (r *InvoiceQueryRequest) body(where string) ([]byte, error) { return r.pagedBody(where, 0) }

func (r *InvoiceQueryRequest) pagedBody(where string, base int) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	return encodePaged(where, *r, func(w *InvoiceQueryRequest) *Paging { return &w.Paging }, base, r.UserContext, r.Extra)
}

// Invoice is a row of 6.7: one invoice application (开票申请). The typed
// fields are those of the published sample, whose numbers are strings;
// the nested lists that the Show* flags add are not typed, as their field
// names are not published: read them with [QueryPage].
type Invoice struct {
	BillingID          String `json:"billingId"`
	ApplicationNumber  String `json:"applicationNumber"` // 申请单号
	BillingType        String `json:"billingType"`       // e.g. "INVOICE APPLICATION"
	BillingSubjectName String `json:"billingSubjectName"`
	ReqDepartmentName  String `json:"reqDepartmentName"` // 申请部门
	PartyName          String `json:"partyName"`         // 相对方
	SubmitDate         String `json:"submitDate"`
	Audit
}

// Invoices runs 6.7 开票信息查询 and returns one page. It works without
// configuration: its invoke code (DataQuery) and domain (BILLING) are
// published.
func (s *FulfillmentService) Invoices(ctx context.Context, req *InvoiceQueryRequest) (*Page[Invoice], error) {
	return typedPage[Invoice](ctx, s.c, OpInvoiceQuery, "InvoiceQueryRequest", req)
}

// AllInvoices pages through 6.7 from req.Page on, yielding each invoice
// application; it stops at the first error (yielded once).
func (s *FulfillmentService) AllInvoices(ctx context.Context, req *InvoiceQueryRequest) iter.Seq2[Invoice, error] {
	return pages(OpInvoiceQuery, req, func(r *InvoiceQueryRequest) *Paging { return &r.Paging }, func(r *InvoiceQueryRequest) (*Page[Invoice], error) {
		return s.Invoices(ctx, r)
	})
}
