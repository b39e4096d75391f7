// Command zhenling creates a contract on the 甄零开放平台 the way its
// integration guide describes: it uploads a PDF with sourceDocumentNumber
// = your contract id (3.4), creates the contract with sourceCode = the same
// id (3.40), receives the asynchronous result by callback, and lists the
// contract back (3.24).
//
// By default it runs offline against the zhenlingtest fake. With -live it
// talks to your tenant using the environment:
//
//	ZHENLING_BASE_URL        your tenant's host (test: https://oc-test.onecontract-cloud.com)
//	ZHENLING_CLIENT_ID       the OAuth2 client id
//	ZHENLING_CLIENT_SECRET   the OAuth2 client secret
//
// Zhenling gives the invoke codes and domains of 3.4 and 3.40 to its
// customers only; pass them with -op (e.g. -op '3.40=<invokeCode>,<domain>').
// The callback URL is configured by your Zhenling PM; -callback-addr
// listens for it, otherwise the program polls the contract list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "zhenling:", err)
		os.Exit(1)
	}
}

type flags struct {
	live               bool
	file, sourceCode   string
	sourceSystem, name string
	amount             string
	callbackAddr       string
	callbackHeader     string
	wait, poll         time.Duration
	ops                opList
}

// opList collects -op name=invokeCode,domain values.
type opList []zhenling.Operation

func (o *opList) String() string { return fmt.Sprint(len(*o)) }

func (o *opList) Set(v string) error {
	name, rest, ok := strings.Cut(v, "=")
	code, domain, ok2 := strings.Cut(rest, ",")
	if !ok || !ok2 || name == "" || code == "" || domain == "" {
		return fmt.Errorf("want name=invokeCode,domain, got %q", v)
	}
	*o = append(*o, zhenling.Operation{Name: name, InvokeCode: code, Domain: domain})
	return nil
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{}
	fs := flag.NewFlagSet("zhenling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.live, "live", false, "talk to your tenant using ZHENLING_BASE_URL, ZHENLING_CLIENT_ID and ZHENLING_CLIENT_SECRET instead of the offline fake")
	fs.StringVar(&f.file, "file", "", "PDF to upload as the main file (default: a tiny built-in PDF)")
	fs.StringVar(&f.sourceCode, "source-code", "", "your system's unique contract id, 来源单据号 (default: generated)")
	fs.StringVar(&f.sourceSystem, "source-system", "oms", "your system's code (sourceSystem)")
	fs.StringVar(&f.name, "name", "设备采购合同", "contract name")
	fs.StringVar(&f.amount, "amount", "1000.12", "contract amount, a decimal string")
	fs.Var(&f.ops, "op", "operation codes from your Zhenling PM, name=invokeCode,domain (repeatable; live needs 3.4 and 3.40)")
	fs.StringVar(&f.callbackAddr, "callback-addr", "", "live only: listen here (e.g. :8080) for the callback your PM points at this host")
	fs.StringVar(&f.callbackHeader, "callback-secret-header", "", "live only: Name=value of a header the callback must carry (default: none, insecure)")
	fs.DurationVar(&f.wait, "wait", 2*time.Minute, "how long to wait for the asynchronous result")
	fs.DurationVar(&f.poll, "poll", 5*time.Second, "live only, without -callback-addr: how often to poll the contract list")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: zhenling [flags]\n\nUploads a PDF, creates a contract with the same source code, waits for the")
		fmt.Fprintln(stderr, "asynchronous result and lists the contract back. Offline against a fake by default;")
		fmt.Fprintln(stderr, "-live needs ZHENLING_BASE_URL, ZHENLING_CLIENT_ID and ZHENLING_CLIENT_SECRET.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if f.sourceCode == "" {
		f.sourceCode = "OMS-DEMO-" + time.Now().Format("20060102150405")
	}
	return f, nil
}

// minimalPDF is a one-page blank PDF for the offline run.
const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, f.wait)
	defer cancel()

	events := make(chan zhenling.CallbackEvent, 8)
	onEvents := func(_ context.Context, evs []zhenling.CallbackEvent) error {
		for _, ev := range evs {
			select {
			case events <- ev:
			default:
			}
		}
		return nil
	}
	var c *zhenling.Client
	if f.live {
		c, err = liveClient(ctx, f, stdout, onEvents)
	} else {
		c, err = offlineClient(ctx, f, stdout, onEvents)
	}
	if err != nil {
		return err
	}
	return createAndList(ctx, c, f, stdout, events)
}

