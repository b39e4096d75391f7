package main

import (
	"github.com/hetong-go/hetong"

	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// samplePDF is a tiny valid one-page PDF to upload.
const samplePDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// await waits for one value from ch, or the ctx.
func await[T any](ctx context.Context, ch <-chan T) (T, error) {
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("waiting for the callback: %w", ctx.Err())
	}
}

func zhenlingStep(ctx context.Context, log *slog.Logger) (string, error) {
	fake := zhenlingtest.NewServer()
	defer fake.Close()
	events := make(chan zhenling.CallbackEvent, 4)
	hook := httptest.NewServer(zhenling.NewCallbackHandler(zhenling.CallbackConfig{},
		func(_ context.Context, evs []zhenling.CallbackEvent) error {
			for _, ev := range evs {
				events <- ev
			}
			return nil
		}))
	defer hook.Close()
	fake.SetCallback(hook.URL)

	c, err := zhenling.NewClient(fake.Config(), append(fake.Options(), zhenling.WithLogger(log))...)
	if err != nil {
		return "", err
	}
	amount, err := hetong.ParseAmount("12000.00")
	if err != nil {
		return "", err
	}
	out, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{
		SourceCode: "QS-0001",
		MainFile:   &zhenling.FileUploadRequest{FileName: "contract.pdf", ContentType: "application/pdf", Body: strings.NewReader(samplePDF)},
		Contract:   zhenling.ContractCreate{SourceSystem: "HETONG", ContractName: "快速上手采购合同", Amount: &amount},
	})
	if err != nil {
		return "", err
	}
	ev, err := await(ctx, events)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("batch %s accepted; callback: code=%s subCode=%s sourceCode=%s", out.Receipt.BatchID(), ev.Code, ev.SubCode, ev.SourceCode), nil
}

func essbasicStep(ctx context.Context, log *slog.Logger) (string, error) {
	fake := essbasictest.NewServer()
	defer fake.Close()
	c, err := essbasic.NewClient(fake.Config(), append(fake.Options(), essbasic.WithLogger(log))...)
	if err != nil {
		return "", err
	}
	up, err := c.UploadFromReader(ctx, &essbasic.UploadFromReaderRequest{BusinessType: "DOCUMENT",
		Files: []essbasic.UploadSource{{Name: "contract.pdf", Reader: strings.NewReader(samplePDF)}}})
	if err != nil {
		return "", err
	}
	flow, err := c.ChannelCreateFlowByFiles(ctx, &essbasic.ChannelCreateFlowByFilesRequest{
		FlowName: "快速上手合同", FileIds: up.FileIds, Deadline: hetong.Ptr(time.Now().Add(7 * 24 * time.Hour).Unix()),
		FlowApprovers: []essbasic.FlowApproverInfo{{ApproverType: "PERSON", Name: "张三", Mobile: "13800000000"}},
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("file %s uploaded, flow %s created", up.FileIds[0], flow.FlowId), nil
}

func qiyuesuoStep(ctx context.Context, log *slog.Logger) (string, error) {
	fake := qiyuesuotest.NewServer()
	defer fake.Close()
	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret},
		qiyuesuo.WithBaseURL(fake.URL), qiyuesuo.WithLogger(log))
	if err != nil {
		return "", err
	}
	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{
		Subject: "快速上手销售合同",
		Signatories: []qiyuesuo.Signatory{
			{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName, SerialNo: hetong.Ptr(1),
				Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionAudit}, {Type: qiyuesuo.ActionCompany}}},
			{TenantType: qiyuesuo.TenantPersonal, TenantName: "李四", SerialNo: hetong.Ptr(2),
				Receiver: &qiyuesuo.User{Name: "李四", Contact: "13800000000", ContactType: qiyuesuo.ContactMobile}},
		},
	})
	if err != nil {
		return "", err
	}
	id := d.Result.ID
	if _, err := c.DocumentAddByFile(ctx, &qiyuesuo.DocumentAddByFileRequest{ContractID: id, Title: "合同正文", FileSuffix: "pdf",
		File: qiyuesuo.File{Name: "contract.pdf", Reader: strings.NewReader(samplePDF)}}); err != nil {
		return "", err
	}
	if _, err := c.ContractSend(ctx, &qiyuesuo.ContractSendRequest{ContractID: id}); err != nil {
		return "", err
	}
	if _, err := c.ContractEmployeeAudit(ctx, &qiyuesuo.ContractEmployeeAuditRequest{ContractID: id, Pass: true, Comment: "同意"}); err != nil {
		return "", err
	}
	det, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: id})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("contract %s drafted, sent and audited; status %s", id, det.Result.Status), nil
}

