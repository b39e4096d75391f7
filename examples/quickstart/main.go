// Command quickstart is the first thing to run after cloning hetong:
//
//	go run ./examples/quickstart
//
// It starts in-process fakes of all six platforms (no account, no network),
// makes one real call on each through the SDK — signed, rate-limited and
// logged exactly as against the real platform — and ends with a summary
// table. With -v every request and response is logged (redacted) as the
// client sends and receives it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/hetong-go/hetong/examples/internal/cli"
)

// step is one platform's call.
type step struct {
	pkg      string // the package, for the summary table
	platform string
	call     string
	do       func(ctx context.Context, log *slog.Logger) (string, error)
}

// row is one line of the summary.
type row struct {
	pkg, call, result string
	took              time.Duration
	err               error
}

func steps() []step {
	return []step{
		{"zhenling", "zhenling 甄零", "CreateContractWithFiles (3.4 + 3.40, async callback)", zhenlingStep},
		{"essbasic", "essbasic 腾讯电子签", "UploadFiles + ChannelCreateFlowByFiles", essbasicStep},
		{"qiyuesuo", "qiyuesuo 契约锁", "Draft + EmployeeAudit", qiyuesuoStep},
		{"zeyi", "zeyi 则一", "SendAudit + approval callback", zeyiStep},
		{"dingtalk", "dingtalk 钉钉", "listids + processinstance/get, form decoded", dingtalkStep},
		{"kingdee", "kingdee 金蝶云星空", "Save 付款申请单 (CN_PAYAPPLY), submit+audit", kingdeeStep},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log every request and response in full, bodies included (redacted)")
	timeout := fs.Duration("timeout", 30*time.Second, "overall deadline")
	live := fs.Bool("live", false, "not supported: the quickstart is offline only (see the per-platform examples)")
	fs.Usage = cli.Usage(fs, stderr, "usage: quickstart [-v] [-timeout d]\n\n"+
		"One call on each of the six platforms, offline, against the SDK's fakes.\n"+
		"The quickstart reads no environment variables; for real accounts run\n"+
		"go run ./examples/<platform> -live (its -h lists what it needs).", nil)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *live {
		return errors.New("-live: the quickstart is offline only; run go run ./examples/<platform> -live against a real account")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	logger := newTraceLogger(stdout)
	if *verbose {
		logger = slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: dropTime}))
	}

	var rows []row
	failed := 0
	for _, s := range steps() {
		fmt.Fprintf(stdout, "== %s: %s\n", s.platform, s.call)
		start := time.Now()
		result, err := s.do(ctx, logger.With("platform", s.platform))
		r := row{pkg: s.pkg, call: s.call, result: result, took: time.Since(start), err: err}
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "   FAILED: %v\n", err)
		} else {
			fmt.Fprintf(stdout, "   %s\n", result)
		}
		rows = append(rows, r)
	}
	printSummary(stdout, rows)
	if failed > 0 {
		return fmt.Errorf("%d of %d platforms failed", failed, len(rows))
	}
	return nil
}

func printSummary(w io.Writer, rows []row) {
	fmt.Fprintln(w)
	cells := make([][]string, 0, len(rows))
	for _, r := range rows {
		ok := "yes"
		if r.err != nil {
			ok = "NO"
		}
		cells = append(cells, []string{r.pkg, r.call, ok, r.took.Round(time.Millisecond).String()})
	}
	_ = cli.Table(w, []string{"PACKAGE", "CALL", "OK", "TOOK"}, cells)
}

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: usage was printed; asking for help is not a failure
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}
