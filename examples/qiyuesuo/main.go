// Command qiyuesuo walks a contract from a template through 契约锁: read
// the template's parameters (模板参数), draft the contract in a business
// category (业务分类) that carries the template, filling the parameters,
// send it, approve it (员工审批), seal it, receive the COMPLETE callback and
// download the signed archive.
//
// By default it runs offline against the in-process fake
// (qiyuesuo/qiyuesuotest). With -live it talks to the real platform using
// QIYUESUO_APP_TOKEN and QIYUESUO_APP_SECRET on the production cloud
// (QIYUESUO_ENV=test for the test platform, QIYUESUO_BASE_URL for a
// private deployment) with your
// own -template and -category; there it reads the parameters, drafts,
// sends and reads the contract back (approval, sealing and the callback
// need your platform configuration), and -download fetches the archive of
// an existing contract.
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: usage was printed; asking for help is not a failure
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

type config struct {
	live     bool
	subject  string
	template string
	category string
	party    string
	amount   string
	tenant   string
	out      string
	download string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("qiyuesuo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&cfg.live, "live", false, "use the real platform (needs QIYUESUO_APP_TOKEN, QIYUESUO_APP_SECRET; optional QIYUESUO_ENV=test, QIYUESUO_BASE_URL for a private deployment)")
	fs.StringVar(&cfg.subject, "subject", "采购合同 PO-2026-001", "contract subject")
	fs.StringVar(&cfg.template, "template", qiyuesuotest.TemplateID, "id of the template (模板) whose parameters are filled")
	fs.StringVar(&cfg.category, "category", qiyuesuotest.CategoryID, "id of the business category (业务分类) that carries the template")
	fs.StringVar(&cfg.party, "party", "上海某某贸易有限公司", "value of the template parameter 甲方")
	fs.StringVar(&cfg.amount, "amount", "128000.00", "value of the template parameter 合同金额")
	fs.StringVar(&cfg.tenant, "tenant", qiyuesuotest.CompanyName, "your company's full name, the sponsoring signatory")
	fs.StringVar(&cfg.out, "out", "", "write the downloaded archive to this path (default: list its entries only)")
	fs.StringVar(&cfg.download, "download", "", "with -live: download the archive of this existing contract id and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: qiyuesuo [flags]\n\nReads a template's parameters, drafts a contract from it, sends, approves and\nseals it, receives its COMPLETE callback and downloads the archive. Offline against a fake unless -live.\n\nflags:")
		fs.PrintDefaults()
	}
	return cfg, fs.Parse(args)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if cfg.live {
		return runLive(ctx, cfg, stdout)
	}
	return runOffline(ctx, cfg, stdout)
}

func liveClient() (*qiyuesuo.Client, error) {
	var missing []string
	env := map[string]string{}
	for _, k := range []string{"QIYUESUO_APP_TOKEN", "QIYUESUO_APP_SECRET"} {
		if env[k] = os.Getenv(k); env[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("-live needs the environment variables %s (and optionally QIYUESUO_ENV=test or QIYUESUO_BASE_URL)",
			strings.Join(missing, ", "))
	}
	var opts []qiyuesuo.Option
	switch e := os.Getenv("QIYUESUO_ENV"); e {
	case "", "production":
	case "test":
		opts = append(opts, qiyuesuo.WithEnvironment(qiyuesuo.Test))
	default:
		return nil, fmt.Errorf("QIYUESUO_ENV=%q: must be one of test, production", e)
	}
	if u := os.Getenv("QIYUESUO_BASE_URL"); u != "" {
		opts = append(opts, qiyuesuo.WithBaseURL(u))
	}
	return qiyuesuo.NewClient(qiyuesuo.Config{AppToken: env["QIYUESUO_APP_TOKEN"], AppSecret: env["QIYUESUO_APP_SECRET"]}, opts...)
}

func runLive(ctx context.Context, cfg config, stdout io.Writer) error {
	c, err := liveClient()
	if err != nil {
		return err
	}
	if cfg.download != "" {
		return download(ctx, c, qiyuesuo.ID(cfg.download), cfg.out, stdout)
	}
	id, err := draftAndSend(ctx, c, cfg, stdout)
	if err != nil {
		return err
	}
	det, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: id})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "status: %s (approve and seal it on the platform, then run -live -download %s)\n", det.Result.Status, id)
	return nil
}