func offlineClient(ctx context.Context, f *flags, stdout io.Writer, onEvents func(context.Context, []zhenling.CallbackEvent) error) (*zhenling.Client, error) {
	fake := zhenlingtest.NewServer()
	cb := httptest.NewServer(zhenling.NewCallbackHandler(zhenling.CallbackConfig{}, onEvents))
	go func() {
		<-ctx.Done()
		fake.Close()
		cb.Close()
	}()
	fake.SetCallback(cb.URL + "/callback/createContract")
	fmt.Fprintf(stdout, "offline: fake Zhenling at %s, callbacks to %s/callback/createContract\n", fake.URL, cb.URL)
	return zhenling.NewClient(fake.Config(), append(fake.Options(), zhenling.WithOperations(f.ops...))...)
}

func liveClient(ctx context.Context, f *flags, stdout io.Writer, onEvents func(context.Context, []zhenling.CallbackEvent) error) (*zhenling.Client, error) {
	cfg := zhenling.Config{BaseURL: os.Getenv("ZHENLING_BASE_URL"), ClientID: os.Getenv("ZHENLING_CLIENT_ID"), ClientSecret: os.Getenv("ZHENLING_CLIENT_SECRET")}
	var missing []string
	for name, v := range map[string]string{"ZHENLING_BASE_URL": cfg.BaseURL, "ZHENLING_CLIENT_ID": cfg.ClientID, "ZHENLING_CLIENT_SECRET": cfg.ClientSecret} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("-live needs the environment variables %s", strings.Join(slices.Sorted(slices.Values(missing)), ", "))
	}
	if f.callbackAddr != "" {
		cbCfg := zhenling.CallbackConfig{}
		if f.callbackHeader != "" {
			name, value, ok := strings.Cut(f.callbackHeader, "=")
			if !ok || name == "" || value == "" {
				return nil, fmt.Errorf("-callback-secret-header: want Name=value")
			}
			cbCfg.Verifier = zhenling.HeaderSecret(name, value)
		}
		ln, err := net.Listen("tcp", f.callbackAddr)
		if err != nil {
			return nil, fmt.Errorf("-callback-addr: %w", err)
		}
		srv := &http.Server{Handler: zhenling.NewCallbackHandler(cbCfg, onEvents), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		go func() {
			<-ctx.Done()
			_ = srv.Close()
		}()
		fmt.Fprintf(stdout, "live: listening for callbacks on %s (ask your Zhenling PM to point the 3.40 callback here)\n", ln.Addr())
	}
	return zhenling.NewClient(cfg, zhenling.WithOperations(f.ops...))
}

