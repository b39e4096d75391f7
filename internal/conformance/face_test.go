package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// face is what the conformance tests need to know of one package: how to
// start its fake, make one ordinary call, and build clients with options.
type face struct {
	pkg string
	// fake starts the package's fake and returns: a call through the
	// fake's ready client, a way to queue a platform error code, the
	// fake's Config as a value, and a closer.
	fake func(t *testing.T) (call func(context.Context) error, failCode func(code string), cfg any, closeFn func())
	// callWith makes the same call through a client built from the
	// fake's Config with opts (nil opts: none). It returns the client too.
	callWith func(t *testing.T, rt http.RoundTripper, env string) (client any, err error)
	// production and test hosts ("" test: no public test host).
	production, test string
	// missingBaseURL, for customer-hosted platforms, builds a client with
	// no base URL at all.
	missingBaseURL func() error
	// sentinels are the six callback sentinels in a fixed order, nil for a
	// platform without callbacks.
	sentinels []error
	status    func(error) int
}

func faces() []face {
	return []face{essbasicFace(), qiyuesuoFace(), zeyiFace(), dingtalkFace(), kingdeeFace(), zhenlingFace()}
}

// recorder answers every request with 503 and remembers the hosts asked.
type recorder struct{ hosts []string }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.hosts = append(r.hosts, req.URL.Host)
	return nil, errors.New("recorded, not sent")
}

// TestHostsDefaultToProduction: no package ever defaults to a test host;
// WithEnvironment(Test) selects it where the platform has one.
func TestHostsDefaultToProduction(t *testing.T) {
	for _, f := range faces() {
		if f.production == "" {
			continue
		}
		t.Run(f.pkg, func(t *testing.T) {
			rec := &recorder{}
			_, err := f.callWith(t, rec, "")
			require.Error(t, err)
			require.NotEmpty(t, rec.hosts, "the call reached the transport")
			assert.Equal(t, f.production, rec.hosts[0])
			if f.test == "" {
				return
			}
			rec = &recorder{}
			_, _ = f.callWith(t, rec, "test")
			require.NotEmpty(t, rec.hosts)
			assert.Equal(t, f.test, rec.hosts[0])
		})
	}
}

// TestCustomerHostsNeedConfigBaseURL: kingdee and zhenling (and a private
// qiyuesuo) run on the customer's host: no BaseURL is an error naming it.
func TestCustomerHostsNeedConfigBaseURL(t *testing.T) {
	for _, f := range faces() {
		if f.missingBaseURL == nil {
			continue
		}
		err := f.missingBaseURL()
		require.Error(t, err, f.pkg)
		assert.Contains(t, err.Error(), "Config.BaseURL", f.pkg)
		assert.Regexp(t, "^"+f.pkg+": NewClient: Config.BaseURL: ", err.Error())
	}
}

// TestFakesShareOneHelperAPI: every fake's Client() is ready to call, and
// FailNext with a platform code comes back as the package's *Error with
// that code, in the one error format.
func TestFakesShareOneHelperAPI(t *testing.T) {
	for _, f := range faces() {
		t.Run(f.pkg, func(t *testing.T) {
			call, failCode, _, closeFn := f.fake(t)
			defer closeFn()
			require.NoError(t, call(context.Background()), "the fake's Client() works as it is")
			failCode("1001")
			err := call(context.Background())
			require.Error(t, err)
			// Op is the platform's action name (zhenling's are its index numbers, e.g. 3.24).
			shape := regexp.MustCompile("^" + f.pkg + `: ([A-Z][A-Za-z]+|\d+\.\d+): .+\(code 1001(, request [^,)]+)?(, HTTP \d+)?\)$`)
			assert.Regexp(t, shape, err.Error())
			assert.NotContains(t, err.Error(), f.pkg+": "+f.pkg+":", "no doubled prefix")
			code, op := errorFields(t, err)
			assert.Equal(t, "1001", code)
			assert.NotEmpty(t, op)
		})
	}
}

