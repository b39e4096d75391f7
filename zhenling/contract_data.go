package zhenling

import (
	"context"
	"iter"
	"strings"

	"github.com/hetong-go/hetong"
)

// LeaseClause is a row of 3.30 查询合同租赁条款 (fields from the published sample).
type LeaseClause struct {
	ID               String `json:"id"`
	UUID             String `json:"uuid"`
	ContractUUID     String `json:"contractUuid"`
	PartyUUID        String `json:"partyUuid"`
	ExpenseItem      String `json:"expenseItem"`
	PayFrequency     String `json:"payFrequency"`
	FirstPaymentDate String `json:"firstPaymentDate"`
	Payer            String `json:"payer"`
	SingleMonthFlag  String `json:"singleMonthFlag"`
	PayType          String `json:"payType"` // e.g. "ONE_TIME_PAYMENT"
	LeaseEndDate     String `json:"leaseEndDate"`
	NeedBillFlag     String `json:"needBillFlag"`
	RentFreeFlag     String `json:"rentFreeFlag"`
	InvoiceType      String `json:"invoiceType"` // e.g. "01"
	Audit
}

// ContractLine is a row of 3.33 查询合同行 (fields from the published sample).
type ContractLine struct {
	ContractLineID   String        `json:"contractLineId"`
	UUID             String        `json:"uuid"`
	SerialNumber     String        `json:"serialNumber"`
	CreateSourceType String        `json:"createSourceType"`
	ArrType          String        `json:"arrType"` // e.g. "OC"
	LineType         String        `json:"lineType"`
	TypeCode         String        `json:"typeCode"` // e.g. "OC_HCBM_CONTRACT_LINE"
	Description      String        `json:"description"`
	MaterialsName    String        `json:"materialsName"`
	MaterialsDesc    String        `json:"materialsDesc"`
	Price            hetong.Amount `json:"price"`
	Quantity         String        `json:"quantity"`
	TaxRate          String        `json:"taxRate"`
	ServiceEndDate   String        `json:"serviceEndDate"`
	Audit
}

// PaymentPlan is a 付款计划: a row of 3.34, the plan 6.4 returns, and what
// 6.5 creates. Amounts are decimal text.
type PaymentPlan struct {
	ID               String        `json:"id"`
	UUID             String        `json:"uuid"`
	ContractUUID     String        `json:"contractUuid"`
	SourceScheduleID String        `json:"sourceScheduleId"`
	PaymentName      String        `json:"paymentName"` // e.g. "RENT"
	ExpenseItem      String        `json:"expenseItem"` // e.g. "GOODS"
	PlanType         String        `json:"planType"`    // e.g. "ACYCLIC"
	Period           String        `json:"period"`
	Terms            String        `json:"terms"`
	Percent          String        `json:"percent"`
	InvoiceType      String        `json:"invoiceType"`
	Currency         String        `json:"currency"` // e.g. "CNY"
	PlanAmount       hetong.Amount `json:"planAmount"`
	FeeWithoutTax    hetong.Amount `json:"feeWithoutTax"`
	Tax              hetong.Amount `json:"tax"`
	PlanDate         String        `json:"planDate"`
	PaymentStatus    String        `json:"paymentStatus"` // e.g. "ALL_PAID"
	PaidAmount       hetong.Amount `json:"paidAmount"`
	DataSources      String        `json:"dataSources"` // e.g. "MANUALLY_CREATE"
	Audit
}

// LeaseClauses runs 3.30 查询合同租赁条款.
func (s *ContractService) LeaseClauses(ctx context.Context, req *ContractQueryRequest) (*Page[LeaseClause], error) {
	return typedPage[LeaseClause](ctx, s.c, OpContractLeaseClauses, "ContractQueryRequest", req)
}

// Lines runs 3.33 查询合同行.
func (s *ContractService) Lines(ctx context.Context, req *ContractQueryRequest) (*Page[ContractLine], error) {
	return typedPage[ContractLine](ctx, s.c, OpContractLines, "ContractQueryRequest", req)
}

// PaymentPlanQueryRequest is the body of 3.34 查询合同付款计划. Its page
// documents one key only, contractNumber (合同编码); unlike 3.30 and 3.33
// it names no serial number nor uuid. Extra carries anything your tenant
// adds.
type PaymentPlanQueryRequest struct {
	ContractNumber string `json:"contractNumber"` // 合同编码, required
	Paging
	UserContext
	Extra map[string]any `json:"-"`
}

func (r *PaymentPlanQueryRequest) body(where string) ([]byte, error) { return r.pagedBody(where, 0) }

func (r *PaymentPlanQueryRequest) pagedBody(where string, base int) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if strings.TrimSpace(r.ContractNumber) == "" {
		return nil, invalid(where+".ContractNumber", required)
	}
	return encodePaged(where, *r, func(w *PaymentPlanQueryRequest) *Paging { return &w.Paging }, base, r.UserContext, r.Extra)
}

// PaymentPlans runs 3.34 查询合同付款计划.
func (s *ContractService) PaymentPlans(ctx context.Context, req *PaymentPlanQueryRequest) (*Page[PaymentPlan], error) {
	return typedPage[PaymentPlan](ctx, s.c, OpContractPaymentPlans, "PaymentPlanQueryRequest", req)
}

// AllPaymentPlans pages through 3.34 from req.Page on.
func (s *ContractService) AllPaymentPlans(ctx context.Context, req *PaymentPlanQueryRequest) iter.Seq2[PaymentPlan, error] {
	return pages(OpContractPaymentPlans, req, func(r *PaymentPlanQueryRequest) *Paging { return &r.Paging }, func(r *PaymentPlanQueryRequest) (*Page[PaymentPlan], error) {
		return s.PaymentPlans(ctx, r)
	})
}

