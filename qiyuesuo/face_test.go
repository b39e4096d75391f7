package qiyuesuo

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
)

// TestHosts: production by default, the test host only when asked,
// WithBaseURL over both.
func TestHosts(t *testing.T) {
	cases := []struct {
		opts []Option
		want string
	}{
		{nil, "https://openapi.qiyuesuo.com"},
		{[]Option{WithEnvironment(Test)}, "https://openapi.qiyuesuo.cn"},
		{[]Option{WithEnvironment(Test), WithBaseURL("https://qys.example.com:9182")}, "https://qys.example.com:9182"},
		{[]Option{WithBaseURL("https://qys.example.com"), WithEnvironment(Production)}, "https://qys.example.com"},
	}
	type hostCase = struct {
		opts []Option
		want string
	}
	for _, tc := range cases {
		checkHost(t, Config{AppToken: "t", AppSecret: "s"}, hostCase(tc))
	}
	private := Config{AppToken: "t", AppSecret: "s", BaseURL: "https://qys.example.com:9182/"}
	checkHost(t, private, hostCase{nil, "https://qys.example.com:9182"})
	checkHost(t, private, hostCase{[]Option{WithEnvironment(Test)}, "https://qys.example.com:9182"})
	checkHost(t, private, hostCase{[]Option{WithBaseURL("https://proxy.example.com")}, "https://proxy.example.com"})
	_, err := NewClient(Config{AppToken: "t", AppSecret: "s"}, WithEnvironment(Environment(7)))
	assert.ErrorIs(t, err, ErrInvalidRequest)
	_, err = NewClient(Config{AppToken: "t", AppSecret: "s", BaseURL: "ftp://user:hunter2@qys.example.com"})
	assert.EqualError(t, err, "qiyuesuo: NewClient: Config.BaseURL: must be an absolute http(s) URL")
}

func checkHost(t *testing.T, cfg Config, tc struct {
	opts []Option
	want string
}) {
	t.Helper()
	{
		mt := httpmock.NewMockTransport()
		var host string
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			host = r.URL.Scheme + "://" + r.URL.Host
			return httpmock.NewStringResponse(200, `{"code":0,"result":{"appName":"a"}}`), nil
		})
		c, err := NewClient(cfg, append([]Option{WithTransport(mt)}, tc.opts...)...)
		require.NoError(t, err)
		_, err = c.AppTokenDetail(context.Background())
		require.NoError(t, err)
		assert.Equal(t, tc.want, host)
	}
}

func TestConfigErrors(t *testing.T) {
	for cfg, want := range map[Config]string{
		{AppSecret: "s"}:                 "qiyuesuo: NewClient: Config.AppToken: required",
		{AppToken: "t"}:                  "qiyuesuo: NewClient: Config.AppSecret: required",
		{AppToken: "t", AppSecret: "  "}: "qiyuesuo: NewClient: Config.AppSecret: required",
	} {
		_, err := NewClient(cfg)
		require.Error(t, err)
		assert.Equal(t, want, err.Error())
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
	_, err := NewClient(Config{AppToken: "t", AppSecret: "s"}, nil)
	assert.ErrorContains(t, err, "qiyuesuo: NewClient: option 0: required")
}

// TestNothingPrintsASecret: no fmt verb shows a credential of a Config,
// a CallbackConfig, a *Client or an *Error.
func TestNothingPrintsASecret(t *testing.T) {
	const token, secret = "app-token-123456", "app-secret-654321"
	cfg := Config{AppToken: token, AppSecret: secret, BaseURL: "https://admin:" + secret + "@qys.example.com"}
	c, err := NewClient(cfg)
	require.NoError(t, err)
	cb := CallbackConfig{SecretKey: secret, IV: []byte(secret)}
	e := &Error{Op: "ContractDetail", Message: "boom", Code: "442"}
	for _, v := range []any{cfg, &cfg, c, *c, cb, e} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, token, "%s of %T", verb, v)
			assert.NotContains(t, out, secret, "%s of %T", verb, v)
		}
	}
	assert.Equal(t, e.Error(), fmt.Sprintf("%#v", e))
	assert.Contains(t, fmt.Sprint(cfg), "***")
}

