package main

import (
	"github.com/hetong-go/hetong"

	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zhenling"
)

// lifecycle walks one contract through every platform.
type lifecycle struct {
	w      *world
	in     *inbox
	o      *options
	stdout io.Writer
}

// outcome is what the run produced, for the final summary.
type outcome struct {
	batchID, approval, esignID, signedFile, billNo string
	signedBytes                                    int64
}

func (l *lifecycle) say(format string, args ...any) { fmt.Fprintf(l.stdout, format+"\n", args...) }

func (l *lifecycle) run(ctx context.Context) (*outcome, error) {
	out := &outcome{}
	steps := []struct {
		name string
		do   func(context.Context, *outcome) error
	}{
		{"甄零: create the contract (3.4 upload + 3.40 create, async)", l.create},
		{"则一: approve it (audit/send + result callback)", l.approve},
		{"e-sign: " + l.o.esign + " (send, all sign, completion callback)", l.sign},
		{"download the signed file", l.download},
		{"金蝶: save the 付款申请单", l.pay},
	}
	for i, s := range steps {
		l.say("[%d/%d] %s", i+1, len(steps), s.name)
		if err := s.do(ctx, out); err != nil {
			return out, fmt.Errorf("step %d (%s): %w", i+1, s.name, err)
		}
	}
	return out, nil
}

// wait bounds how long a step waits for its callback.
func (l *lifecycle) wait(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, l.o.wait)
}

func (l *lifecycle) create(ctx context.Context, out *outcome) error {
	file, err := l.o.openFile()
	if err != nil {
		return err
	}
	defer file.Close()
	amount, err := parseAmount(l.o.amount)
	if err != nil {
		return err
	}
	res, err := l.w.zl.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{
		SourceCode: l.o.contractID,
		MainFile:   &zhenling.FileUploadRequest{FileName: l.o.fileName(), ContentType: "application/pdf", Body: file},
		Contract:   zhenling.ContractCreate{SourceSystem: "HETONG", ContractName: l.o.subject, Amount: &amount},
	})
	if err != nil {
		return err
	}
	out.batchID = res.Receipt.BatchID()
	l.say("      accepted: batchId %s; waiting for the result callback", out.batchID)
	wctx, cancel := l.wait(ctx)
	defer cancel()
	ev, err := next(wctx, l.in.contracts, func(ev zhenling.CallbackEvent) bool { return ev.SourceCode == l.o.contractID })
	if err != nil {
		return fmt.Errorf("waiting for 甄零's callback: %w", err)
	}
	l.say("      callback: code=%s subCode=%s", ev.Code, ev.SubCode)
	if !ev.OK {
		return fmt.Errorf("甄零 did not create the contract: %s %s %s", ev.Code, ev.SubCode, ev.Message)
	}
	return nil
}

func (l *lifecycle) approve(ctx context.Context, out *outcome) error {
	res, err := l.w.zy.SendAudit(ctx, &zeyi.SendAuditRequest{
		Code: l.o.contractID, AuditType: l.o.auditType, OriginatorUsername: l.o.originator,
		AuditFormList: []zeyi.FormItem{zeyi.TextItem("合同名称", l.o.subject), zeyi.TextItem("合同金额", l.o.amount),
			zeyi.TextItem("甄零批次", out.batchID)},
	})
	if err != nil {
		return err
	}
	l.say("      approval started: code %s auditId %s", res.Code, res.AuditID)
	if l.w.approve != nil {
		go func() { _ = l.w.approve(l.o.contractID) }() // the fake's approver says yes
	}
	wctx, cancel := l.wait(ctx)
	defer cancel()
	ev, err := next(wctx, l.in.approvals, func(ev *zeyi.CallbackEvent) bool { return ev.Code == l.o.contractID })
	if err != nil {
		return fmt.Errorf("waiting for 则一's result: %w", err)
	}
	out.approval = fmt.Sprintf("%s/%s by %s", ev.Type, ev.Result, ev.AuditUser)
	l.say("      callback: %s", out.approval)
	if ev.Type != zeyi.EventFinish || ev.Result != zeyi.ResultAgree {
		return fmt.Errorf("the approval ended %s/%s: %s", ev.Type, ev.Result, ev.Remark)
	}
	return nil
}

