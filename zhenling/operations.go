package zhenling

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/internal/errfmt"
)

// The three HITF invoke codes Zhenling documents. An invoke code is the
// base64 of an HZERO orchestration name and goes into the path as is (the
// "==" of DataImport included).
const (
	// SingleScript (HZERO:ORCHESTRATION:HITF.API.SINGLE-SCRIPT) carries
	// queries and synchronous calls.
	SingleScript = "SFpFUk86T1JDSEVTVFJBVElPTjpISVRGLkFQSS5TSU5HTEUtU0NSSVBU"
	// DataImport (HZERO:ORCHESTRATION:HITF.API.DATA_IMPORT) carries batch,
	// asynchronous writes whose results arrive by callback.
	DataImport = "SFpFUk86T1JDSEVTVFJBVElPTjpISVRGLkFQSS5EQVRBX0lNUE9SVA=="
	// DataQuery (HZERO:ORCHESTRATION:HITF.API.DATA_QUERY) carries the
	// object queries with short domain codes, e.g. 6.7 开票信息查询
	// (domain BILLING).
	DataQuery = "SFpFUk86T1JDSEVTVFJBVElPTjpISVRGLkFQSS5EQVRBX1FVRVJZ"
)

// hitfPath is the HITF gateway route; the invoke code follows it.
const hitfPath = "/api/hitf/v2p/rest/invoke/"

// Operation is one entry of Zhenling's endpoint index: a name (the index
// number, e.g. "3.27"), its title, and where it is sent. Queries are marked
// Idempotent, so they are retried like reads although HITF sends them as
// POST; writes are never re-sent after they may have reached the server.
type Operation struct {
	Name       string // index number, e.g. "3.24"; unnumbered entries have a slug
	Title      string // the index title, e.g. "合同列表查询"
	InvokeCode string // HITF invoke code; empty until documented or configured
	Domain     string // HITF domain (business operation code)
	Path       string // non-HITF path below BaseURL, set with WithOperationPath
	// PageBase is the number the endpoint gives its first page: 0 for the
	// SINGLE-SCRIPT queries (3.24, 3.30, 3.33, 3.34, as their samples
	// send), 1 for 6.7 (DATA_QUERY). Paged requests always count pages
	// from 0 in Go ([Paging.Page]); the client adds PageBase on the wire.
	// Change it with [WithPageBase].
	PageBase   int
	Idempotent bool // safe to retry (a query)
	Documented bool // InvokeCode/Domain come from a public Zhenling page
}

// Configured reports whether the operation can be called.
func (op Operation) Configured() bool {
	return op.Path != "" || (op.InvokeCode != "" && op.Domain != "")
}

// Names of the endpoint-index entries, for WithOperation. The index uses
// 3.40 twice; the contract-text query is "3.40-text", and the two
// unnumbered entries have slugs.
const (
	OpToken              = "1.1"
	OpPartyQuery         = "2.1"
	OpPartyUpsert        = "2.2"
	OpOrganizationUpsert = "4.1"
	OpPositionUpsert     = "4.2"
	OpEmployeeUpsert     = "4.3"
	OpValueSetUpsert     = "4.4"
	OpValueSetQuery      = "4.5"
	OpMaterialUpsert     = "5.3"

	OpContractParties       = "3.27"
	OpContractResources     = "3.28"
	OpContractRelations     = "3.29"
	OpContractLeaseClauses  = "3.30"
	OpContractExtendedInfo  = "3.31"
	OpContractCustomLines   = "3.32"
	OpContractLines         = "3.33"
	OpContractPaymentPlans  = "3.34"
	OpContractReceiptPlans  = "3.35"
	OpContractApprovals     = "3.36"
	OpContractArchiveInfo   = "3.37"
	OpContractArchiveFiles  = "3.38"
	OpContractAuthorization = "3.39"
	OpContractText          = "3.40-text"
	OpContractSignInfo      = "3.41"

	OpOldChangeDelete      = "3.45"
	OpNewChangeDelete      = "3.46"
	OpOldChangeSubmitCheck = "3.47"
	OpNewChangeCheck       = "3.48"
	OpChangeInProgress     = "3.19"

	OpFileUpload               = "3.4"
	OpFilePreview              = "3.5"
	OpTemplateVariables        = "3.6"
	OpContractFiles            = "3.7"
	OpFileDownload             = "3.11"
	OpAttachmentUpload         = "3.15"
	OpContractList             = "3.24"
	OpContractCreate           = "3.40"
	OpSourceFilesClear         = "3.26"
	OpContractDelete           = "3.21"
	OpContractModify           = "3.49"
	OpCancelArchive            = "cancel-archive"
	OpPerformanceUpdate        = "performance-update"
	OpPaymentPlanPay           = "6.4"
	OpPaymentPlanCreate        = "6.5"
	OpReceiptPlanQuery         = "6.6"
	OpInvoiceQuery             = "6.7"
	OpTodoList                 = "7.1"
	OpDoneList                 = "7.2"
	OpApprovalReject           = "7.4"
	OpApprovalApprove          = "7.5"
	OpTenantDoneList           = "7.7"
	OpExternalApprovalCallback = "3.43"
)

