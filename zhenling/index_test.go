package zhenling_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// seedIndex is the endpoint index of Zhenling's developer guide (seed
// 000), in its order, with the titles as printed there.
var seedIndex = [][2]string{
	{"1.1", "获取 Token"},
	{"2.1", "相对方批量查询"}, {"2.2", "相对方创建及更新"}, {"4.1", "组织信息创建及更新"}, {"4.2", "岗位创建及更新"},
	{"4.3", "员工创建及更新"}, {"4.4", "值集创建及更新"}, {"4.5", "独立值集值查询"}, {"5.3", "物料创建及更新"},
	{"3.27", "查询合同相对方"}, {"3.28", "查询合同关联资源"}, {"3.29", "查询合同关联关系"}, {"3.30", "查询合同租赁条款"},
	{"3.31", "查询合同扩展信息"}, {"3.32", "查询合同自定义合同行"}, {"3.33", "查询合同行"}, {"3.34", "查询合同付款计划"},
	{"3.35", "查询合同收款计划"}, {"3.36", "查询合同审批记录"}, {"3.37", "查询合同归档信息"}, {"3.38", "查询合同归附件"},
	{"3.39", "查询合同授权信息"}, {"3.40-text", "查询合同正文"}, {"3.41", "查询合同签约信息"},
	{"3.45", "合同老变更删除"}, {"3.46", "合同新变更删除"}, {"3.47", "旧变更提交校验接口"}, {"3.48", "是否可发起新变更校验接口"},
	{"3.19", "查询合同是否存在在途的变更"},
	{"3.4", "合同文件上传"}, {"3.5", "获取文件预览链接"}, {"3.6", "模板变量查询"}, {"3.7", "合同正文及附件下载"},
	{"3.11", "通过fileKey下载文件"}, {"3.15", "通用附件上传接口"}, {"3.24", "合同列表查询"}, {"3.40", "创建合同"},
	{"3.26", "来源创建上传文件清空"}, {"3.21", "批量合同删除"}, {"3.49", "合同修改及变更"}, {"cancel-archive", "合同取消归档"},
	{"performance-update", "合同履约信息更新"},
	{"6.4", "付款计划支付回调-新合同履行"}, {"6.5", "付款计划创建-新合同履行"}, {"6.6", "收款计划查询"}, {"6.7", "开票信息查询"},
	{"7.1", "个人待办列表查询接口"}, {"7.2", "个人已办列表查询接口"}, {"7.4", "审批拒绝指定工作流"}, {"7.5", "审批同意指定工作流"},
	{"7.7", "租户已办列表查询接口"}, {"3.43", "外部系统审批后回调"},
}