func (l *lifecycle) sign(ctx context.Context, out *outcome) error {
	if l.o.esign == "essbasic" {
		return l.signEssbasic(ctx, out)
	}
	return l.signQiyuesuo(ctx, out)
}

func (l *lifecycle) signQiyuesuo(ctx context.Context, out *outcome) error {
	c := l.w.qys
	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{
		Subject: l.o.subject, BizID: l.o.contractID,
		Signatories: []qiyuesuo.Signatory{
			{TenantType: qiyuesuo.TenantCompany, TenantName: l.o.company, SerialNo: hetong.Ptr(1),
				Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionCompany}}},
			{TenantType: qiyuesuo.TenantPersonal, TenantName: l.o.signer, SerialNo: hetong.Ptr(2),
				Receiver: &qiyuesuo.User{Name: l.o.signer, Contact: l.o.mobile, ContactType: qiyuesuo.ContactMobile}},
		},
	})
	if err != nil {
		return err
	}
	id := d.Result.ID
	file, err := l.o.openFile()
	if err != nil {
		return err
	}
	defer file.Close()
	if _, err := c.DocumentAddByFile(ctx, &qiyuesuo.DocumentAddByFileRequest{ContractID: id, Title: l.o.subject, FileSuffix: "pdf",
		File: qiyuesuo.File{Name: l.o.fileName(), Reader: file}}); err != nil {
		return err
	}
	if _, err := c.ContractSend(ctx, &qiyuesuo.ContractSendRequest{ContractID: id}); err != nil {
		return err
	}
	out.esignID = string(id)
	l.say("      契约锁 contract %s sent for signing", id)
	if l.w.signAll != nil {
		go func() { _ = l.w.signAll(ctx, out.esignID) }() // the fake's signatories sign
	}
	wctx, cancel := l.wait(ctx)
	defer cancel()
	ev, err := next(wctx, l.in.qiyuesuo, func(ev *qiyuesuo.CallbackEvent) bool {
		return ev.ContractID == id && ev.CallbackType == qiyuesuo.CallbackComplete
	})
	if err != nil {
		return fmt.Errorf("waiting for the COMPLETE callback: %w", err)
	}
	l.say("      callback: %s, contract %s", ev.CallbackType, ev.ContractStatus)
	return nil
}

func (l *lifecycle) signEssbasic(ctx context.Context, out *outcome) error {
	c := l.w.ess
	file, err := l.o.openFile()
	if err != nil {
		return err
	}
	defer file.Close()
	up, err := c.UploadFromReader(ctx, &essbasic.UploadFromReaderRequest{BusinessType: "DOCUMENT",
		Files: []essbasic.UploadSource{{Name: l.o.fileName(), Reader: file}}})
	if err != nil {
		return err
	}
	flow, err := c.ChannelCreateFlowByFiles(ctx, &essbasic.ChannelCreateFlowByFilesRequest{
		FlowName: l.o.subject, FileIds: up.FileIds, Deadline: hetong.Ptr(time.Now().Add(7 * 24 * time.Hour).Unix()),
		FlowApprovers: []essbasic.FlowApproverInfo{{ApproverType: "PERSON", Name: l.o.signer, Mobile: l.o.mobile}},
	})
	if err != nil {
		return err
	}
	out.esignID = flow.FlowId
	urls, err := c.CreateSignUrls(ctx, &essbasic.CreateSignUrlsRequest{FlowIds: []string{flow.FlowId}})
	if err != nil {
		return err
	}
	for _, u := range urls.SignUrlInfos {
		l.say("      sign URL for %s: %s", u.Name, u.SignUrl)
	}
	if l.w.signAll != nil {
		go func() { _ = l.w.signAll(ctx, out.esignID) }()
	}
	wctx, cancel := l.wait(ctx)
	defer cancel()
	change, err := next(wctx, l.in.essbasic, func(ch *essbasic.FlowStatusChange) bool { return ch.FlowID == flow.FlowId && ch.Terminal() })
	if err != nil {
		return fmt.Errorf("waiting for the FlowStatusChange callback: %w", err)
	}
	l.say("      callback: flow %s %s (status %d)", change.FlowID, change.Operate, change.FlowCallbackStatus)
	if change.FlowCallbackStatus != essbasic.FlowCallbackCompleted {
		return fmt.Errorf("the flow ended without being signed (status %d)", change.FlowCallbackStatus)
	}
	return nil
}

