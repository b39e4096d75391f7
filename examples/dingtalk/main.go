// Command dingtalk lists last week's 报销 approvals of one approval form,
// decodes their forms (including the 报销明细 detail table and its nested
// 项目费用明细) into a struct, prints them as a table, and shows the event
// callback server that learns about new approvals.
//
// By default it runs offline against the dingtalktest fake, which it seeds
// with sample claims and which pushes one encrypted approval event to the
// callback server. With -live it calls DingTalk with:
//
//	DINGTALK_APP_KEY, DINGTALK_APP_SECRET   the app's credentials (应用凭证)
//	DINGTALK_PROCESS_CODE                   the approval form's process code, PROC-…
//
// and, with -listen, serves DingTalk's event pushes until interrupted:
//
//	DINGTALK_CALLBACK_TOKEN, DINGTALK_CALLBACK_AES_KEY
//	                                        the event subscription's 签名 Token and 加密 aes_key
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "dingtalk:", err)
		os.Exit(1)
	}
}

// china is the zone of -from and of the printed times.
var china = time.FixedZone("CST", 8*3600)

// EventPath is where the callback server listens.
const EventPath = "/dingtalk/events"

type flags struct {
	live   bool
	from   time.Time
	days   int
	listen string
	seed   int
}

// liveVars are what -live reads (the last two only with -listen).
var liveVars = []cli.Var{
	{Name: "DINGTALK_APP_KEY", Help: "the app's AppKey (应用凭证)"},
	{Name: "DINGTALK_APP_SECRET", Help: "the app's AppSecret"},
	{Name: "DINGTALK_PROCESS_CODE", Help: "the approval form's process code, PROC-…"},
	{Name: "DINGTALK_CALLBACK_TOKEN", Help: "with -listen: the event subscription's 签名 Token"},
	{Name: "DINGTALK_CALLBACK_AES_KEY", Help: "with -listen: the event subscription's 加密 aes_key"},
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{}
	var from string
	fs := flag.NewFlagSet("dingtalk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.live, "live", false, "call DingTalk with DINGTALK_APP_KEY, DINGTALK_APP_SECRET, DINGTALK_PROCESS_CODE instead of the offline fake")
	fs.StringVar(&from, "from", "", "first day to list, yyyy-mm-dd in China time (default: 7 days ago)")
	fs.IntVar(&f.days, "days", 7, "number of days to list from -from")
	fs.StringVar(&f.listen, "listen", "", "live only: serve DingTalk's event pushes on this address (e.g. :8080) until interrupted; "+
		"needs DINGTALK_CALLBACK_TOKEN and DINGTALK_CALLBACK_AES_KEY")
	fs.IntVar(&f.seed, "seed", 6, "offline only: number of sample claims the fake holds")
	fs.Usage = cli.Usage(fs, stderr, "usage: dingtalk [flags]\n\nLists a week of 报销 approvals, decodes their forms and prints a table;\n"+
		"then shows an approval event arriving at the callback server ("+EventPath+").\nOffline against a fake by default.", liveVars)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if f.days < 1 {
		return nil, fmt.Errorf("-days must be at least 1, got %d", f.days)
	}
	if f.seed < 0 {
		return nil, fmt.Errorf("-seed must not be negative, got %d", f.seed)
	}
	if from == "" {
		now := time.Now().In(china)
		f.from = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, china).AddDate(0, 0, -7)
	} else {
		t, err := time.ParseInLocation("2006-01-02", from, china)
		if err != nil {
			return nil, fmt.Errorf("-from %q: want yyyy-mm-dd", from)
		}
		f.from = t
	}
	if f.listen != "" && !f.live {
		return nil, errors.New("-listen is for -live; offline, the example runs its own callback server")
	}
	return f, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if on, rest := streamFlag(args); on {
		return runStream(ctx, rest, stdout, stderr)
	}
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

// window is the listing's time range.
func (f *flags) window() (time.Time, time.Time) {
	return f.from, f.from.AddDate(0, 0, f.days)
}

func runLive(ctx context.Context, f *flags, stdout io.Writer) error {
	vars := liveVars[:3]
	if f.listen != "" {
		vars = liveVars
	}
	if err := cli.CheckLive(vars); err != nil {
		return fmt.Errorf("%w (see -h)", err)
	}
	env := map[string]string{}
	for _, v := range vars {
		env[v.Name] = os.Getenv(v.Name)
	}
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: env["DINGTALK_APP_KEY"], AppSecret: env["DINGTALK_APP_SECRET"]})
	if err != nil {
		return err
	}
	from, to := f.window()
	if err := report(ctx, c, env["DINGTALK_PROCESS_CODE"], from, to, stdout); err != nil {
		return err
	}
	if f.listen == "" {
		return nil
	}
	cfg := dingtalk.CallbackConfig{Token: env["DINGTALK_CALLBACK_TOKEN"], EncodingAESKey: env["DINGTALK_CALLBACK_AES_KEY"],
		OwnerKey: env["DINGTALK_APP_KEY"]}
	return serveEvents(ctx, f.listen, cfg, c, stdout)
}