// errorFields reads Code and Op of the package's *Error by reflection: the
// test is the same for six different types.
func errorFields(t *testing.T, err error) (code, op string) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct || v.Elem().Type().Name() != "Error" {
			continue
		}
		s := v.Elem()
		for _, name := range []string{"Op", "Code", "Message", "RequestID", "HTTPStatus"} {
			require.True(t, s.FieldByName(name).IsValid(), "%T has no field %s", e, name)
		}
		return fmt.Sprint(s.FieldByName("Code").Interface()), s.FieldByName("Op").String()
	}
	t.Fatalf("%T is not the package's *Error", err)
	return "", ""
}

// TestPrintingShowsNoSecret: %v, %+v, %#v and %s of the Config, the
// *Client and an error never show a credential.
func TestPrintingShowsNoSecret(t *testing.T) {
	for _, f := range faces() {
		t.Run(f.pkg, func(t *testing.T) {
			_, failCode, cfg, closeFn := f.fake(t)
			defer closeFn()
			secrets := secretValues(cfg)
			require.NotEmpty(t, secrets, "the fake's Config carries credentials")
			client, err := f.callWith(t, &recorder{}, "")
			require.Error(t, err)
			failCode("1001")
			for _, v := range []any{cfg, client, err} {
				for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
					out := fmt.Sprintf(verb, v)
					for _, s := range secrets {
						assert.NotContains(t, out, s, "%s of %T", verb, v)
					}
				}
			}
		})
	}
}

// secretValues returns the values of a Config's credential fields.
func secretValues(cfg any) []string {
	var out []string
	v := reflect.ValueOf(cfg)
	for i := 0; i < v.NumField(); i++ {
		name := strings.ToLower(v.Type().Field(i).Name)
		f := v.Field(i)
		if f.Kind() != reflect.String || f.Len() < 4 {
			continue
		}
		for _, k := range []string{"secret", "password", "key", "token"} {
			if strings.Contains(name, k) && name != "appkey" && !strings.HasSuffix(name, "id") {
				out = append(out, f.String())
			}
		}
	}
	return out
}

// TestCallbackSentinelsAreShared: one errors.Is works on every package's
// callback errors, and each package says which status its handler answers.
func TestCallbackSentinelsAreShared(t *testing.T) {
	core := []error{callback.ErrSignature, callback.ErrStale, callback.ErrReplay, callback.ErrDecrypt, callback.ErrMalformed, callback.ErrTooLarge}
	want := []int{401, 401, 409, 400, 400, 413}
	for _, f := range faces() {
		if f.sentinels == nil {
			continue
		}
		require.Len(t, f.sentinels, len(core), f.pkg)
		for i, s := range f.sentinels {
			assert.Same(t, core[i], s, "%s sentinel %d", f.pkg, i)
			assert.Equal(t, want[i], f.status(fmt.Errorf("wrapped: %w", s)), "%s: CallbackStatus(%v)", f.pkg, s)
		}
		assert.Equal(t, http.StatusOK, f.status(nil), f.pkg)
	}
}

func essbasicFace() face {
	sentinels := []error{essbasic.ErrSignature, essbasic.ErrStale, essbasic.ErrReplay, essbasic.ErrDecrypt, essbasic.ErrMalformed, essbasic.ErrTooLarge}
	call := func(ctx context.Context, c *essbasic.Client) error {
		_, err := c.DescribeResourceUrlsByFlows(ctx, &essbasic.DescribeResourceUrlsByFlowsRequest{FlowIds: []string{"flow-1"}})
		return err
	}
	return face{
		pkg: "essbasic",
		fake: func(t *testing.T) (func(context.Context) error, func(string), any, func()) {
			srv := essbasictest.NewServer()
			c := srv.Client()
			return func(ctx context.Context) error { return call(ctx, c) },
				func(code string) { srv.FailNext(essbasictest.Fault{Code: code, Message: "injected"}) }, srv.Config(), srv.Close
		},
		callWith: func(t *testing.T, rt http.RoundTripper, env string) (any, error) {
			srv := essbasictest.NewServer()
			defer srv.Close()
			opts := []essbasic.Option{essbasic.WithTransport(rt), essbasic.WithRetry(essbasic.RetryPolicy{MaxAttempts: 1})}
			if env == "test" {
				opts = append(opts, essbasic.WithEnvironment(essbasic.Test))
			}
			c, err := essbasic.NewClient(srv.Config(), opts...)
			require.NoError(t, err)
			return c, call(context.Background(), c)
		},
		production: "essbasic.tencentcloudapi.com", test: "essbasic.test.ess.tencent.cn",
		sentinels: sentinels, status: essbasic.CallbackStatus,
	}
}