// TestErrorFormat: "<pkg>: <Op>: <message> (code …, request …, HTTP …)".
func TestErrorFormat(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"responseCode":"11101003","message":"合同不存在","requestId":"rq-1"}`))
	_, err := c.ContractDetail(context.Background(), &ContractDetailRequest{ContractID: "1"})
	require.Error(t, err)
	assert.Equal(t, "qiyuesuo: ContractDetail: 合同不存在 (code 11101003, request rq-1, HTTP 200)", err.Error())
}

// TestNoInternalTypes: every exported type is declared in this package,
// so go doc shows its fields and methods.
func TestNoInternalTypes(t *testing.T) {
	for _, v := range []any{RetryPolicy{}, ID(""), DateTime{}, Config{}, Meta{}, Error{}, File{}, Environment(0),
		(*RateLimiter)(nil), (*Deduper)(nil), CallbackEvent{}, DownloadResponse{}} {
		typ := reflect.TypeOf(v)
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		assert.Equal(t, "github.com/hetong-go/hetong/qiyuesuo", typ.PkgPath(), "%v", typ)
	}
}

// TestDownloadNeverSavesAnErrorPage: a 200 login page, or a JSON error
// without a JSON Content-Type, is an error and nothing reaches the writer.
func TestDownloadNeverSavesAnErrorPage(t *testing.T) {
	for name, resp := range map[string]struct{ ct, body string }{
		"html login page":        {"text/html", "<!DOCTYPE html><html><body>请登录</body></html>"},
		"html as octet-stream":   {"application/octet-stream", "<html><body>WAF</body></html>"},
		"json without a type":    {"", `{"code":1001,"message":"下载失败"}`},
		"json as octet-stream":   {"application/octet-stream", `{"responseCode":"11101003","message":"合同不存在"}`},
		"json success, not file": {"application/json", `{"code":0,"message":"SUCCESS"}`},
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := mockClient(t, WithRetry(RetryPolicy{MaxAttempts: 1}))
			mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				r := httpmock.NewStringResponse(200, resp.body)
				r.Header.Del("Content-Type")
				if resp.ct != "" {
					r.Header.Set("Content-Type", resp.ct)
				}
				return r, nil
			})
			var w bytes.Buffer
			_, err := c.ContractDownload(context.Background(), &ContractDownloadRequest{ContractID: "1"}, &w)
			require.Error(t, err)
			assert.Zero(t, w.Len(), "the error page reached the writer")
		})
	}
}

// TestEmptyAnswerFails: a success envelope without the result a call
// must return is an error, not an empty success.
func TestEmptyAnswerFails(t *testing.T) {
	for _, body := range []string{`{"code":0,"message":"SUCCESS"}`, `{"code":0,"result":null}`} {
		c, mt := mockClient(t)
		mt.RegisterNoResponder(httpmock.NewStringResponder(200, body))
		res, err := c.ContractDraft(context.Background(), &ContractDraftRequest{Subject: "s", Signatories: []Signatory{{TenantType: TenantCompany}}})
		assert.Nil(t, res)
		assert.ErrorContains(t, err, "without the result", body)
	}
	// A call whose result is unpublished, or known to be absent, succeeds.
	c, mt := mockClient(t)
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"responseCode":"00000000"}`))
	_, err := c.ContractSend(context.Background(), &ContractSendRequest{ContractID: "1"})
	assert.NoError(t, err)
	_, err = c.ContractDelay(context.Background(), &ContractDelayRequest{ContractID: "1"})
	assert.NoError(t, err)
}

// TestIteratorStopsOnARepeatedPage: a platform that ignores selectOffset
// cannot loop an iterator forever.
func TestIteratorStopsOnARepeatedPage(t *testing.T) {
	c, mt := mockClient(t)
	calls := 0
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		calls++
		return httpmock.NewStringResponse(200, `{"code":0,"result":{"totalCount":0,"list":[{"id":"1"},{"id":"2"}]}}`), nil
	})
	n := 0
	var last error
	for _, err := range c.AllSeals(context.Background(), &SealListRequest{SelectLimit: hetong.Ptr(2)}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	assert.ErrorContains(t, last, "same page twice")
	assert.Equal(t, 2, n)
	assert.Equal(t, 2, calls)
}

// TestDownloadStallFails: a body that stops sending fails after the idle
// timeout even when ctx has no deadline.
func TestDownloadStallFails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte(strings.Repeat("%PDF-1.4 ", 100)))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // then nothing, until the client gives up
	}))
	defer srv.Close()
	c, err := NewClient(Config{AppToken: "t", AppSecret: "s"}, WithBaseURL(srv.URL), WithIdleTimeout(50*time.Millisecond),
		WithRetry(RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	var w bytes.Buffer
	res, err := c.ContractDownload(context.Background(), &ContractDownloadRequest{ContractID: "1"}, &w)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	require.NotNil(t, res, "the response says how much arrived")
	assert.Equal(t, int64(900), res.Bytes)
}

type keyRecorder struct{ keys []string }

func (k *keyRecorder) Wait(_ context.Context, key string) error {
	k.keys = append(k.keys, key)
	return nil
}

// TestRateLimiterKeys: a shared limiter sees the app, never its token.
func TestRateLimiterKeys(t *testing.T) {
	rec := &keyRecorder{}
	c, mt := mockClient(t, WithRateLimiter(rec))
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"code":0,"result":{"appName":"a"}}`))
	_, err := c.AppTokenDetail(context.Background())
	require.NoError(t, err)
	require.Len(t, rec.keys, 1)
	assert.Regexp(t, `^qiyuesuo:[0-9a-f]{12}:all$`, rec.keys[0])
	assert.NotContains(t, rec.keys[0], vecToken)
	_, err = NewClient(Config{AppToken: "t", AppSecret: "s"}, WithRateLimiter(nil))
	assert.ErrorIs(t, err, ErrInvalidRequest)
}