// opConstNames maps each index entry to the name of its Op constant, so
// that an error can show the exact Go expression to write.
var opConstNames = map[string]string{
	OpToken:                    "OpToken",
	OpPartyQuery:               "OpPartyQuery",
	OpPartyUpsert:              "OpPartyUpsert",
	OpOrganizationUpsert:       "OpOrganizationUpsert",
	OpPositionUpsert:           "OpPositionUpsert",
	OpEmployeeUpsert:           "OpEmployeeUpsert",
	OpValueSetUpsert:           "OpValueSetUpsert",
	OpValueSetQuery:            "OpValueSetQuery",
	OpMaterialUpsert:           "OpMaterialUpsert",
	OpContractParties:          "OpContractParties",
	OpContractResources:        "OpContractResources",
	OpContractRelations:        "OpContractRelations",
	OpContractLeaseClauses:     "OpContractLeaseClauses",
	OpContractExtendedInfo:     "OpContractExtendedInfo",
	OpContractCustomLines:      "OpContractCustomLines",
	OpContractLines:            "OpContractLines",
	OpContractPaymentPlans:     "OpContractPaymentPlans",
	OpContractReceiptPlans:     "OpContractReceiptPlans",
	OpContractApprovals:        "OpContractApprovals",
	OpContractArchiveInfo:      "OpContractArchiveInfo",
	OpContractArchiveFiles:     "OpContractArchiveFiles",
	OpContractAuthorization:    "OpContractAuthorization",
	OpContractText:             "OpContractText",
	OpContractSignInfo:         "OpContractSignInfo",
	OpOldChangeDelete:          "OpOldChangeDelete",
	OpNewChangeDelete:          "OpNewChangeDelete",
	OpOldChangeSubmitCheck:     "OpOldChangeSubmitCheck",
	OpNewChangeCheck:           "OpNewChangeCheck",
	OpChangeInProgress:         "OpChangeInProgress",
	OpFileUpload:               "OpFileUpload",
	OpFilePreview:              "OpFilePreview",
	OpTemplateVariables:        "OpTemplateVariables",
	OpContractFiles:            "OpContractFiles",
	OpFileDownload:             "OpFileDownload",
	OpAttachmentUpload:         "OpAttachmentUpload",
	OpContractList:             "OpContractList",
	OpContractCreate:           "OpContractCreate",
	OpSourceFilesClear:         "OpSourceFilesClear",
	OpContractDelete:           "OpContractDelete",
	OpContractModify:           "OpContractModify",
	OpCancelArchive:            "OpCancelArchive",
	OpPerformanceUpdate:        "OpPerformanceUpdate",
	OpPaymentPlanPay:           "OpPaymentPlanPay",
	OpPaymentPlanCreate:        "OpPaymentPlanCreate",
	OpReceiptPlanQuery:         "OpReceiptPlanQuery",
	OpInvoiceQuery:             "OpInvoiceQuery",
	OpTodoList:                 "OpTodoList",
	OpDoneList:                 "OpDoneList",
	OpApprovalReject:           "OpApprovalReject",
	OpApprovalApprove:          "OpApprovalApprove",
	OpTenantDoneList:           "OpTenantDoneList",
	OpExternalApprovalCallback: "OpExternalApprovalCallback",
}