func runOffline(ctx context.Context, cfg config, stdout io.Writer) error {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	completed := make(chan *qiyuesuo.CallbackEvent, 8)
	hook := httptest.NewServer(qiyuesuo.NewCallbackHandler(
		qiyuesuo.CallbackConfig{SecretKey: qiyuesuotest.CallbackSecret, Encrypted: true},
		func(ctx context.Context, ev *qiyuesuo.CallbackEvent) error {
			fmt.Fprintf(stdout, "callback: %s, contract %s is %s (businessData %q)\n", ev.CallbackType, ev.ContractID, ev.ContractStatus, ev.BusinessData)
			if ev.CallbackType == qiyuesuo.CallbackComplete {
				completed <- ev
			}
			return nil
		}))
	defer hook.Close()
	srv.SetCallback(hook.URL, qiyuesuotest.CallbackSecret, true)

	c := srv.Client()
	id, err := draftAndSend(ctx, c, cfg, stdout)
	if err != nil {
		return err
	}
	if _, err := c.ContractEmployeeAudit(ctx, &qiyuesuo.ContractEmployeeAuditRequest{ContractID: id, Pass: true, Comment: "同意"}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "approved (员工审批)")
	if _, err := c.ContractSignCompany(ctx, &qiyuesuo.SignParam{ContractID: id, SealID: qiyuesuotest.SealID}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "sealed with the company seal")
	// The counterparty signs on their phone; the fake does it for them.
	if _, _, err := srv.SignAll(ctx, id); err != nil {
		return err
	}
	select {
	case ev := <-completed:
		// Re-read the contract before acting on a callback.
		det, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: ev.ContractID})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "detail: status", det.Result.Status)
	case <-ctx.Done():
		return ctx.Err()
	}
	return download(ctx, c, id, cfg.out, stdout)
}

func draftAndSend(ctx context.Context, c *qiyuesuo.Client, cfg config, stdout io.Writer) (qiyuesuo.ID, error) {
	tpl, err := c.TemplateDetail(ctx, &qiyuesuo.TemplateDetailRequest{TemplateID: qiyuesuo.ID(cfg.template)})
	if err != nil {
		return "", err
	}
	values := map[string]string{"甲方": cfg.party, "合同金额": cfg.amount, "签订日期": time.Now().Format("2006-01-02")}
	var params []qiyuesuo.TemplateParam
	for _, p := range tpl.Result.Parameters {
		fmt.Fprintf(stdout, "template parameter: %s (%s, required %t)\n", p.Name, p.Type, p.Required)
		if v := values[p.Name]; v != "" {
			params = append(params, qiyuesuo.TemplateParam{Name: p.Name, Value: v})
		} else if p.Required {
			return "", fmt.Errorf("template %s: no value for the required parameter %s", cfg.template, p.Name)
		}
	}
	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{
		Subject: cfg.subject, BusinessData: "PO-2026-001",
		Category:       &qiyuesuo.Category{ID: qiyuesuo.ID(cfg.category)},
		TemplateParams: params,
		Signatories: []qiyuesuo.Signatory{
			{TenantType: qiyuesuo.TenantCompany, TenantName: cfg.tenant, SerialNo: hetong.Ptr(1),
				Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionAudit}, {Type: qiyuesuo.ActionCompany}}},
			{TenantType: qiyuesuo.TenantPersonal, TenantName: "李四", SerialNo: hetong.Ptr(2),
				Receiver: &qiyuesuo.User{Name: "李四", Contact: "13800000000", ContactType: qiyuesuo.ContactMobile}},
		},
	})
	if err != nil {
		return "", err
	}
	id := d.Result.ID
	fmt.Fprintf(stdout, "draft: contract %s (%s) with %d document(s) from the template\n", id, d.Result.Status, len(d.Result.Documents))
	if _, err := c.ContractSend(ctx, &qiyuesuo.ContractSendRequest{ContractID: id}); err != nil {
		return "", err
	}
	fmt.Fprintln(stdout, "sent")
	return id, nil
}

// download streams the archive into out (a file) or into memory to list it.
func download(ctx context.Context, c *qiyuesuo.Client, id qiyuesuo.ID, out string, stdout io.Writer) error {
	req := &qiyuesuo.ContractDownloadRequest{ContractID: id}
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		res, err := c.ContractDownload(ctx, req, f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "archive: %d bytes (%s) written to %s\n", res.Bytes, res.ContentType, out)
		return nil
	}
	var buf bytes.Buffer
	res, err := c.ContractDownload(ctx, req, &buf)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "archive: %s, %s\n", res.FileName, res.ContentType)
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		fmt.Fprintf(stdout, "  %s\n", f.Name)
	}
	return nil
}
