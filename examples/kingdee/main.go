// Command kingdee saves a 付款申请单 (CN_PAYAPPLY) in 金蝶云星空, submits and
// audits it, and queries it back into a struct.
//
// By default it runs offline against an in-process fake. With -live it
// talks to a real site using these environment variables:
//
//	KINGDEE_SERVER_URL  the site (Config.BaseURL), e.g. https://erp.example.com/k3cloud/
//	KINGDEE_ACCT_ID     the data centre (账套) id
//	KINGDEE_USERNAME    the integration user
//	KINGDEE_APP_ID      the AppID of 第三方系统登录授权
//	KINGDEE_APP_SECRET  its secret
//
// A live run creates a real bill: point it at a test data centre.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

var liveEnv = []string{"KINGDEE_SERVER_URL", "KINGDEE_ACCT_ID", "KINGDEE_USERNAME", "KINGDEE_APP_ID", "KINGDEE_APP_SECRET"}

type options struct {
	live     bool
	billType string
	payOrg   string
	date     string
	remark   string
	kind     string
	amount   hetong.Amount
	timeout  time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("kingdee", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.live, "live", false, "use a real site from "+strings.Join(liveEnv, ", ")+" instead of the offline fake")
	fs.StringVar(&o.billType, "bill-type", "FKSQ01_SYS", "FBILLTYPEID number of the 付款申请单")
	fs.StringVar(&o.payOrg, "pay-org", "100", "FPAYORGID number (付款组织)")
	fs.StringVar(&o.date, "date", "2024-05-01", "FDATE (yyyy-MM-dd)")
	fs.StringVar(&o.remark, "remark", "hetong 示例付款申请", "FREMARK (备注)")
	fs.StringVar(&o.kind, "hksx", "货款", "value of the custom field F_VAOJ_HKSX (货款属性); empty leaves it out")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Minute, "overall deadline")
	o.amount, _ = hetong.ParseAmount("1250.50")
	fs.TextVar(&o.amount, "amount", o.amount, "FAPPLYAMOUNTFOR of the one entry (申请付款金额), an exact decimal")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kingdee [flags]\n\nSaves, submits and audits a 付款申请单, then queries it back.\nFlags:")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "\n-live reads these environment variables:", strings.Join(liveEnv, ", "))
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
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

	cfg, cleanup, err := config(o, stdout)
	if err != nil {
		return err
	}
	defer cleanup()
	c, err := kingdee.NewClient(cfg)
	if err != nil {
		return err
	}
	return flow(ctx, c, o, stdout)
}

// config returns the live credentials, or starts the fake.
func config(o *options, stdout io.Writer) (kingdee.Config, func(), error) {
	if o.live {
		var missing []string
		for _, k := range liveEnv {
			if os.Getenv(k) == "" {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return kingdee.Config{}, nil, fmt.Errorf("-live needs these environment variables: %s", strings.Join(missing, ", "))
		}
		fmt.Fprintln(stdout, "kingdee: live against", os.Getenv("KINGDEE_SERVER_URL"))
		return kingdee.Config{BaseURL: os.Getenv("KINGDEE_SERVER_URL"), AcctID: os.Getenv("KINGDEE_ACCT_ID"),
			Username: os.Getenv("KINGDEE_USERNAME"), AppID: os.Getenv("KINGDEE_APP_ID"), AppSecret: os.Getenv("KINGDEE_APP_SECRET")}, func() {}, nil
	}
	srv := kingdeetest.NewServer()
	fmt.Fprintln(stdout, "kingdee: offline against the in-process fake (use -live for a real site)")
	return kingdee.Config{BaseURL: srv.URL, AcctID: kingdeetest.AcctID, Username: kingdeetest.Username,
		AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret}, srv.Close, nil
}

// payRow is what the query reads back.
type payRow struct {
	ID     int64         `kd:"FID"`
	BillNo string        `kd:"FBillNo"`
	Status string        `kd:"FDocumentStatus"`
	Remark string        `kd:"FREMARK"`
	PayOrg string        `kd:"FPAYORGID.FNumber"`
	Amount hetong.Amount `kd:"FAPPLYAMOUNTFOR"`
}

func flow(ctx context.Context, c *kingdee.Client, o *options, stdout io.Writer) error {
	bill := kingdee.PayApply{BillType: kingdee.Number(o.billType), Date: o.date, PayOrg: kingdee.Number(o.payOrg),
		ApplyOrg: kingdee.Number(o.payOrg), SettleOrg: kingdee.Number(o.payOrg), Currency: kingdee.Number("PRE001"),
		Remark: o.remark, Entries: []kingdee.PayApplyEntry{{PayPurpose: kingdee.Number("SFKYT09_SYS"), ApplyAmount: o.amount}}}
	if o.kind != "" {
		bill.Custom = map[string]any{"F_VAOJ_HKSX": o.kind}
	}
	saved, err := c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: bill})
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	fmt.Fprintf(stdout, "saved %s (FID %s)\n", saved.Number, saved.ID)
	target := kingdee.Bills{FormID: kingdee.FormPayApply, Numbers: []string{saved.Number}}
	if _, err := c.Submit(ctx, &kingdee.SubmitRequest{Bills: target}); err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	fmt.Fprintln(stdout, "submitted", saved.Number)
	if _, err := c.Audit(ctx, &kingdee.AuditRequest{Bills: target}); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	fmt.Fprintln(stdout, "audited", saved.Number)
	rows, err := kingdee.Query[payRow](ctx, c, &kingdee.QueryRequest{FormID: kingdee.FormPayApply,
		FilterString: "FBillNo='" + strings.ReplaceAll(saved.Number, "'", "''") + "'"})
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	if len(rows) != 1 {
		return fmt.Errorf("query: want 1 bill %s, got %d", saved.Number, len(rows))
	}
	r := rows[0]
	fmt.Fprintf(stdout, "queried %s: status %s, pay org %s, amount %s, remark %q\n", r.BillNo, r.Status, r.PayOrg, r.Amount, r.Remark)
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "kingdee:", err)
		os.Exit(1)
	}
}
