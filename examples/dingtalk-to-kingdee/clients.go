package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/examples/internal/cli"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// liveEnv are the variables -live reads; -h lists them.
var liveEnv = []cli.Var{
	{Name: "DINGTALK_APP_KEY", Help: "DingTalk app key (应用 AppKey)"},
	{Name: "DINGTALK_APP_SECRET", Help: "DingTalk app secret"},
	{Name: "DINGTALK_PROCESS_CODE", Help: "报销 approval process code PROC-… (or -process-code)", Optional: true},
	{Name: "KINGDEE_SERVER_URL", Help: "Kingdee K/3 Cloud server, e.g. https://erp.example.com/k3cloud"},
	{Name: "KINGDEE_ACCT_ID", Help: "Kingdee data centre id (账套 AcctID)"},
	{Name: "KINGDEE_USERNAME", Help: "Kingdee integration user"},
	{Name: "KINGDEE_APP_ID", Help: "Kingdee third-party app id"},
	{Name: "KINGDEE_APP_SECRET", Help: "Kingdee third-party app secret"},
}

func liveClients(o *options) (*clients, error) {
	missing := cli.Missing(liveEnv)
	code := o.processCode
	if code == "" {
		code = os.Getenv("DINGTALK_PROCESS_CODE")
	}
	if code == "" {
		missing = append(missing, "DINGTALK_PROCESS_CODE (or -process-code)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("-live needs these environment variables: %s", strings.Join(missing, ", "))
	}
	dt, err := dingtalk.NewClient(dingtalk.Config{AppKey: os.Getenv("DINGTALK_APP_KEY"), AppSecret: os.Getenv("DINGTALK_APP_SECRET")})
	if err != nil {
		return nil, err
	}
	kd, err := kingdee.NewClient(kingdee.Config{BaseURL: os.Getenv("KINGDEE_SERVER_URL"), AcctID: os.Getenv("KINGDEE_ACCT_ID"),
		Username: os.Getenv("KINGDEE_USERNAME"), AppID: os.Getenv("KINGDEE_APP_ID"), AppSecret: os.Getenv("KINGDEE_APP_SECRET")})
	if err != nil {
		return nil, err
	}
	return &clients{dt: dt, kd: kd, processCode: code, finish: func() error { return nil }}, nil
}

// demoProcessCode is the fake's 报销 approval form.
const demoProcessCode = "PROC-HETONG-DEMO-REIMBURSE"

// offlineClients starts both fakes: DingTalk seeded with o.seed claims
// inside the window (stable instance ids, so runs agree), Kingdee loaded
// from and saved back to the state file.
func offlineClients(o *options, progress io.Writer) (*clients, error) {
	dsrv := dingtalktest.NewServer()
	ksrv := kingdeetest.NewServer()
	stop := func() { dsrv.Close(); ksrv.Close() }
	if err := loadState(ksrv, o.state); err != nil {
		stop()
		return nil, err
	}
	code := o.processCode
	if code == "" {
		code = demoProcessCode
	}
	if err := seedClaims(dsrv, code, o.seed, o.from); err != nil {
		stop()
		return nil, err
	}
	fmt.Fprintf(progress, "offline: fake DingTalk holds %d claims; fake Kingdee state in %s\n", o.seed, o.state)
	dt, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithBaseURL(dsrv.URL), dingtalk.WithNewAPIBaseURL(dsrv.URL))
	if err != nil {
		stop()
		return nil, err
	}
	kd, err := kingdee.NewClient(kingdee.Config{BaseURL: ksrv.URL, AcctID: kingdeetest.AcctID,
		Username: kingdeetest.Username, AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret})
	if err != nil {
		stop()
		return nil, err
	}
	finish := func() error {
		defer stop()
		return saveState(ksrv, o.state)
	}
	return &clients{dt: dt, kd: kd, processCode: code, finish: finish}, nil
}

func seedClaims(srv *dingtalktest.Server, code string, n int, from time.Time) error {
	for i := range n {
		created := from.Add(time.Hour + time.Duration(i)*3*time.Hour)
		claim := dingtalktest.SampleReimbursement(i, created)
		result := dingtalk.ResultAgree
		if i%5 == 4 {
			result = dingtalk.ResultRefuse
		}
		id := srv.AddInstance(dingtalktest.Instance{
			ID: fmt.Sprintf("demo-%s-%04d", strings.ToLower(code), i+1), ProcessCode: code,
			Title: fmt.Sprintf("报销申请 #%d", i+1), OriginatorUserID: "manager4220", Status: dingtalk.StatusCompleted,
			Result: result, CreateTime: created, FinishTime: created.Add(time.Hour),
			BusinessID: fmt.Sprintf("2024%08d", i+1), Form: claim.FormValues(),
		})
		invoice := dingtalktest.File{Name: fmt.Sprintf("发票-%04d.pdf", i+1), Content: []byte(fmt.Sprintf("%%PDF-1.4 invoice %d\n", i+1))}
		if _, err := srv.AddAttachment(id, invoice); err != nil {
			return err
		}
	}
	return nil
}

func loadState(srv *kingdeetest.Server, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := srv.LoadState(f); err != nil {
		return fmt.Errorf("%w (delete %s to start over)", err, path)
	}
	return nil
}

func saveState(srv *kingdeetest.Server, path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := srv.SaveState(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
