package zeyi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/sign"
)

func TestNewClientValidates(t *testing.T) {
	ok := Config{AppKey: "k", AppSecret: "s"}
	for want, tc := range map[string]struct {
		cfg  Config
		opts []Option
	}{
		"zeyi: NewClient: Config.AppKey: required":                     {Config{AppSecret: "s"}, nil},
		"zeyi: NewClient: Config.AppSecret: required":                  {Config{AppKey: "k"}, nil},
		"zeyi: NewClient: Config.AppSecret: required ":                 {Config{AppKey: "k", AppSecret: " \t\n"}, nil},
		"zeyi: NewClient: Config.AppKey: required ":                    {Config{AppKey: "  ", AppSecret: "s"}, nil},
		"zeyi: NewClient: base URL":                                    {ok, []Option{WithBaseURL("ftp://x")}},
		"zeyi: NewClient: WithEnvironment: must be one of":             {ok, []Option{WithEnvironment("staging")}},
		"zeyi: NewClient: timeout":                                     {ok, []Option{WithTimeout(-1)}},
		"zeyi: NewClient: retry":                                       {ok, []Option{WithRetry(RetryPolicy{})}},
		"zeyi: NewClient: rate limit":                                  {ok, []Option{WithRateLimit(-1, 0)}},
		"zeyi: NewClient: rate limit ":                                 {ok, []Option{WithRateLimit(math.NaN(), 1)}},
		"zeyi: NewClient: rate limit  ":                                {ok, []Option{WithRateLimit(math.Inf(1), 1)}},
		"zeyi: NewClient: rate limiter":                                {ok, []Option{WithRateLimiter(nil)}},
		"zeyi: NewClient: HTTP client":                                 {ok, []Option{WithHTTPClient(nil)}},
		"zeyi: NewClient: transport":                                   {ok, []Option{WithTransport(nil)}},
		"zeyi: NewClient: clock":                                       {ok, []Option{WithClock(nil)}},
		"zeyi: NewClient: random source":                               {ok, []Option{WithRandom(nil)}},
		"zeyi: NewClient: max response bytes":                          {ok, []Option{WithMaxResponseBytes(0)}},
		"zeyi: NewClient: idle timeout":                                {ok, []Option{WithIdleTimeout(-time.Second)}},
		"zeyi: NewClient: deduper":                                     {ok, []Option{WithDeduper(nil)}},
		"zeyi: NewClient: Config.AppSecret: must be 16, 24 or 32":      {Config{AppKey: "k", AppSecret: "s", Encryption: &Encryption{}}, nil},
		"zeyi: NewClient: Config.Encryption.IV: must be 16 bytes":      {Config{AppKey: "k", AppSecret: vecAppSecret, Encryption: &Encryption{IV: "short"}}, nil},
		"zeyi: NewClient: Config.Encryption.AESSecret: required":       {Config{AppKey: "k", AppSecret: "s", Encryption: &Encryption{Mode: RandomIVPrefix}}, nil},
		"zeyi: NewClient: Config.Encryption.Mode: must be one of":      {Config{AppKey: "k", AppSecret: "s", Encryption: &Encryption{Mode: 7}}, nil},
		"zeyi: NewClient: Config.Encryption.AESSecret: must be base64": {Config{AppKey: "k", AppSecret: "s", Encryption: &Encryption{Mode: RandomIVPrefix, AESSecret: "%%"}}, nil},
	} {
		c, err := NewClient(tc.cfg, tc.opts...)
		assert.Nil(t, c)
		require.Error(t, err, want)
		assert.True(t, strings.HasPrefix(err.Error(), strings.TrimSpace(want)), "got %q, want prefix %q", err, want)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "NewClient", e.Op)
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
}

// TestNewClientEnvironments: production by default, WithEnvironment(Test)
// selects the test host, WithBaseURL overrides whatever the order.
func TestNewClientEnvironments(t *testing.T) {
	cfg := Config{AppKey: "k", AppSecret: "s"}
	for name, tc := range map[string]struct {
		opts []Option
		want string
	}{
		"default":            {nil, ProductionBaseURL},
		"production":         {[]Option{WithEnvironment(Production)}, ProductionBaseURL},
		"test":               {[]Option{WithEnvironment(Test)}, TestBaseURL},
		"base URL after":     {[]Option{WithEnvironment(Test), WithBaseURL("http://127.0.0.1:1/tms-service-api/")}, "http://127.0.0.1:1/tms-service-api"},
		"base URL before":    {[]Option{WithBaseURL("http://127.0.0.1:1/tms-service-api"), WithEnvironment(Test)}, "http://127.0.0.1:1/tms-service-api"},
		"nil option ignored": {[]Option{nil, WithLogger(nil)}, ProductionBaseURL},
	} {
		c, err := NewClient(cfg, tc.opts...)
		require.NoError(t, err, name)
		assert.Equal(t, tc.want, c.BaseURL(), name)
		assert.Nil(t, c.Cipher())
	}
	assert.Equal(t, "https://gw.shjiuze.cn/tms-service-api", ProductionBaseURL)
}

