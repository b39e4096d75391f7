// Command zeyi starts a 则一 approval with a text and a file field, runs a
// callback server, and prints the approval result when it arrives.
//
// By default it runs offline against the zeyitest fake, which approves
// the approval itself. With -live it calls the gateway named by the
// environment and waits for 则一's callback:
//
//	ZEYI_APP_KEY, ZEYI_APP_SECRET   the key pair 则一 issued
//	ZEYI_BASE_URL                   e.g. https://test.shjiuze.cn/tms-service-api
//	ZEYI_CALLBACK_ADDR              where to listen for callbacks, e.g. :8080
//	ZEYI_CALLBACK_APP_KEY, ZEYI_CALLBACK_APP_SECRET
//	                                the key pair you issued to 则一 for callbacks
//	ZEYI_CALLBACK_TOKEN             optional Bearer token 则一 sends
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
	"time"

	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "zeyi:", err)
		os.Exit(1)
	}
}

// CallbackPath is where the callback server listens.
const CallbackPath = "/dingtalkAudit/callback"

type flags struct {
	live                        bool
	code, auditType, originator string
	amount, fileURL             string
	refuse                      bool
	wait                        time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{}
	fs := flag.NewFlagSet("zeyi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.live, "live", false, "call the real gateway from ZEYI_* environment variables instead of the offline fake")
	fs.StringVar(&f.code, "code", "JR202510110000001", "business code (业务编号); one running or approved approval per code")
	fs.StringVar(&f.auditType, "audit-type", "JINRUN_VEHICLE_FEE_AUDIT", "approval type (审批类型) issued by 则一")
	fs.StringVar(&f.originator, "originator", "E001", "originator's 则一 employee number (发起人工号)")
	fs.StringVar(&f.amount, "amount", "100.00", "value of the text field 金额")
	fs.StringVar(&f.fileURL, "file-url", "https://files.example.com/invoice.pdf", "URL of the file field 附件")
	fs.BoolVar(&f.refuse, "refuse", false, "offline only: the fake refuses instead of approving")
	fs.DurationVar(&f.wait, "wait", 10*time.Minute, "live only: how long to wait for the callback")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: zeyi [flags]\n\nStarts an approval, runs a callback server and prints the result.")
		fmt.Fprintln(stderr, "Offline against a fake by default; -live needs ZEYI_APP_KEY, ZEYI_APP_SECRET, ZEYI_BASE_URL,")
		fmt.Fprintln(stderr, "ZEYI_CALLBACK_ADDR, ZEYI_CALLBACK_APP_KEY, ZEYI_CALLBACK_APP_SECRET (ZEYI_CALLBACK_TOKEN optional).")
		fmt.Fprintln(stderr, "ZEYI_BASE_URL includes the path prefix, e.g. https://test.shjiuze.cn/tms-service-api.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return f, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if f.live {
		return runLive(ctx, f, stdout)
	}
	return runOffline(ctx, f, stdout)
}

func (f *flags) request() *zeyi.SendAuditRequest {
	return &zeyi.SendAuditRequest{
		Code: f.code, AuditType: f.auditType, OriginatorUsername: f.originator,
		AuditFormList: []zeyi.FormItem{zeyi.TextItem("金额", f.amount), zeyi.FileItem("附件", f.fileURL)},
	}
}

// receiver is a callback server that hands over the first event for code.
type receiver struct {
	code   string
	events chan *zeyi.CallbackEvent
}

func newReceiver(cfg zeyi.CallbackConfig, code string) (*receiver, http.Handler) {
	rc := &receiver{code: code, events: make(chan *zeyi.CallbackEvent, 1)}
	mux := http.NewServeMux()
	mux.Handle("POST "+CallbackPath, zeyi.NewCallbackHandler(cfg, func(ctx context.Context, ev *zeyi.CallbackEvent) error {
		if ev.Code == rc.code {
			select {
			case rc.events <- ev:
			default: // a repeated delivery: already have it
			}
		}
		return nil
	}))
	return rc, mux
}

func (rc *receiver) await(ctx context.Context) (*zeyi.CallbackEvent, error) {
	select {
	case ev := <-rc.events:
		return ev, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("no callback for %s: %w", rc.code, ctx.Err())
	}
}

func printResult(w io.Writer, ev *zeyi.CallbackEvent) {
	outcome := "terminated"
	switch {
	case ev.Approved():
		outcome = "approved"
	case ev.Refused():
		outcome = "refused"
	}
	fmt.Fprintf(w, "callback: %s %s (%s/%s) by %s, remark %q, DingTalk instance %s\n",
		ev.Code, outcome, ev.Type, ev.Result, ev.AuditUser, ev.Remark, ev.BusinessID)
}

func runOffline(ctx context.Context, f *flags, stdout io.Writer) error {
	fake := zeyitest.New()
	defer fake.Close()
	rc, h := newReceiver(fake.CallbackConfig(), f.code)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	fake.SetCallback("http://" + ln.Addr().String() + CallbackPath)

	c, err := fake.NewClient()
	if err != nil {
		return err
	}
	res, err := c.SendAudit(ctx, f.request())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "started approval %s (auditId %s) with fields 金额=%s, 附件=%s\n", f.code, res.AuditID, f.amount, f.fileURL)
	if f.refuse {
		err = fake.Refuse(f.code, "金额不符")
	} else {
		err = fake.Approve(f.code)
	}
	if err != nil {
		return err
	}
	ev, err := rc.await(ctx)
	if err != nil {
		return err
	}
	printResult(stdout, ev)
	return nil
}

type liveEnv struct {
	appKey, appSecret, baseURL, addr string
	cbKey, cbSecret, cbToken         string
}

func readEnv() (liveEnv, error) {
	e := liveEnv{cbToken: os.Getenv("ZEYI_CALLBACK_TOKEN")}
	for _, v := range []struct {
		name string
		dst  *string
	}{
		{"ZEYI_APP_KEY", &e.appKey}, {"ZEYI_APP_SECRET", &e.appSecret}, {"ZEYI_BASE_URL", &e.baseURL},
		{"ZEYI_CALLBACK_ADDR", &e.addr}, {"ZEYI_CALLBACK_APP_KEY", &e.cbKey}, {"ZEYI_CALLBACK_APP_SECRET", &e.cbSecret},
	} {
		if *v.dst = os.Getenv(v.name); *v.dst == "" {
			return e, fmt.Errorf("-live needs the environment variable %s (see -h)", v.name)
		}
	}
	return e, nil
}

func runLive(ctx context.Context, f *flags, stdout io.Writer) error {
	env, err := readEnv()
	if err != nil {
		return err
	}
	c, err := zeyi.NewClient(zeyi.Config{AppKey: env.appKey, AppSecret: env.appSecret}, zeyi.WithBaseURL(env.baseURL))
	if err != nil {
		return err
	}
	rc, h := newReceiver(zeyi.CallbackConfig{AppKey: env.cbKey, AppSecret: env.cbSecret, BearerToken: env.cbToken,
		MaxSkew: 10 * time.Minute, Deduper: zeyi.NewMemoryDeduper()}, f.code)
	ln, err := net.Listen("tcp", env.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	fmt.Fprintf(stdout, "listening for callbacks on %s%s\n", ln.Addr(), CallbackPath)

	res, err := c.SendAudit(ctx, f.request())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "started approval %s (auditId %s); waiting up to %v for the result\n", f.code, res.AuditID, f.wait)
	wctx, cancel := context.WithTimeout(ctx, f.wait)
	defer cancel()
	ev, err := rc.await(wctx)
	if err != nil {
		return err
	}
	printResult(stdout, ev)
	return nil
}