func qiyuesuoFace() face {
	call := func(ctx context.Context, c *qiyuesuo.Client) error {
		_, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: "2589012016299597907"})
		return err
	}
	return face{
		pkg: "qiyuesuo",
		fake: func(t *testing.T) (func(context.Context) error, func(string), any, func()) {
			srv := qiyuesuotest.NewServer()
			c := srv.Client()
			return func(ctx context.Context) error {
					_, err := c.SealList(ctx, &qiyuesuo.SealListRequest{})
					return err
				},
				func(code string) { srv.FailNext(qiyuesuotest.Fault{Code: code, Message: "injected"}) }, srv.Config(), srv.Close
		},
		callWith: func(t *testing.T, rt http.RoundTripper, env string) (any, error) {
			srv := qiyuesuotest.NewServer()
			defer srv.Close()
			cfg := srv.Config()
			cfg.BaseURL = ""
			opts := []qiyuesuo.Option{qiyuesuo.WithTransport(rt), qiyuesuo.WithRetry(qiyuesuo.RetryPolicy{MaxAttempts: 1})}
			if env == "test" {
				opts = append(opts, qiyuesuo.WithEnvironment(qiyuesuo.Test))
			}
			c, err := qiyuesuo.NewClient(cfg, opts...)
			require.NoError(t, err)
			return c, call(context.Background(), c)
		},
		production: "openapi.qiyuesuo.com", test: "openapi.qiyuesuo.cn",
		sentinels: []error{qiyuesuo.ErrSignature, qiyuesuo.ErrStale, qiyuesuo.ErrReplay, qiyuesuo.ErrDecrypt, qiyuesuo.ErrMalformed, qiyuesuo.ErrTooLarge},
		status:    qiyuesuo.CallbackStatus,
	}
}

func zeyiFace() face {
	call := func(ctx context.Context, c *zeyi.Client) error {
		_, err := c.SendAudit(ctx, &zeyi.SendAuditRequest{Code: "CONF-1", AuditType: "contract", OriginatorUsername: "10001",
			AuditFormList: []zeyi.FormItem{zeyi.TextItem("合同名称", "conformance")}})
		return err
	}
	return face{
		pkg: "zeyi",
		fake: func(t *testing.T) (func(context.Context) error, func(string), any, func()) {
			srv := zeyitest.NewServer()
			c := srv.Client()
			n := 0
			return func(ctx context.Context) error {
					n++
					_, err := c.SendAudit(ctx, &zeyi.SendAuditRequest{Code: fmt.Sprintf("CONF-%d", n), AuditType: "contract", OriginatorUsername: "10001",
						AuditFormList: []zeyi.FormItem{zeyi.TextItem("合同名称", "conformance")}})
					return err
				},
				func(code string) { srv.FailNext(zeyitest.Fault{Code: code, Message: "injected"}) }, srv.Config(), srv.Close
		},
		callWith: func(t *testing.T, rt http.RoundTripper, env string) (any, error) {
			srv := zeyitest.NewServer()
			defer srv.Close()
			opts := []zeyi.Option{zeyi.WithTransport(rt), zeyi.WithRetry(zeyi.RetryPolicy{MaxAttempts: 1})}
			if env == "test" {
				opts = append(opts, zeyi.WithEnvironment(zeyi.Test))
			}
			c, err := zeyi.NewClient(srv.Config(), opts...)
			require.NoError(t, err)
			return c, call(context.Background(), c)
		},
		production: "gw.shjiuze.cn", test: testHost(zeyi.TestBaseURL),
		sentinels: []error{zeyi.ErrSignature, zeyi.ErrStale, zeyi.ErrReplay, zeyi.ErrDecrypt, zeyi.ErrMalformed, zeyi.ErrTooLarge},
		status:    zeyi.CallbackStatus,
	}
}