// index is the seed's endpoint index in its order. Only the entries whose
// codes Zhenling published carry them; nothing here is guessed.
var index = []Operation{
	{Name: OpToken, Title: "获取 Token", Idempotent: true},
	{Name: OpPartyQuery, Title: "相对方批量查询", Idempotent: true},
	{Name: OpPartyUpsert, Title: "相对方创建及更新"},
	{Name: OpOrganizationUpsert, Title: "组织信息创建及更新"},
	{Name: OpPositionUpsert, Title: "岗位创建及更新"},
	{Name: OpEmployeeUpsert, Title: "员工创建及更新"},
	{Name: OpValueSetUpsert, Title: "值集创建及更新"},
	{Name: OpValueSetQuery, Title: "独立值集值查询", Idempotent: true},
	{Name: OpMaterialUpsert, Title: "物料创建及更新"},

	{Name: OpContractParties, Title: "查询合同相对方", Idempotent: true},
	{Name: OpContractResources, Title: "查询合同关联资源", Idempotent: true},
	{Name: OpContractRelations, Title: "查询合同关联关系", Idempotent: true},
	{Name: OpContractLeaseClauses, Title: "查询合同租赁条款", Idempotent: true, InvokeCode: SingleScript, Domain: "BASE.CONTRACT.LEASE_CLAUSE_DETAIL_QUERY", Documented: true},
	{Name: OpContractExtendedInfo, Title: "查询合同扩展信息", Idempotent: true},
	{Name: OpContractCustomLines, Title: "查询合同自定义合同行", Idempotent: true},
	{Name: OpContractLines, Title: "查询合同行", Idempotent: true, InvokeCode: SingleScript, Domain: "BASE.CONTRACT.CCRT_LINE_DETAIL_QUERY", Documented: true},
	{Name: OpContractPaymentPlans, Title: "查询合同付款计划", Idempotent: true, InvokeCode: SingleScript, Domain: "BASE.CONTRACT.PAY_SETT_DETAIL_QUERY", Documented: true},
	{Name: OpContractReceiptPlans, Title: "查询合同收款计划", Idempotent: true},
	{Name: OpContractApprovals, Title: "查询合同审批记录", Idempotent: true},
	{Name: OpContractArchiveInfo, Title: "查询合同归档信息", Idempotent: true},
	{Name: OpContractArchiveFiles, Title: "查询合同归附件", Idempotent: true},
	{Name: OpContractAuthorization, Title: "查询合同授权信息", Idempotent: true},
	{Name: OpContractText, Title: "查询合同正文", Idempotent: true},
	{Name: OpContractSignInfo, Title: "查询合同签约信息", Idempotent: true},

	{Name: OpOldChangeDelete, Title: "合同老变更删除"},
	{Name: OpNewChangeDelete, Title: "合同新变更删除"},
	{Name: OpOldChangeSubmitCheck, Title: "旧变更提交校验接口", Idempotent: true},
	{Name: OpNewChangeCheck, Title: "是否可发起新变更校验接口", Idempotent: true},
	{Name: OpChangeInProgress, Title: "查询合同是否存在在途的变更", Idempotent: true},

	{Name: OpFileUpload, Title: "合同文件上传"},
	{Name: OpFilePreview, Title: "获取文件预览链接", Idempotent: true},
	{Name: OpTemplateVariables, Title: "模板变量查询", Idempotent: true},
	{Name: OpContractFiles, Title: "合同正文及附件下载", Idempotent: true},
	{Name: OpFileDownload, Title: "通过fileKey下载文件", Idempotent: true},
	{Name: OpAttachmentUpload, Title: "通用附件上传接口"},
	{Name: OpContractList, Title: "合同列表查询", Idempotent: true, InvokeCode: SingleScript, Domain: "BASE.CONTRACT.PAGE_QUERY", Documented: true},
	{Name: OpContractCreate, Title: "创建合同"},
	{Name: OpSourceFilesClear, Title: "来源创建上传文件清空"},
	{Name: OpContractDelete, Title: "批量合同删除"},
	{Name: OpContractModify, Title: "合同修改及变更"},
	{Name: OpCancelArchive, Title: "合同取消归档"},
	{Name: OpPerformanceUpdate, Title: "合同履约信息更新"},

	{Name: OpPaymentPlanPay, Title: "付款计划支付回调-新合同履行", InvokeCode: SingleScript, Domain: "HITF.API.FULFILL_PAYMENTPLAN_PAY.CALLBACK", Documented: true},
	{Name: OpPaymentPlanCreate, Title: "付款计划创建-新合同履行", InvokeCode: DataImport, Domain: "FULFILL_PAYMENTPLAN", Documented: true},
	{Name: OpReceiptPlanQuery, Title: "收款计划查询", Idempotent: true},
	{Name: OpInvoiceQuery, Title: "开票信息查询", Idempotent: true, InvokeCode: DataQuery, Domain: "BILLING", PageBase: 1, Documented: true},

	{Name: OpTodoList, Title: "个人待办列表查询接口", Idempotent: true},
	{Name: OpDoneList, Title: "个人已办列表查询接口", Idempotent: true},
	{Name: OpApprovalReject, Title: "审批拒绝指定工作流"},
	{Name: OpApprovalApprove, Title: "审批同意指定工作流"},
	{Name: OpTenantDoneList, Title: "租户已办列表查询接口", Idempotent: true},
	{Name: OpExternalApprovalCallback, Title: "外部系统审批后回调"},
}