// TestPrintingHidesSecrets: no fmt verb shows a secret of a Config,
// CallbackConfig, Encryption, Cipher, *Client or *Error.
func TestPrintingHidesSecrets(t *testing.T) {
	aes := "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	cfg := Config{AppKey: "key-1", AppSecret: vecAppSecret, Encryption: &Encryption{Mode: RandomIVPrefix, AESSecret: aes}}
	c, err := NewClient(cfg)
	require.NoError(t, err)
	cb := CallbackConfig{AppKey: "cb", AppSecret: "callback-secret-1", BearerToken: "bearer-token-1"}
	e := &Error{Op: "SendAudit", Message: "bad", Code: "E1", Err: errors.New("cause")}
	for _, v := range []any{cfg, &cfg, cb, *cfg.Encryption, c, *c, c.Cipher(), e} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{vecAppSecret, aes, "callback-secret-1", "bearer-token-1", "01234567"} {
				assert.NotContains(t, out, secret, "%s of %T", verb, v)
			}
		}
	}
	assert.Equal(t, `zeyi.Config{AppKey: "key-1", AppSecret: "***", Encryption: &zeyi.Encryption{Mode: RandomIVPrefix, IV: "", AESSecret: "***"}}`, fmt.Sprintf("%#v", cfg))
	assert.Equal(t, "&zeyi.Error{zeyi: SendAudit: bad (code E1)}", fmt.Sprintf("%#v", e))
}

func TestErrorFormat(t *testing.T) {
	assert.Equal(t, "zeyi: SendAudit: 同一业务编号已存在 (code AUDIT_EXISTS, request r-1, HTTP 200)",
		(&Error{Op: "SendAudit", Message: "同一业务编号已存在", Code: "AUDIT_EXISTS", RequestID: "r-1", HTTPStatus: 200}).Error())
	assert.Equal(t, "zeyi: SendAudit: SendAuditRequest.Code: required", invalid("SendAudit", "SendAuditRequest.Code: required").Error())
}

// TestRateLimitKeyIsNamespaced: a shared RateLimiter sees "zeyi:<app>:all".
func TestRateLimitKeyIsNamespaced(t *testing.T) {
	var keys []string
	lim := limiterFunc(func(ctx context.Context, key string) error { keys = append(keys, key); return nil })
	c, mt := mockClient(t, Config{}, WithRateLimiter(lim))
	capture(mt, "audit/cancel", 200, okEnvelope)
	_, err := c.CancelAudit(context.Background(), &CancelAuditRequest{Code: "C", Type: "T"})
	require.NoError(t, err)
	assert.Equal(t, []string{"zeyi:" + vecAppKey + ":all"}, keys)
}

type limiterFunc func(ctx context.Context, key string) error

func (f limiterFunc) Wait(ctx context.Context, key string) error { return f(ctx, key) }

// TestWithRandomReproducesTheSignature: with a fixed clock and a fixed
// random source, the headers are the same byte for byte on every call.
func TestWithRandomReproducesTheSignature(t *testing.T) {
	var signs []string
	for i := 0; i < 2; i++ {
		c, mt := mockClient(t, Config{}, WithRandom(bytes.NewReader(bytes.Repeat([]byte{7, 40, 200, 255, 3}, 20))))
		got := capture(mt, "audit/cancel", 200, okEnvelope)
		_, err := c.CancelAudit(context.Background(), &CancelAuditRequest{Code: "C", Type: "T"})
		require.NoError(t, err)
		assert.Equal(t, []string{"heudhe"}, rawHeader(got.header, "nonce"), "bytes ≥ 252 are skipped")
		signs = append(signs, rawHeader(got.header, "sign")[0])
	}
	assert.Equal(t, signs[0], signs[1])
	assert.Equal(t, Sign(vecAppKey, vecAppSecret, vecTimestamp, "heudhe", []byte(`{"code":"C","type":"T"}`)), signs[0])
}

func TestNonceFromFailures(t *testing.T) {
	_, err := NonceFrom(bytes.NewReader(nil))
	assert.Error(t, err)
	_, err = NonceFrom(bytes.NewReader(bytes.Repeat([]byte{255}, 1000)))
	assert.ErrorIs(t, err, sign.ErrRandom, "a source of unusable bytes ends")
	c, mt := mockClient(t, Config{}, WithRandom(bytes.NewReader(nil)))
	capture(mt, "audit/cancel", 200, okEnvelope)
	_, err = c.CancelAudit(context.Background(), &CancelAuditRequest{Code: "C", Type: "T"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Zero(t, mt.GetTotalCallCount(), "nothing is sent unsigned")
}

// TestMaxResponseBytes: an answer over the cap fails.
func TestMaxResponseBytes(t *testing.T) {
	c, mt := mockClient(t, Config{}, WithMaxResponseBytes(64))
	capture(mt, "audit/cancel", 200, `{"success":true,"businessException":false,"errorCode":null,"message":"`+strings.Repeat("x", 100)+`","result":null}`)
	_, err := c.CancelAudit(context.Background(), &CancelAuditRequest{Code: "C", Type: "T"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Contains(t, err.Error(), "larger than 64 bytes")
}

// rawHeader reads a header by its exact wire spelling: zeyi sends its
// lowercase headers (nonce, sign) as they are, not canonicalised.
func rawHeader(h map[string][]string, key string) []string { return h[key] }
