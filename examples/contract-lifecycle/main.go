// Command contract-lifecycle walks one contract through every platform
// hetong speaks:
//
//  1. 甄零: the contract is created (3.4 upload with sourceDocumentNumber,
//     3.40 create with the same sourceCode); the result arrives by callback.
//  2. 则一: it is approved (audit/send); the result arrives by callback.
//  3. 契约锁 (default) or 腾讯电子签 (-esign essbasic): it is sent for
//     signature; completion arrives by callback.
//  4. The signed archive or PDF is downloaded, streamed to -out.
//  5. 金蝶云星空: a 付款申请单 for the contract is saved, submitted and audited.
//
// One HTTP server (a net/http ServeMux) mounts every platform's callback
// handler on its own path: /callbacks/zhenling, /callbacks/zeyi,
// /callbacks/qiyuesuo and /callbacks/essbasic.
//
// Offline by default, against in-process fakes whose "people" approve and
// sign at once. With -live it reads each platform's credentials from the
// environment (the ZHENLING_*, ZEYI_*, QIYUESUO_* or ESSBASIC_*, KINGDEE_*
// variables; -h lists them), listens on -callback-addr, and waits for real
// people; register <your public URL>/callbacks/<platform> in each console.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hetong-go/hetong/zhenling"
)

type options struct {
	live         bool
	esign        string
	contractID   string
	subject      string
	amount       string
	file         string
	outDir       string
	company      string
	signer       string
	mobile       string
	auditType    string
	originator   string
	callbackAddr string
	wait         time.Duration
	timeout      time.Duration
	zhenlingOps  opList
}

// opList collects -zhenling-op name=invokeCode,domain flags.
type opList []zhenling.Operation

func (l *opList) String() string { return fmt.Sprint(len(*l)) }

func (l *opList) Set(v string) error {
	name, rest, ok := strings.Cut(v, "=")
	code, domain, ok2 := strings.Cut(rest, ",")
	if !ok || !ok2 || name == "" || code == "" || domain == "" {
		return errors.New("want name=invokeCode,domain")
	}
	*l = append(*l, zhenling.Operation{Name: name, InvokeCode: code, Domain: domain})
	return nil
}

func (o *options) fileName() string {
	if o.file == "" {
		return "contract.pdf"
	}
	return filepath.Base(o.file)
}

// openFile opens the contract file afresh for each upload, so it streams.
func (o *options) openFile() (io.ReadCloser, error) {
	if o.file == "" {
		return io.NopCloser(strings.NewReader(samplePDF)), nil
	}
	return os.Open(o.file)
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("contract-lifecycle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.live, "live", false, "use real accounts from the environment instead of the offline fakes")
	fs.StringVar(&o.esign, "esign", "qiyuesuo", "e-signature platform: qiyuesuo (契约锁) or essbasic (腾讯电子签)")
	fs.StringVar(&o.contractID, "contract-id", "HT-"+time.Now().Format("20060102-150405"), "your contract id: 甄零 sourceCode, 则一 code, 契约锁 bizId")
	fs.StringVar(&o.subject, "subject", "年度设备采购合同", "contract name")
	fs.StringVar(&o.amount, "amount", "86000.00", "contract amount (元), also the payment request's amount")
	fs.StringVar(&o.file, "file", "", "the contract PDF to upload (default: a generated one-page PDF)")
	fs.StringVar(&o.outDir, "out", filepath.Join(os.TempDir(), "hetong-contract-lifecycle"), "directory for the signed file")
	fs.StringVar(&o.company, "company", "", "your company's full name as 契约锁 knows it (offline: the fake's; live: $QIYUESUO_COMPANY)")
	fs.StringVar(&o.signer, "signer", "李四", "the counterparty signer's name")
	fs.StringVar(&o.mobile, "mobile", "13800000000", "the counterparty signer's mobile")
	fs.StringVar(&o.auditType, "audit-type", "contract", "则一 auditType (审批类型)")
	fs.StringVar(&o.originator, "originator", "10001", "则一 originatorUsername (发起人工号)")
	fs.StringVar(&o.callbackAddr, "callback-addr", "127.0.0.1:0", "where the callback server listens (live: a port your public URL forwards to)")
	fs.DurationVar(&o.wait, "wait", 30*time.Second, "how long each step waits for its callback (live: people approve and sign; make it hours)")
	fs.DurationVar(&o.timeout, "timeout", 0, "overall deadline (default: 5 × -wait)")
	fs.Var(&o.zhenlingOps, "zhenling-op", "live: an operation code 甄零 gave you, name=invokeCode,domain (repeat; 3.4 and 3.40 are needed)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: contract-lifecycle [flags]\n\nOne contract through 甄零, 则一, 契约锁 or 腾讯电子签, and 金蝶.\nFlags:")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "\n-live reads:")
		keys := make([]string, 0, len(liveEnv))
		for k := range liveEnv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(stderr, "  %-9s %s\n", k, strings.Join(liveEnv[k], " "))
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.esign != "qiyuesuo" && o.esign != "essbasic" {
		return nil, fmt.Errorf("-esign: want qiyuesuo or essbasic, got %q", o.esign)
	}
	if strings.TrimSpace(o.contractID) == "" {
		return nil, errors.New("-contract-id: must not be empty")
	}
	if _, err := parseAmount(o.amount); err != nil {
		return nil, err
	}
	if o.wait <= 0 {
		return nil, errors.New("-wait: must be positive")
	}
	if o.timeout <= 0 {
		o.timeout = 5 * o.wait
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	ln, err := net.Listen("tcp", o.callbackAddr)
	if err != nil {
		return fmt.Errorf("-callback-addr: %w", err)
	}
	base := "http://" + ln.Addr().String()
	var w *world
	if o.live {
		w, err = liveWorld(o)
	} else {
		w, err = offlineWorld(o, base)
	}
	if err != nil {
		ln.Close()
		return err
	}
	defer w.close()

	in := newInbox()
	srv := &http.Server{Handler: in.mux(w.cb), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	fmt.Fprintf(stdout, "callbacks: %s/callbacks/{zhenling,zeyi,%s}\n", base, o.esign)

	l := &lifecycle{w: w, in: in, o: o, stdout: stdout}
	out, err := l.run(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ncontract %s: 甄零 batch %s, 则一 %s, %s %s, signed file %s (%d bytes), 金蝶 付款申请单 %s\n",
		o.contractID, out.batchID, out.approval, o.esign, out.esignID, out.signedFile, out.signedBytes, out.billNo)
	return nil
}

// samplePDF is a tiny valid one-page PDF.
const samplePDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: usage was printed; asking for help is not a failure
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract-lifecycle:", err)
		os.Exit(1)
	}
}