func (l *lifecycle) download(ctx context.Context, out *outcome) error {
	if err := os.MkdirAll(l.o.outDir, 0o755); err != nil {
		return err
	}
	var err error
	if l.o.esign == "essbasic" {
		err = l.downloadEssbasic(ctx, out)
	} else {
		out.signedFile = filepath.Join(l.o.outDir, l.o.contractID+"-signed.zip")
		out.signedBytes, err = saveTo(out.signedFile, func(w io.Writer) (int64, error) {
			res, err := l.w.qys.ContractDownload(ctx, &qiyuesuo.ContractDownloadRequest{ContractID: qiyuesuo.ID(out.esignID)}, w)
			if res == nil {
				return 0, err
			}
			return res.Bytes, err
		})
	}
	if err != nil {
		return err
	}
	l.say("      %s (%d bytes)", out.signedFile, out.signedBytes)
	return nil
}

func (l *lifecycle) downloadEssbasic(ctx context.Context, out *outcome) error {
	res, err := l.w.ess.DescribeResourceUrlsByFlows(ctx, &essbasic.DescribeResourceUrlsByFlowsRequest{FlowIds: []string{out.esignID}})
	if err != nil {
		return err
	}
	for _, r := range res.FlowResults() {
		if r.Err != nil {
			return r.Err
		}
		for i, u := range r.URLs {
			out.signedFile = filepath.Join(l.o.outDir, fmt.Sprintf("%s-signed-%d.pdf", l.o.contractID, i+1))
			if out.signedBytes, err = saveTo(out.signedFile, func(w io.Writer) (int64, error) {
				return l.w.ess.DownloadResource(ctx, u.Url, w)
			}); err != nil {
				return err
			}
		}
	}
	if out.signedFile == "" {
		return errors.New("腾讯电子签 returned no resource for the flow")
	}
	return nil
}

// saveTo streams into a new file and removes it when the copy fails.
func saveTo(path string, copyTo func(io.Writer) (int64, error)) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := copyTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return n, err
}

func (l *lifecycle) pay(ctx context.Context, out *outcome) error {
	amount, err := parseAmount(l.o.amount)
	if err != nil {
		return err
	}
	bill := kingdee.PayApply{
		BillType: kingdee.Number("FKSQ01_SYS"), Date: time.Now().Format("2006-01-02"), PayOrg: kingdee.Number("100"),
		Remark:  fmt.Sprintf("合同 %s 付款 (%s)", l.o.contractID, l.o.subject),
		Entries: []kingdee.PayApplyEntry{{PayPurpose: kingdee.Number("SFKYT09_SYS"), ApplyAmount: amount, SrcBillNo: l.o.contractID}},
		Custom:  map[string]any{"F_HT_ContractNo": l.o.contractID, "F_HT_ESignID": out.esignID},
	}
	res, err := l.w.kd.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: bill,
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true}})
	if err != nil {
		return err
	}
	out.billNo = res.Number
	l.say("      付款申请单 %s (FID %s), submitted and audited", res.Number, res.ID)
	return nil
}

// parseAmount reads -amount exactly: it reaches Kingdee with the digits given.
func parseAmount(s string) (hetong.Amount, error) {
	v, err := hetong.ParseAmount(strings.TrimSpace(s))
	if err != nil || v.Sign() <= 0 {
		return hetong.Amount{}, fmt.Errorf("-amount %q: want a positive decimal such as 12000.00", s)
	}
	return v, nil
}
