// Command zeyi starts a 则一 approval with a text and a file field, runs a
// callback server, and prints the approval result when it arrives.
//
// By default it runs offline against the zeyitest fake, which approves
// the approval itself. With -live it calls 则一's gateway and waits for
// its callback; -h lists the environment variables it reads.
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
	"strings"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/examples/internal/cli"
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
	fs.StringVar(&f.amount, "amount", "100.00", "value of the text field 金额, an exact decimal amount in yuan")
	fs.StringVar(&f.fileURL, "file-url", "https://files.example.com/invoice.pdf", "URL of the file field 附件")
	fs.BoolVar(&f.refuse, "refuse", false, "offline only: the fake refuses instead of approving")
	fs.DurationVar(&f.wait, "wait", 10*time.Minute, "live only: how long to wait for the callback")
	fs.Usage = cli.Usage(fs, stderr, "usage: zeyi [flags]\n\nStarts an approval, runs a callback server and prints the result.\n"+
		"Offline against a fake by default; -live calls 则一's gateway (production unless ZEYI_ENVIRONMENT=test).", liveVars)
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

// request builds the approval; the amount stays an exact decimal
// (hetong.Amount), never a float.
func (f *flags) request() (*zeyi.SendAuditRequest, error) {
	amount, err := hetong.ParseAmount(f.amount)
	if err != nil {
		return nil, fmt.Errorf("-amount: %w", err)
	}
	return &zeyi.SendAuditRequest{
		Code: f.code, AuditType: f.auditType, OriginatorUsername: f.originator,
		AuditFormList: []zeyi.FormItem{zeyi.AmountItem("金额", amount), zeyi.FileItem("附件", f.fileURL)},
	}, nil
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
	fake := zeyitest.NewServer()
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

	c := fake.Client()
	req, err := f.request()
	if err != nil {
		return err
	}
	res, err := c.SendAudit(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "started approval %s (auditId %s) with fields 金额=%s, 附件=%s\n", f.code, res.AuditID, f.amount, f.fileURL)
	var status int
	if f.refuse {
		status, _, err = fake.Refuse(ctx, f.code, "金额不符")
	} else {
		status, _, err = fake.Approve(ctx, f.code)
	}
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("the callback server answered HTTP %d", status)
	}
	ev, err := rc.await(ctx)
	if err != nil {
		return err
	}
	printResult(stdout, ev)
	return nil
}

// liveVars are the environment variables -live reads.
var liveVars = []cli.Var{
	{Name: "ZEYI_APP_KEY", Help: "appKey 则一 issued"},
	{Name: "ZEYI_APP_SECRET", Help: "appSecret 则一 issued"},
	{Name: "ZEYI_CALLBACK_ADDR", Help: "where to listen for callbacks, e.g. :8080"},
	{Name: "ZEYI_CALLBACK_APP_KEY", Help: "appKey you issued to 则一 for callbacks"},
	{Name: "ZEYI_CALLBACK_APP_SECRET", Help: "appSecret you issued to 则一 for callbacks"},
	{Name: "ZEYI_CALLBACK_TOKEN", Help: "Bearer token 则一 sends with callbacks", Optional: true},
	{Name: "ZEYI_ENVIRONMENT", Help: "production (default) or test", Optional: true},
	{Name: "ZEYI_BASE_URL", Help: "overrides the gateway, with its /tms-service-api prefix", Optional: true},
}

type liveEnv struct {
	appKey, appSecret, env, baseURL, addr string
	cbKey, cbSecret, cbToken              string
}

// readEnv reads liveVars, naming every missing required one at once.
func readEnv() (liveEnv, error) {
	if err := cli.CheckLive(liveVars); err != nil {
		return liveEnv{}, fmt.Errorf("%w (see -h)", err)
	}
	get := func(name string) string { return strings.TrimSpace(os.Getenv(name)) }
	return liveEnv{
		appKey: get("ZEYI_APP_KEY"), appSecret: get("ZEYI_APP_SECRET"), addr: get("ZEYI_CALLBACK_ADDR"),
		cbKey: get("ZEYI_CALLBACK_APP_KEY"), cbSecret: get("ZEYI_CALLBACK_APP_SECRET"), cbToken: get("ZEYI_CALLBACK_TOKEN"),
		env: get("ZEYI_ENVIRONMENT"), baseURL: get("ZEYI_BASE_URL"),
	}, nil
}

// options turns ZEYI_ENVIRONMENT and ZEYI_BASE_URL into client options.
func (e liveEnv) options() []zeyi.Option {
	var opts []zeyi.Option
	if e.env != "" {
		opts = append(opts, zeyi.WithEnvironment(zeyi.Environment(e.env)))
	}
	if e.baseURL != "" {
		opts = append(opts, zeyi.WithBaseURL(e.baseURL))
	}
	return opts
}

func runLive(ctx context.Context, f *flags, stdout io.Writer) error {
	env, err := readEnv()
	if err != nil {
		return err
	}
	c, err := zeyi.NewClient(zeyi.Config{AppKey: env.appKey, AppSecret: env.appSecret}, env.options()...)
	if err != nil {
		return err
	}
	rc, h := newReceiver(zeyi.CallbackConfig{AppKey: env.cbKey, AppSecret: env.cbSecret, BearerToken: env.cbToken,
		MaxSkew: 10 * time.Minute}, f.code)
	ln, err := net.Listen("tcp", env.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	fmt.Fprintf(stdout, "calling %s; listening for callbacks on %s%s\n", c.BaseURL(), ln.Addr(), CallbackPath)

	req, err := f.request()
	if err != nil {
		return err
	}
	res, err := c.SendAudit(ctx, req)
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
