package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// world holds a client per platform and, offline, the fakes' hands that
// approve and sign in place of people.
type world struct {
	zl  *zhenling.Client
	zy  *zeyi.Client
	qys *qiyuesuo.Client
	ess *essbasic.Client
	kd  *kingdee.Client
	cb  callbackConfigs

	approve func(code string) error
	signAll func(ctx context.Context, id string) error
	close   func()
}

// offlineWorld starts the five fakes and points their callbacks at base.
func offlineWorld(o *options, base string) (*world, error) {
	zlf, zyf, qysf, essf, kdf := zhenlingtest.NewServer(), zeyitest.NewServer(), qiyuesuotest.NewServer(), essbasictest.NewServer(), kingdeetest.NewServer()
	w := &world{close: func() { zlf.Close(); zyf.Close(); qysf.Close(); essf.Close(); kdf.Close() }}
	zlf.SetCallback(base + pathZhenling)
	zyf.SetCallback(base + pathZeyi)
	qysf.SetCallback(base+pathQiyuesuo, qiyuesuotest.CallbackSecret, true)
	essf.SetCallback(base+pathEssbasic, essbasictest.CallbackKey, essbasictest.CallbackToken)
	w.cb = callbackConfigs{
		zeyi:     zyf.CallbackConfig(),
		qiyuesuo: qiyuesuo.CallbackConfig{SecretKey: qiyuesuotest.CallbackSecret, Encrypted: true},
		essbasic: essbasic.CallbackConfig{Key: essbasictest.CallbackKey, Token: essbasictest.CallbackToken},
	}
	w.approve = func(code string) error {
		status, body, err := zyf.Approve(context.Background(), code)
		if err == nil && !zeyitest.Acknowledged(status, body) {
			err = fmt.Errorf("zeyi callback answered HTTP %d: %s", status, body)
		}
		return err
	}
	if o.esign == "essbasic" {
		w.signAll = func(ctx context.Context, id string) error {
			status, body, err := essf.CompleteFlow(ctx, id)
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("essbasic callback answered HTTP %d: %s", status, body)
			}
			return err
		}
	} else {
		w.signAll = func(ctx context.Context, id string) error {
			_, _, err := qysf.SignAll(ctx, qiyuesuo.ID(id))
			return err
		}
	}

	var err error
	mk := func(e error) {
		if err == nil {
			err = e
		}
	}
	w.zl, err = zhenling.NewClient(zhenling.Config{BaseURL: zlf.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret},
		zhenling.WithOperations(zhenlingtest.Operations()...))
	var e error
	w.zy, e = zeyi.NewClient(zyf.Config(), zeyi.WithBaseURL(zyf.URL))
	mk(e)
	w.qys, e = qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret}, qiyuesuo.WithBaseURL(qysf.URL))
	mk(e)
	w.ess, e = essbasic.NewClient(essf.Config(), essf.Options()...)
	mk(e)
	w.kd, e = kingdee.NewClient(kingdee.Config{BaseURL: kdf.URL, AcctID: kingdeetest.AcctID, Username: kingdeetest.Username,
		AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret})
	mk(e)
	if err != nil {
		w.close()
		return nil, err
	}
	if o.company == "" {
		o.company = qiyuesuotest.CompanyName
	}
	return w, nil
}

// liveEnv lists what -live reads, per platform.
var liveEnv = map[string][]string{
	"zhenling": {"ZHENLING_BASE_URL", "ZHENLING_CLIENT_ID", "ZHENLING_CLIENT_SECRET"},
	"zeyi":     {"ZEYI_APP_KEY", "ZEYI_APP_SECRET", "ZEYI_BASE_URL"},
	"qiyuesuo": {"QIYUESUO_APP_TOKEN", "QIYUESUO_APP_SECRET", "QIYUESUO_BASE_URL", "QIYUESUO_CALLBACK_SECRET", "QIYUESUO_COMPANY"},
	"essbasic": {"ESSBASIC_SECRET_ID", "ESSBASIC_SECRET_KEY", "ESSBASIC_APP_ID", "ESSBASIC_ORG_OPEN_ID", "ESSBASIC_OPERATOR_OPEN_ID",
		"ESSBASIC_CALLBACK_KEY", "ESSBASIC_CALLBACK_TOKEN"},
	"kingdee": {"KINGDEE_SERVER_URL", "KINGDEE_ACCT_ID", "KINGDEE_USERNAME", "KINGDEE_APP_ID", "KINGDEE_APP_SECRET"},
}

// liveWorld reads credentials from the environment. People approve and
// sign; the program waits for the platforms' callbacks.
func liveWorld(o *options) (*world, error) {
	var missing []string
	for _, p := range []string{"zhenling", "zeyi", o.esign, "kingdee"} {
		for _, k := range liveEnv[p] {
			if os.Getenv(k) == "" {
				missing = append(missing, k)
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("-live needs these environment variables: %s", strings.Join(missing, ", "))
	}
	env := os.Getenv
	w := &world{close: func() {}}
	var err error
	w.zl, err = zhenling.NewClient(zhenling.Config{BaseURL: env("ZHENLING_BASE_URL"), ClientID: env("ZHENLING_CLIENT_ID"),
		ClientSecret: env("ZHENLING_CLIENT_SECRET")}, zhenling.WithOperations(o.zhenlingOps...))
	if err != nil {
		return nil, err
	}
	if w.zy, err = zeyi.NewClient(zeyi.Config{AppKey: env("ZEYI_APP_KEY"), AppSecret: env("ZEYI_APP_SECRET")},
		zeyi.WithBaseURL(env("ZEYI_BASE_URL"))); err != nil {
		return nil, err
	}
	w.cb.zeyi = zeyi.CallbackConfig{AppKey: env("ZEYI_APP_KEY"), AppSecret: env("ZEYI_APP_SECRET")}
	if o.esign == "essbasic" {
		w.ess, err = essbasic.NewClient(essbasic.Config{SecretID: env("ESSBASIC_SECRET_ID"), SecretKey: env("ESSBASIC_SECRET_KEY"),
			Agent: &essbasic.Agent{AppId: env("ESSBASIC_APP_ID"), ProxyOrganizationOpenId: env("ESSBASIC_ORG_OPEN_ID"),
				ProxyOperator: &essbasic.UserInfo{OpenId: env("ESSBASIC_OPERATOR_OPEN_ID")}}})
		w.cb.essbasic = essbasic.CallbackConfig{Key: env("ESSBASIC_CALLBACK_KEY"), Token: env("ESSBASIC_CALLBACK_TOKEN")}
	} else {
		w.qys, err = qiyuesuo.NewClient(qiyuesuo.Config{AppToken: env("QIYUESUO_APP_TOKEN"), AppSecret: env("QIYUESUO_APP_SECRET")},
			qiyuesuo.WithBaseURL(env("QIYUESUO_BASE_URL")))
		w.cb.qiyuesuo = qiyuesuo.CallbackConfig{SecretKey: env("QIYUESUO_CALLBACK_SECRET"), Encrypted: true}
		if o.company == "" {
			o.company = env("QIYUESUO_COMPANY")
		}
	}
	if err != nil {
		return nil, err
	}
	w.kd, err = kingdee.NewClient(kingdee.Config{BaseURL: env("KINGDEE_SERVER_URL"), AcctID: env("KINGDEE_ACCT_ID"),
		Username: env("KINGDEE_USERNAME"), AppID: env("KINGDEE_APP_ID"), AppSecret: env("KINGDEE_APP_SECRET")})
	return w, err
}
