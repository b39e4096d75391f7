// Command qiyuesuo walks a contract through 契约锁: draft it from a file,
// send it, approve it (员工审批), seal it, receive the COMPLETE callback and
// download the signed archive.
//
// By default it runs offline against the in-process fake
// (qiyuesuo/qiyuesuotest). With -live it talks to the real platform using
// QIYUESUO_APP_TOKEN, QIYUESUO_APP_SECRET and QIYUESUO_BASE_URL; there it
// drafts, uploads, sends and reads the contract back (approval, sealing and
// the callback need your platform configuration), and -download fetches
// the archive of an existing contract.
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
	"path/filepath"
	"strings"
	"time"

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
	file     string
	tenant   string
	out      string
	download string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("qiyuesuo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&cfg.live, "live", false, "use the real platform (needs QIYUESUO_APP_TOKEN, QIYUESUO_APP_SECRET, QIYUESUO_BASE_URL)")
	fs.StringVar(&cfg.subject, "subject", "采购合同 PO-2026-001", "contract subject")
	fs.StringVar(&cfg.file, "file", "", "PDF to upload as the contract document (default: a generated one-page PDF)")
	fs.StringVar(&cfg.tenant, "tenant", qiyuesuotest.CompanyName, "your company's full name, the sponsoring signatory")
	fs.StringVar(&cfg.out, "out", "", "write the downloaded archive to this path (default: list its entries only)")
	fs.StringVar(&cfg.download, "download", "", "with -live: download the archive of this existing contract id and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: qiyuesuo [flags]\n\nDrafts, sends, approves and seals a contract, receives its COMPLETE callback\nand downloads the archive. Offline against a fake unless -live.\n\nflags:")
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
	for _, k := range []string{"QIYUESUO_APP_TOKEN", "QIYUESUO_APP_SECRET", "QIYUESUO_BASE_URL"} {
		if env[k] = os.Getenv(k); env[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("-live needs the environment variables %s (base URL e.g. %s or %s)",
			strings.Join(missing, ", "), qiyuesuo.TestBaseURL, qiyuesuo.ProductionBaseURL)
	}
	return qiyuesuo.NewClient(qiyuesuo.Config{AppToken: env["QIYUESUO_APP_TOKEN"], AppSecret: env["QIYUESUO_APP_SECRET"]},
		qiyuesuo.WithBaseURL(env["QIYUESUO_BASE_URL"]))
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
	det, err := c.Detail(ctx, &qiyuesuo.DetailRequest{ContractID: id})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "status: %s (approve and seal it on the platform, then run -live -download %s)\n", det.Contract.Status, id)
	return nil
}

func runOffline(ctx context.Context, cfg config, stdout io.Writer) error {
	srv := qiyuesuotest.New()
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

	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret},
		qiyuesuo.WithBaseURL(srv.URL))
	if err != nil {
		return err
	}
	id, err := draftAndSend(ctx, c, cfg, stdout)
	if err != nil {
		return err
	}
	if _, err := c.EmployeeAudit(ctx, &qiyuesuo.EmployeeAuditRequest{ContractID: id, Pass: true, Comment: "同意"}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "approved (员工审批)")
	if _, err := c.CompanySign(ctx, &qiyuesuo.CompanySignRequest{ContractID: id, SealID: qiyuesuotest.SealID}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "sealed with the company seal")
	// The counterparty signs on their phone; the fake does it for them.
	if err := srv.SignAll(id); err != nil {
		return err
	}
	select {
	case ev := <-completed:
		// Re-read the contract before acting on a callback.
		det, err := c.Detail(ctx, &qiyuesuo.DetailRequest{ContractID: ev.ContractID})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "detail: status", det.Contract.Status)
	case <-ctx.Done():
		return ctx.Err()
	}
	return download(ctx, c, id, cfg.out, stdout)
}

func draftAndSend(ctx context.Context, c *qiyuesuo.Client, cfg config, stdout io.Writer) (qiyuesuo.ID, error) {
	file, name, err := document(cfg.file)
	if err != nil {
		return "", err
	}
	defer file.Close()
	d, err := c.Draft(ctx, &qiyuesuo.DraftRequest{
		Subject: cfg.subject, BusinessData: "PO-2026-001",
		Signatories: []qiyuesuo.Signatory{
			{TenantType: qiyuesuo.TenantCompany, TenantName: cfg.tenant, SerialNo: 1,
				Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionAudit}, {Type: qiyuesuo.ActionCompany}}},
			{TenantType: qiyuesuo.TenantPersonal, TenantName: "李四", SerialNo: 2,
				Receiver: &qiyuesuo.User{Name: "李四", Contact: "13800000000", ContactType: qiyuesuo.ContactMobile}},
		},
	})
	if err != nil {
		return "", err
	}
	id := d.Contract.ID
	fmt.Fprintf(stdout, "draft: contract %s (%s)\n", id, d.Contract.Status)
	doc, err := c.AddDocumentByFile(ctx, &qiyuesuo.AddDocumentByFileRequest{ContractID: id, Title: "合同正文",
		File: qiyuesuo.File{Name: name, Reader: file}})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(stdout, "document: %s uploaded as %s\n", name, doc.DocumentID)
	if _, err := c.Send(ctx, &qiyuesuo.SendRequest{ContractID: id}); err != nil {
		return "", err
	}
	fmt.Fprintln(stdout, "sent")
	return id, nil
}

// document opens the file to upload, or a generated one-page PDF.
func document(path string) (io.ReadCloser, string, error) {
	if path == "" {
		return io.NopCloser(strings.NewReader(samplePDF)), "contract.pdf", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	return f, filepath.Base(path), nil
}

const samplePDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
	"trailer << /Root 1 0 R >>\n%%EOF\n"

// download streams the archive into out (a file) or into memory to list it.
func download(ctx context.Context, c *qiyuesuo.Client, id qiyuesuo.ID, out string, stdout io.Writer) error {
	req := &qiyuesuo.DownloadRequest{ContractID: id}
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		res, err := c.Download(ctx, req, f)
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
	res, err := c.Download(ctx, req, &buf)
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