func createAndList(ctx context.Context, c *zhenling.Client, f *flags, stdout io.Writer, events <-chan zhenling.CallbackEvent) error {
	mainFile := &zhenling.FileUploadRequest{FileName: "contract.pdf", ContentType: "application/pdf", Body: strings.NewReader(minimalPDF)}
	if f.file != "" {
		fh, err := os.Open(f.file)
		if err != nil {
			return fmt.Errorf("-file: %w", err)
		}
		defer fh.Close()
		mainFile.FileName, mainFile.Body = fh.Name()[strings.LastIndexAny(fh.Name(), `/\`)+1:], fh // streamed, never read whole
	}
	amount, err := hetong.ParseAmount(f.amount)
	if err != nil {
		return fmt.Errorf("-amount: %w", err)
	}
	out, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{
		SourceCode: f.sourceCode, MainFile: mainFile,
		Contract: zhenling.ContractCreate{SourceSystem: f.sourceSystem, ContractName: f.name, Amount: &amount},
	})
	var nc *zhenling.NotConfiguredError
	if errors.As(err, &nc) {
		return fmt.Errorf("%w\n(pass it to this program as -op '%s=<invokeCode>,<domain>')", err, nc.Op.Name)
	}
	if err != nil {
		return err
	}
	for _, up := range out.Files {
		fmt.Fprintf(stdout, "uploaded %s (sourceDocumentNumber=%s): fileKey=%s\n", mainFile.FileName, f.sourceCode, up.FileKey)
	}
	fmt.Fprintf(stdout, "contract submitted (asynchronous): batchId=%s sourceCode=%s\n", out.Receipt.BatchID(), f.sourceCode)

	if err := waitResult(ctx, c, f, stdout, events); err != nil {
		return err
	}
	page, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Page: 0, Size: 10}, OtherSourceReceipt: f.sourceCode})
	if err != nil {
		return err
	}
	for _, ct := range page.Content {
		fmt.Fprintf(stdout, "listed: %s %s amount=%s status=%s\n", ct.ContractNumber, ct.ContractName, ct.Amount, ct.StatusCode)
	}
	if len(page.Content) == 0 {
		return errors.New("the contract is not listed yet")
	}
	return listInvoices(ctx, c, stdout)
}

// listInvoices reads 6.7 开票信息查询, which needs no -op: its invoke code
// and domain are published. It only reads.
func listInvoices(ctx context.Context, c *zhenling.Client, stdout io.Writer) error {
	n := 0
	for inv, err := range c.Fulfillment.AllInvoices(ctx, &zhenling.InvoiceQueryRequest{Paging: zhenling.Paging{Size: 50}}) {
		if err != nil {
			return err
		}
		n++
		if n <= 5 {
			fmt.Fprintf(stdout, "invoice application: %s %s %s\n", inv.ApplicationNumber, inv.BillingSubjectName, inv.BillingType)
		}
	}
	fmt.Fprintf(stdout, "invoice applications (6.7): %d\n", n)
	return nil
}

// waitResult waits for the callback of our source code, or, live without
// a callback listener, polls the list until the contract shows up.
func waitResult(ctx context.Context, c *zhenling.Client, f *flags, stdout io.Writer, events <-chan zhenling.CallbackEvent) error {
	if f.live && f.callbackAddr == "" {
		return pollList(ctx, c, f, stdout)
	}
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("no callback for %s within %v", f.sourceCode, f.wait)
		case ev := <-events:
			if ev.SourceCode != f.sourceCode {
				continue
			}
			fmt.Fprintf(stdout, "callback: %s/%s sourceSystem=%s sourceCode=%s %s\n", ev.Code, ev.SubCode, ev.SourceSystem, ev.SourceCode, ev.Message)
			if !ev.OK {
				return fmt.Errorf("contract %s was not created: %s/%s %s", ev.SourceCode, ev.Code, ev.SubCode, ev.Message)
			}
			return nil
		}
	}
}

func pollList(ctx context.Context, c *zhenling.Client, f *flags, stdout io.Writer) error {
	t := time.NewTicker(f.poll)
	defer t.Stop()
	for {
		page, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 1}, OtherSourceReceipt: f.sourceCode})
		if err != nil {
			return err
		}
		if len(page.Content) > 0 {
			return nil
		}
		fmt.Fprintln(stdout, "waiting for the contract to appear…")
		select {
		case <-ctx.Done():
			return fmt.Errorf("contract %s not listed within %v", f.sourceCode, f.wait)
		case <-t.C:
		}
	}
}