func zeyiStep(ctx context.Context, log *slog.Logger) (string, error) {
	fake := zeyitest.NewServer()
	defer fake.Close()
	results := make(chan *zeyi.CallbackEvent, 1)
	hook := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(), func(_ context.Context, ev *zeyi.CallbackEvent) error {
		results <- ev
		return nil
	}))
	defer hook.Close()
	fake.SetCallback(hook.URL)
	c, err := zeyi.NewClient(fake.Config(), append(fake.Options(), zeyi.WithLogger(log))...)
	if err != nil {
		return "", err
	}
	res, err := c.SendAudit(ctx, &zeyi.SendAuditRequest{Code: "QS-0001", AuditType: "contract", OriginatorUsername: "10001",
		AuditFormList: []zeyi.FormItem{zeyi.TextItem("合同名称", "快速上手采购合同"), zeyi.AmountItem("金额", hetong.AmountFromFen(1200000))}})
	if err != nil {
		return "", err
	}
	if status, body, err := fake.Approve(ctx, "QS-0001"); err != nil || !zeyitest.Acknowledged(status, body) {
		return "", fmt.Errorf("approval callback: HTTP %d %s: %v", status, body, err)
	}
	ev, err := await(ctx, results)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("approval %s started (auditId %q); callback: %s/%s", res.Code, res.AuditID, ev.Type, ev.Result), nil
}

func dingtalkStep(ctx context.Context, log *slog.Logger) (string, error) {
	fake := dingtalktest.NewServer()
	defer fake.Close()
	start := time.Now().Add(-72 * time.Hour)
	fake.SeedReimbursements("PROC-QUICKSTART", 3, start)
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithBaseURL(fake.URL), dingtalk.WithNewAPIBaseURL(fake.URL), dingtalk.WithLogger(log))
	if err != nil {
		return "", err
	}
	var claims []dingtalktest.Reimbursement
	for id, err := range c.AllInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: "PROC-QUICKSTART", StartTime: start.Add(-time.Hour)}) {
		if err != nil {
			return "", err
		}
		got, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
		if err != nil {
			return "", err
		}
		var r dingtalktest.Reimbursement
		if err := got.Instance.FormComponentValues.Decode(&r); err != nil {
			return "", err
		}
		claims = append(claims, r)
	}
	var total hetong.Amount
	for _, r := range claims {
		total = total.Add(r.Total())
	}
	return fmt.Sprintf("%d 报销 instances read, forms decoded (%d detail rows), total ¥%s", len(claims), rowsOf(claims), total), nil
}

func rowsOf(claims []dingtalktest.Reimbursement) int {
	n := 0
	for _, c := range claims {
		n += len(c.Lines)
	}
	return n
}

func kingdeeStep(ctx context.Context, log *slog.Logger) (string, error) {
	fake := kingdeetest.NewServer()
	defer fake.Close()
	c, err := kingdee.NewClient(fake.Config(), append(fake.Options(), kingdee.WithLogger(log))...)
	if err != nil {
		return "", err
	}
	amount, err := hetong.ParseAmount("12000.00")
	if err != nil {
		return "", err
	}
	bill := kingdee.PayApply{
		BillType: kingdee.Number("FKSQ01_SYS"), Date: time.Now().Format("2006-01-02"),
		PayOrg: kingdee.Number("100"), Remark: "快速上手付款申请",
		Entries: []kingdee.PayApplyEntry{{PayPurpose: kingdee.Number("SFKYT09_SYS"), ApplyAmount: amount}},
	}
	res, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: bill,
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true}})
	if err != nil {
		return "", err
	}
	var status bytes.Buffer
	for _, b := range fake.Bills(kingdee.FormPayApply) {
		status.WriteString(b.Status)
	}
	return fmt.Sprintf("付款申请单 %s saved as FID %s, status %s (C = audited)", res.Number, res.ID, status.String()), nil
}