// methods calls the method of every index entry with a minimal valid request.
func methods() map[string]func(context.Context, *zhenling.Client) error {
	cq := func() *zhenling.ContractQueryRequest {
		return &zhenling.ContractQueryRequest{ContractRef: zhenling.ContractRef{ContractNumber: "HT1"}, Paging: zhenling.Paging{Size: 10}}
	}
	ca := func() *zhenling.ContractActionRequest {
		return &zhenling.ContractActionRequest{ContractRef: zhenling.ContractRef{ContractNumber: "HT1"}}
	}
	q := func() *zhenling.QueryRequest {
		return &zhenling.QueryRequest{Extra: map[string]any{"page": 0, "size": 10}}
	}
	act := func() *zhenling.ActionRequest {
		return &zhenling.ActionRequest{UserContext: zhenling.UserContext{UserIDType: zhenling.UserIDEmail, UserID: "a@b.cn"}, Extra: map[string]any{"taskId": "T1"}}
	}
	batch := func() *zhenling.BatchRequest {
		return &zhenling.BatchRequest{Data: []zhenling.Record{{SourceSystem: "oms", SourceCode: "R1", Fields: map[string]any{"name": "x"}}}}
	}
	file := func(src string) *zhenling.FileUploadRequest {
		return &zhenling.FileUploadRequest{SourceDocumentNumber: src, FileName: "a.pdf", Body: strings.NewReader("pdf")}
	}
	e := func(_ any, err error) error { return err }
	return map[string]func(context.Context, *zhenling.Client) error{
		"1.1": func(ctx context.Context, c *zhenling.Client) error { return e(c.Token(ctx)) },
		"2.1": func(ctx context.Context, c *zhenling.Client) error { return e(c.Parties.Query(ctx, q())) },
		"2.2": func(ctx context.Context, c *zhenling.Client) error { return e(c.Parties.Upsert(ctx, batch())) },
		"4.1": func(ctx context.Context, c *zhenling.Client) error { return e(c.Org.UpsertOrganizations(ctx, batch())) },
		"4.2": func(ctx context.Context, c *zhenling.Client) error { return e(c.Org.UpsertPositions(ctx, batch())) },
		"4.3": func(ctx context.Context, c *zhenling.Client) error { return e(c.Org.UpsertEmployees(ctx, batch())) },
		"4.4": func(ctx context.Context, c *zhenling.Client) error { return e(c.Org.UpsertValueSets(ctx, batch())) },
		"4.5": func(ctx context.Context, c *zhenling.Client) error { return e(c.Org.ValueSetValues(ctx, q())) },
		"5.3": func(ctx context.Context, c *zhenling.Client) error { return e(c.Materials.Upsert(ctx, batch())) },

		"3.27": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Parties(ctx, cq())) },
		"3.28": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Resources(ctx, cq())) },
		"3.29": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Relations(ctx, cq())) },
		"3.30": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.LeaseClauses(ctx, cq())) },
		"3.31": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.ExtendedInfo(ctx, cq())) },
		"3.32": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.CustomLines(ctx, cq())) },
		"3.33": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Lines(ctx, cq())) },
		"3.34": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Contracts.PaymentPlans(ctx, &zhenling.PaymentPlanQueryRequest{ContractNumber: "HT1", Paging: zhenling.Paging{Size: 10}}))
		},
		"3.35":      func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.ReceiptPlans(ctx, cq())) },
		"3.36":      func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Approvals(ctx, cq())) },
		"3.37":      func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.ArchiveInfo(ctx, cq())) },
		"3.38":      func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.ArchiveFiles(ctx, cq())) },
		"3.39":      func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Authorizations(ctx, cq())) },
		"3.40-text": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Text(ctx, cq())) },
		"3.41":      func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.SignInfo(ctx, cq())) },

		"3.45": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.DeleteOldChange(ctx, ca())) },
		"3.46": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.DeleteNewChange(ctx, ca())) },
		"3.47": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Contracts.CheckOldChangeSubmit(ctx, ca()))
		},
		"3.48": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.CheckNewChange(ctx, ca())) },
		"3.19": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.ChangeInProgress(ctx, ca())) },

		"3.4": func(ctx context.Context, c *zhenling.Client) error { return e(c.Files.Upload(ctx, file("S1"))) },
		"3.5": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Files.PreviewURL(ctx, &zhenling.FileKeyRequest{FileKey: "k"}))
		},
		"3.6": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.TemplateVariables(ctx, q())) },
		"3.7": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Files.ContractFiles(ctx, ca(), io.Discard))
		},
		"3.11": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Files.Download(ctx, &zhenling.FileKeyRequest{FileKey: "k"}, io.Discard))
		},
		"3.15": func(ctx context.Context, c *zhenling.Client) error { return e(c.Files.UploadAttachment(ctx, file(""))) },
		"3.24": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 10}}))
		},
		"3.40": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Contracts.Create(ctx, &zhenling.ContractCreateRequest{Data: []zhenling.ContractCreate{{SourceCode: "S1"}}}))
		},
		"3.26": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Files.ClearSourceFiles(ctx, &zhenling.SourceFilesRequest{SourceDocumentNumber: "S1"}))
		},
		"3.21":           func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Delete(ctx, act())) },
		"3.49":           func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.Modify(ctx, batch())) },
		"cancel-archive": func(ctx context.Context, c *zhenling.Client) error { return e(c.Contracts.CancelArchive(ctx, ca())) },
		"performance-update": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Contracts.UpdatePerformance(ctx, batch()))
		},

		"6.4": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: zhenling.PaymentStatusAllPaid, ID: "1"}))
		},
		"6.5": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Fulfillment.CreatePaymentPlans(ctx, &zhenling.PaymentPlanCreateRequest{Data: []zhenling.PaymentPlanCreate{{ContractNumber: "HT1"}}}))
		},
		"6.6": func(ctx context.Context, c *zhenling.Client) error { return e(c.Fulfillment.ReceiptPlans(ctx, q())) },
		"6.7": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Fulfillment.Invoices(ctx, &zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 10}}))
		},

		"7.1": func(ctx context.Context, c *zhenling.Client) error { return e(c.Workflow.Todos(ctx, q())) },
		"7.2": func(ctx context.Context, c *zhenling.Client) error { return e(c.Workflow.Done(ctx, q())) },
		"7.4": func(ctx context.Context, c *zhenling.Client) error { return e(c.Workflow.Reject(ctx, act())) },
		"7.5": func(ctx context.Context, c *zhenling.Client) error { return e(c.Workflow.Approve(ctx, act())) },
		"7.7": func(ctx context.Context, c *zhenling.Client) error { return e(c.Workflow.TenantDone(ctx, q())) },
		"3.43": func(ctx context.Context, c *zhenling.Client) error {
			return e(c.Workflow.ExternalApprovalCallback(ctx, act()))
		},
	}
}