// The queries below (查询合同关联数据) have no published response fields
// nor codes: each returns a Result whose Data is the raw JSON, and each
// needs WithOperation(<its Op constant>, invokeCode, domain).

// Parties runs 3.27 查询合同相对方 (raw Result; configure OpContractParties).
func (s *ContractService) Parties(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractParties, "ContractQueryRequest", req)
}

// Resources runs 3.28 查询合同关联资源 (raw Result; configure OpContractResources).
func (s *ContractService) Resources(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractResources, "ContractQueryRequest", req)
}

// Relations runs 3.29 查询合同关联关系 (raw Result; configure OpContractRelations).
func (s *ContractService) Relations(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractRelations, "ContractQueryRequest", req)
}

// ExtendedInfo runs 3.31 查询合同扩展信息 (raw Result; configure OpContractExtendedInfo).
func (s *ContractService) ExtendedInfo(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractExtendedInfo, "ContractQueryRequest", req)
}

// CustomLines runs 3.32 查询合同自定义合同行 (raw Result; configure OpContractCustomLines).
func (s *ContractService) CustomLines(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractCustomLines, "ContractQueryRequest", req)
}

// ReceiptPlans runs 3.35 查询合同收款计划 (raw Result; configure OpContractReceiptPlans).
func (s *ContractService) ReceiptPlans(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractReceiptPlans, "ContractQueryRequest", req)
}

// Approvals runs 3.36 查询合同审批记录 (raw Result; configure OpContractApprovals).
func (s *ContractService) Approvals(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractApprovals, "ContractQueryRequest", req)
}

// ArchiveInfo runs 3.37 查询合同归档信息 (raw Result; configure OpContractArchiveInfo).
func (s *ContractService) ArchiveInfo(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractArchiveInfo, "ContractQueryRequest", req)
}

// ArchiveFiles runs 3.38 查询合同归附件 (raw Result; configure OpContractArchiveFiles).
func (s *ContractService) ArchiveFiles(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractArchiveFiles, "ContractQueryRequest", req)
}

// Authorizations runs 3.39 查询合同授权信息 (raw Result; configure OpContractAuthorization).
func (s *ContractService) Authorizations(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractAuthorization, "ContractQueryRequest", req)
}

// Text runs 3.40 查询合同正文 (raw Result; configure OpContractText).
func (s *ContractService) Text(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractText, "ContractQueryRequest", req)
}

// SignInfo runs 3.41 查询合同签约信息 (raw Result; configure OpContractSignInfo).
func (s *ContractService) SignInfo(ctx context.Context, req *ContractQueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractSignInfo, "ContractQueryRequest", req)
}

// The contract writes and checks below have no published fields nor
// codes: the request carries the contract identifiers and Extra, the
// answer is a raw Result, and each needs WithOperation.

// DeleteOldChange runs 3.45 合同老变更删除 (raw Result; configure OpOldChangeDelete).
func (s *ContractService) DeleteOldChange(ctx context.Context, req *ContractActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpOldChangeDelete, "ContractActionRequest", req)
}

// DeleteNewChange runs 3.46 合同新变更删除 (raw Result; configure OpNewChangeDelete).
func (s *ContractService) DeleteNewChange(ctx context.Context, req *ContractActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpNewChangeDelete, "ContractActionRequest", req)
}

// CheckOldChangeSubmit runs 3.47 旧变更提交校验接口 (raw Result; configure OpOldChangeSubmitCheck).
func (s *ContractService) CheckOldChangeSubmit(ctx context.Context, req *ContractActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpOldChangeSubmitCheck, "ContractActionRequest", req)
}

// CheckNewChange runs 3.48 是否可发起新变更校验接口 (raw Result; configure OpNewChangeCheck).
func (s *ContractService) CheckNewChange(ctx context.Context, req *ContractActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpNewChangeCheck, "ContractActionRequest", req)
}

// ChangeInProgress runs 3.19 查询合同是否存在在途的变更 (raw Result; configure OpChangeInProgress).
func (s *ContractService) ChangeInProgress(ctx context.Context, req *ContractActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpChangeInProgress, "ContractActionRequest", req)
}

// TemplateVariables runs 3.6 模板变量查询 (raw Result; configure OpTemplateVariables).
// Name the template in Extra.
func (s *ContractService) TemplateVariables(ctx context.Context, req *QueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpTemplateVariables, "QueryRequest", req)
}

// Delete runs 3.21 批量合同删除 (raw Result; configure OpContractDelete).
// Its batch shape is unpublished: list the contracts in Extra.
func (s *ContractService) Delete(ctx context.Context, req *ActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpContractDelete, "ActionRequest", req)
}

// Modify runs 3.49 合同修改及变更 as a batch write (Receipt; configure OpContractModify).
func (s *ContractService) Modify(ctx context.Context, req *BatchRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpContractModify, "BatchRequest", req)
}

// CancelArchive runs 合同取消归档 (raw Result; configure OpCancelArchive).
func (s *ContractService) CancelArchive(ctx context.Context, req *ContractActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpCancelArchive, "ContractActionRequest", req)
}

// UpdatePerformance runs 合同履约信息更新 as a batch write (Receipt; configure OpPerformanceUpdate).
func (s *ContractService) UpdatePerformance(ctx context.Context, req *BatchRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpPerformanceUpdate, "BatchRequest", req)
}