var indexByName = func() map[string]int {
	m := make(map[string]int, len(index))
	for i, op := range index {
		m[op.Name] = i
	}
	return m
}()

// Operations returns the endpoint index with the publicly documented codes
// filled in (a copy; changing it changes nothing). Entries whose Configured
// method reports false must be set with [WithOperation] before use.
func Operations() []Operation { return append([]Operation(nil), index...) }

func buildOps(over map[string]opOverride) map[string]Operation {
	m := make(map[string]Operation, len(index))
	for _, op := range index {
		if ov, ok := over[op.Name]; ok {
			if ov.invokeCode != "" && (ov.invokeCode != op.InvokeCode || ov.domain != op.Domain) {
				op.InvokeCode, op.Domain, op.Documented = ov.invokeCode, ov.domain, false
			}
			op.Path = ov.path
			if ov.pageBase != nil {
				op.PageBase = *ov.pageBase
			}
		}
		m[op.Name] = op
	}
	return m
}

// NotConfiguredError is returned, before anything is sent, by a method
// whose operation has no invoke code and domain yet. Its message says what
// to ask Zhenling for and how to pass it.
type NotConfiguredError struct {
	Op Operation
}

// Error names what to ask your Zhenling contact for and the option that
// takes it. Methods return it inside an *Error with the same text.
func (e *NotConfiguredError) Error() string {
	return errfmt.Format("zhenling", e.Op.Name, e.message(), "", "", 0)
}

func (e *NotConfiguredError) message() string {
	return fmt.Sprintf("%s is not configured: Zhenling has not published its HITF invoke code and domain. "+
		"Ask your Zhenling contact (PM) for the invoke code and the domain of %s %s, then pass them with "+
		"zhenling.WithOperation(%s, \"<invoke code>\", \"<domain>\")",
		e.Op.Title, e.Op.Name, e.Op.Title, opConstName(e.Op.Name))
}

// opConstName is the Go constant that names operation name, or its quoted
// name when there is none.
func opConstName(name string) string {
	if c, ok := opConstNames[name]; ok {
		return "zhenling." + c
	}
	return fmt.Sprintf("%q", name)
}

// route is where a configured operation is sent, computed once per
// client. query is shared: callers copy it before adding to it.
type route struct {
	path  string
	query url.Values
}

func routeOf(op Operation) route {
	var r route
	if op.Domain != "" {
		r.query = url.Values{"domain": {op.Domain}}
	}
	r.path = hitfPath + op.InvokeCode
	if op.Path != "" {
		r.path = op.Path
	}
	return r
}

// resolve returns the operation and the request path and query for it
// (the query is shared and must not be changed).
func (c *Client) resolve(name string) (Operation, string, url.Values, error) {
	op, ok := c.ops[name]
	if !ok {
		return op, "", nil, invalidf("operation", "unknown name %q (see zhenling.Operations)", name)
	}
	if !op.Configured() {
		nc := &NotConfiguredError{Op: op}
		return op, "", nil, &Error{Op: op.Name, Message: nc.message(), Err: nc}
	}
	r := c.routes[name]
	return op, r.path, r.query, nil
}

// InvokePath returns the HITF path for invokeCode, as the gateway expects
// it (the code is not escaped; "=" is legal in a path segment).
func InvokePath(invokeCode string) string { return hitfPath + strings.TrimPrefix(invokeCode, "/") }
