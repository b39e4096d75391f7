package zhenling

import "context"

// Master data (主数据管理) has no published fields nor codes: queries take a
// QueryRequest and return a raw Result; upserts take a BatchRequest whose
// records carry sourceSystem/sourceCode and your tenant's fields, and
// return the asynchronous Receipt. Each needs WithOperation.

// PartyService covers 2.1/2.2 相对方 (counterparties).
type PartyService service

// Query runs 2.1 相对方批量查询 (raw Result; configure OpPartyQuery).
func (s *PartyService) Query(ctx context.Context, req *QueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpPartyQuery, "QueryRequest", req)
}

// Upsert runs 2.2 相对方创建及更新 (Receipt; configure OpPartyUpsert).
func (s *PartyService) Upsert(ctx context.Context, req *BatchRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpPartyUpsert, "BatchRequest", req)
}

// OrgService covers 4.x: organisations, positions, employees, value sets.
// Contracts need their 签署部门/业务归属部门 (4.1) and 经办人 (4.2, 4.3)
// to exist first, unless OC is fed from WeCom, DingTalk or Feishu.
type OrgService service

// UpsertOrganizations runs 4.1 组织信息创建及更新 (Receipt; configure OpOrganizationUpsert).
func (s *OrgService) UpsertOrganizations(ctx context.Context, req *BatchRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpOrganizationUpsert, "BatchRequest", req)
}

// UpsertPositions runs 4.2 岗位创建及更新 (Receipt; configure OpPositionUpsert).
func (s *OrgService) UpsertPositions(ctx context.Context, req *BatchRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpPositionUpsert, "BatchRequest", req)
}

// UpsertEmployees runs 4.3 员工创建及更新 (Receipt; configure OpEmployeeUpsert).
func (s *OrgService) UpsertEmployees(ctx context.Context, req *BatchRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpEmployeeUpsert, "BatchRequest", req)
}

// UpsertValueSets runs 4.4 值集创建及更新 (Receipt; configure OpValueSetUpsert).
func (s *OrgService) UpsertValueSets(ctx context.Context, req *BatchRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpValueSetUpsert, "BatchRequest", req)
}

// ValueSetValues runs 4.5 独立值集值查询 (raw Result; configure OpValueSetQuery).
func (s *OrgService) ValueSetValues(ctx context.Context, req *QueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpValueSetQuery, "QueryRequest", req)
}

// MaterialService covers 5.3 物料.
type MaterialService service

// Upsert runs 5.3 物料创建及更新 (Receipt; configure OpMaterialUpsert).
func (s *MaterialService) Upsert(ctx context.Context, req *BatchRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpMaterialUpsert, "BatchRequest", req)
}

// WorkflowService covers 7.x 工作流 and 3.43. These calls usually act as a
// user: set the request's UserContext (e.g. UserIDLoginName + login name).
// None of their fields or codes are published: each needs WithOperation,
// takes Extra and returns a raw Result.
type WorkflowService service

// Todos runs 7.1 个人待办列表查询接口 (raw Result; configure OpTodoList).
func (s *WorkflowService) Todos(ctx context.Context, req *QueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpTodoList, "QueryRequest", req)
}

// Done runs 7.2 个人已办列表查询接口 (raw Result; configure OpDoneList).
func (s *WorkflowService) Done(ctx context.Context, req *QueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpDoneList, "QueryRequest", req)
}

// Reject runs 7.4 审批拒绝指定工作流 (raw Result; configure OpApprovalReject).
func (s *WorkflowService) Reject(ctx context.Context, req *ActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpApprovalReject, "ActionRequest", req)
}

// Approve runs 7.5 审批同意指定工作流 (raw Result; configure OpApprovalApprove).
func (s *WorkflowService) Approve(ctx context.Context, req *ActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpApprovalApprove, "ActionRequest", req)
}

// TenantDone runs 7.7 租户已办列表查询接口 (raw Result; configure OpTenantDoneList).
func (s *WorkflowService) TenantDone(ctx context.Context, req *QueryRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpTenantDoneList, "QueryRequest", req)
}

// ExternalApprovalCallback runs 3.43 外部系统审批后回调: your approval
// system tells OC the outcome (raw Result; configure OpExternalApprovalCallback).
func (s *WorkflowService) ExternalApprovalCallback(ctx context.Context, req *ActionRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpExternalApprovalCallback, "ActionRequest", req)
}
