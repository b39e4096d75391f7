// Command dingtalk-to-kingdee is seed 001 as a program: it pages through
// the 钉钉 approval instances of one process in a time window, decodes each
// approved 报销 form (with its 报销明细 detail table), maps it to a 金蝶云星空
// 付款申请单 (CN_PAYAPPLY), saves the bills with BatchSave and
// IsAutoSubmitAndAudit, and writes back which instance became which bill.
//
// It is idempotent: every bill keeps its DingTalk instance id in a source
// field (mapping "sourceField"), and an instance that already has a bill is
// not saved again. Progress goes to stderr; the write-back table to stdout
// (and, with -writeback, to a JSON file).
//
// Offline by default: it starts in-process fakes of both platforms, seeds
// approved and refused claims, and keeps the fake ERP in a state file so a
// second run finds the first run's bills. With -live it uses
//
//	DINGTALK_APP_KEY, DINGTALK_APP_SECRET, DINGTALK_PROCESS_CODE (or -process-code)
//	KINGDEE_SERVER_URL, KINGDEE_ACCT_ID, KINGDEE_USERNAME, KINGDEE_APP_ID, KINGDEE_APP_SECRET
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/examples/internal/cli"
	"github.com/hetong-go/hetong/kingdee"
)

type options struct {
	live        bool
	processCode string
	from, to    time.Time
	mapping     string
	writeback   string
	state       string
	seed        int
	batch       int
	timeout     time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	var from, to string
	fs := flag.NewFlagSet("dingtalk-to-kingdee", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.live, "live", false, "use real DingTalk and Kingdee accounts from the environment instead of the offline fakes")
	fs.StringVar(&o.processCode, "process-code", "", "DingTalk process code (审批模板 PROC-…); live default $DINGTALK_PROCESS_CODE")
	fs.StringVar(&from, "from", "", "window start, yyyy-MM-dd (default: 7 days ago)")
	fs.StringVar(&to, "to", "", "window end (exclusive), yyyy-MM-dd (default: now)")
	fs.StringVar(&o.mapping, "mapping", "", "JSON file mapping form labels to bill fields (default: seed 001's mapping; see mapping.example.json)")
	fs.StringVar(&o.writeback, "writeback", "", "also write the instance → bill links to this JSON file")
	fs.StringVar(&o.state, "state", filepath.Join(os.TempDir(), "hetong-dingtalk-to-kingdee.json"), "offline only: where the fake ERP keeps its bills between runs (delete it to start over)")
	fs.IntVar(&o.seed, "seed", 10, "offline only: how many claims the fake DingTalk holds (every fifth is refused)")
	fs.IntVar(&o.batch, "batch", 50, "bills per BatchSave")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "overall deadline")
	fs.Usage = cli.Usage(fs, stderr, "usage: dingtalk-to-kingdee [flags]\n\nTurns approved DingTalk 报销 claims into Kingdee 付款申请单, once each.", liveEnv)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.batch < 1 {
		return nil, fmt.Errorf("-batch: must be at least 1")
	}
	var err error
	now := time.Now()
	if o.from, err = parseDay(from, now.AddDate(0, 0, -7)); err != nil {
		return nil, fmt.Errorf("-from: %w", err)
	}
	if o.to, err = parseDay(to, now); err != nil {
		return nil, fmt.Errorf("-to: %w", err)
	}
	if !o.from.Before(o.to) {
		return nil, fmt.Errorf("-from must be before -to")
	}
	return o, nil
}

func parseDay(s string, def time.Time) (time.Time, error) {
	if s == "" {
		return def, nil
	}
	return time.ParseInLocation("2006-01-02", s, time.FixedZone("CST", 8*3600))
}

// clients are the two platform clients and what to do when the run ends.
type clients struct {
	dt          *dingtalk.Client
	kd          *kingdee.Client
	processCode string
	finish      func() error
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	m, err := loadMapping(o.mapping)
	if err != nil {
		return err
	}
	var cl *clients
	if o.live {
		cl, err = liveClients(o)
	} else {
		cl, err = offlineClients(o, stderr)
	}
	if err != nil {
		return err
	}
	s := &syncer{dt: cl.dt, kd: cl.kd, m: m, batchSize: o.batch, progress: stderr}
	fmt.Fprintf(stderr, "reading %s instances from %s to %s\n", cl.processCode, o.from.Format(time.DateOnly), o.to.Format(time.DateOnly))
	rep, runErr := s.run(ctx, cl.processCode, o.from, o.to)
	if err := cl.finish(); err != nil && runErr == nil {
		runErr = err
	}
	printReport(stdout, rep)
	if o.writeback != "" {
		if err := writeLinks(o.writeback, rep.Links); err != nil && runErr == nil {
			runErr = err
		}
	}
	if runErr == nil && rep.Failed > 0 {
		runErr = fmt.Errorf("%d instance(s) failed; see the reasons above and run again", rep.Failed)
	}
	return runErr
}

func printReport(w io.Writer, rep *Report) {
	sort.SliceStable(rep.Links, func(i, j int) bool { return rep.Links[i].InstanceID < rep.Links[j].InstanceID })
	rows := make([][]string, 0, len(rep.Links))
	for _, l := range rep.Links {
		rows = append(rows, []string{l.InstanceID, l.BusinessID, l.State, l.BillNo, l.BillID})
	}
	_ = cli.Table(w, []string{"INSTANCE", "审批编号", "STATE", "FBillNo", "FID"}, rows)
	fmt.Fprintf(w, "instances read: %d, bills saved: %d, already saved: %d, skipped: %d, failed: %d, invoices attached: %d\n",
		rep.Read, rep.Saved, rep.Existing, rep.Skipped, rep.Failed, rep.Attached)
}

func writeLinks(path string, links []Link) error {
	b, err := json.MarshalIndent(links, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: usage was printed; asking for help is not a failure
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dingtalk-to-kingdee:", err)
		os.Exit(1)
	}
}