func testHost(u string) string {
	h := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	h, _, _ = strings.Cut(h, "/")
	return h
}

func dingtalkFace() face {
	call := func(ctx context.Context, c *dingtalk.Client) error {
		_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: "missing-instance"})
		return err
	}
	return face{
		pkg: "dingtalk",
		fake: func(t *testing.T) (func(context.Context) error, func(string), any, func()) {
			srv := dingtalktest.NewServer()
			ids := srv.SeedReimbursements("PROC-CONFORMANCE", 1, timeNow())
			c := srv.Client()
			return func(ctx context.Context) error {
					_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: ids[0]})
					return err
				},
				func(code string) {
					srv.FailNext(dingtalktest.Fault{Match: "/topapi/processinstance/get", Code: code, Message: "injected"})
				}, srv.Config(), srv.Close
		},
		callWith: func(t *testing.T, rt http.RoundTripper, _ string) (any, error) {
			srv := dingtalktest.NewServer()
			defer srv.Close()
			c, err := dingtalk.NewClient(srv.Config(), dingtalk.WithTransport(rt), dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 1}))
			require.NoError(t, err)
			return c, call(context.Background(), c)
		},
		production: "oapi.dingtalk.com", // the old API's token comes first; DingTalk has no public test host
		sentinels:  []error{dingtalk.ErrSignature, dingtalk.ErrStale, dingtalk.ErrReplay, dingtalk.ErrDecrypt, dingtalk.ErrMalformed, dingtalk.ErrTooLarge},
		status:     dingtalk.CallbackStatus,
	}
}

func kingdeeFace() face {
	return face{
		pkg: "kingdee",
		fake: func(t *testing.T) (func(context.Context) error, func(string), any, func()) {
			srv := kingdeetest.NewServer()
			c := srv.Client()
			return func(ctx context.Context) error {
					_, err := c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}})
					return err
				},
				func(code string) {
					srv.FailNext(kingdeetest.Fault{Match: "ExecuteBillQuery", Code: code, Message: "injected"})
				},
				srv.Config(), srv.Close
		},
		callWith: func(t *testing.T, rt http.RoundTripper, _ string) (any, error) {
			srv := kingdeetest.NewServer()
			defer srv.Close()
			c, err := kingdee.NewClient(srv.Config(), kingdee.WithTransport(rt), kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 1}))
			require.NoError(t, err)
			_, err = c.ExecuteBillQuery(context.Background(), &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}})
			return c, err
		},
		missingBaseURL: func() error {
			srv := kingdeetest.NewServer()
			defer srv.Close()
			cfg := srv.Config()
			cfg.BaseURL = ""
			_, err := kingdee.NewClient(cfg)
			return err
		},
	}
}

func timeNow() time.Time { return time.Now() }

func zhenlingFace() face {
	list := &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 10}}
	return face{
		pkg: "zhenling",
		fake: func(t *testing.T) (func(context.Context) error, func(string), any, func()) {
			srv := zhenlingtest.NewServer()
			c := srv.Client()
			return func(ctx context.Context) error {
					_, err := c.Contracts.List(ctx, list)
					return err
				},
				func(code string) { srv.FailNext(zhenlingtest.Fault{Code: code, Message: "injected"}) }, srv.Config(), srv.Close
		},
		callWith: func(t *testing.T, rt http.RoundTripper, _ string) (any, error) {
			srv := zhenlingtest.NewServer()
			defer srv.Close()
			c, err := zhenling.NewClient(srv.Config(), append(srv.Options(), zhenling.WithTransport(rt),
				zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 1}))...)
			require.NoError(t, err)
			_, err = c.Contracts.List(context.Background(), list)
			return c, err
		},
		missingBaseURL: func() error {
			srv := zhenlingtest.NewServer()
			defer srv.Close()
			cfg := srv.Config()
			cfg.BaseURL = ""
			_, err := zhenling.NewClient(cfg)
			return err
		},
		sentinels: []error{zhenling.ErrSignature, zhenling.ErrStale, zhenling.ErrReplay, zhenling.ErrDecrypt, zhenling.ErrMalformed, zhenling.ErrTooLarge},
		status:    zhenling.CallbackStatus,
	}
}