func TestIndexMatchesSeed(t *testing.T) {
	ops := zhenling.Operations()
	require.Len(t, ops, len(seedIndex))
	for i, want := range seedIndex {
		assert.Equal(t, want[0], ops[i].Name, "entry %d", i)
		assert.Equal(t, want[1], ops[i].Title, "entry %d", i)
	}
	assert.Len(t, methods(), len(seedIndex), "one method per index entry")
}

// TestEveryIndexEntryHasAWorkingMethod calls each entry's method against
// the fake, with the fake's operation table, and checks the call reached
// the fake's route for exactly that operation.
func TestEveryIndexEntryHasAWorkingMethod(t *testing.T) {
	srv, c := newFakeClient(t)
	ctx := context.Background()
	for _, entry := range seedIndex {
		name := entry[0]
		call, found := methods()[name]
		require.True(t, found, "no method for %s", name)
		err := call(ctx, c)
		var ze *zhenling.Error
		if err != nil {
			require.True(t, errors.As(err, &ze), "%s: %v", name, err)
			assert.NotEmpty(t, ze.Code, "%s: a platform answer, not a transport failure: %v", name, err)
		}
		if name != zhenling.OpToken {
			assert.Equal(t, 1, srv.Calls(name), "%s reached its route", name)
		}
	}
	assert.Equal(t, 1, srv.TokenFetches())
}

// TestUndocumentedEntriesNeedConfiguration checks that without
// WithOperation every undocumented entry fails before sending, naming the
// option, and every documented one is sent.
func TestUndocumentedEntriesNeedConfiguration(t *testing.T) {
	srv := zhenlingtest.NewServer()
	t.Cleanup(srv.Close)
	c, err := zhenling.NewClient(zhenling.Config{BaseURL: srv.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret})
	require.NoError(t, err)
	documented, unpublished := 0, 0
	for _, op := range zhenling.Operations() {
		err := methods()[op.Name](context.Background(), c)
		var nc *zhenling.NotConfiguredError
		if op.Name == zhenling.OpToken || op.Documented {
			assert.False(t, errors.As(err, &nc), "%s is documented: %v", op.Name, err)
			documented++
			continue
		}
		require.True(t, errors.As(err, &nc), "%s: %v", op.Name, err)
		unpublished++
		assert.Equal(t, op.Name, nc.Op.Name)
		msg := err.Error()
		assert.Contains(t, msg, "Ask your Zhenling contact (PM) for the invoke code and the domain of "+op.Name+" "+op.Title)
		assert.Regexp(t, `zhenling\.WithOperation\(zhenling\.Op[A-Za-z]+, "<invoke code>", "<domain>"\)$`, msg)
		assert.Zero(t, srv.Calls(op.Name))
	}
	assert.Equal(t, 8, documented, "1.1, 3.24, 3.30, 3.33, 3.34, 6.4, 6.5, 6.7")
	assert.Equal(t, 44, unpublished, "the 44 entries Zhenling has not published")
}
