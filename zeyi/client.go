package zeyi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/transport"
)

// Base URLs of the gateway. Both include the /tms-service-api path prefix,
// so a base URL given with [WithBaseURL] must include it too.
const (
	// TestBaseURL is 则一's test environment (测试环境).
	TestBaseURL = "https://test.shjiuze.cn/tms-service-api"
	// ProductionBaseURL is 则一's production gateway (生产环境).
	ProductionBaseURL = "https://gw.shjiuze.cn/tms-service-api"
)

// defaultRateLimit is the client-side request rate used unless
// WithRateLimit says otherwise. 则一 documents no limit; this is a
// conservative default of our own.
var defaultRateLimit = transport.RateLimit{PerSecond: 10, Burst: 10}

// Environment selects one of 则一's gateways.
type Environment string

// Environments.
const (
	// Test is https://test.shjiuze.cn.
	Test Environment = "test"
	// Production is https://gw.shjiuze.cn.
	Production Environment = "production"
)

// baseURL returns the gateway root for e, or "" for an unknown value.
func (e Environment) baseURL() string {
	switch e {
	case Test:
		return TestBaseURL
	case Production:
		return ProductionBaseURL
	}
	return ""
}

// Config holds the credentials 则一 issued to the integrator.
type Config struct {
	// AppKey identifies the integrator (则一提供); sent in the appKey header.
	AppKey string
	// AppSecret signs every request (则一提供). It is never sent and never
	// logged. With [FixedIV] encryption its bytes are also the AES key.
	AppSecret string
	// Environment picks the gateway. It may be empty only when
	// [WithBaseURL] is given, which then wins.
	Environment Environment
	// Encryption turns on AES for form values marked sensitive
	// ([FormItem.Sensitive]). Nil, the default, means no encryption, as
	// the doc says: 「无敏感数据则无需加密」.
	Encryption *Encryption
}

// RetryPolicy says how often and how patiently a call is retried. Only
// failures where the gateway cannot have acted (connection refused, HTTP
// 429) are retried for audit/send and audit/cancel, which are not
// idempotent.
type RetryPolicy = transport.RetryPolicy

// Option configures a Client. Options report invalid values from
// [NewClient] instead of panicking.
type Option func(*options) error

type options struct {
	transport.Settings
}

// WithBaseURL overrides the Environment's gateway, e.g. with a
// zeyitest fake. It must include the /tms-service-api prefix.
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sends requests through a copy of hc.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithTransport sets the http.RoundTripper (e.g. an httpmock transport).
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error { return o.SetTransport(rt) }
}

// WithTimeout bounds each attempt (default 30 s).
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry sets the retry policy; MaxAttempts 1 turns retries off.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithRateLimit limits requests per second with a burst; 0 turns it off.
// The default, 10 per second with a burst of 10, is ours: 则一 documents
// no limit.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithLogger logs requests and retries to l after redaction (nil: silent).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now for the timestamp header (tests, vectors).
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// Client calls 则一's approval gateway. It is safe for concurrent use.
type Client struct {
	tc        *transport.Client
	appKey    string
	appSecret string
	cipher    *Cipher // nil when encryption is off
}

// NewClient validates cfg and the options and returns a Client.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, fmt.Errorf("zeyi: %w", err)
		}
	}
	if o.BaseURL == "" && cfg.Environment.baseURL() == "" {
		return nil, fmt.Errorf("zeyi: Config.Environment: want %q or %q (or use WithBaseURL), got %q", Test, Production, cfg.Environment)
	}
	o.Defaults(cfg.Environment.baseURL(), defaultRateLimit)
	c := &Client{appKey: cfg.AppKey, appSecret: cfg.AppSecret}
	secrets := []string{cfg.AppSecret}
	if cfg.Encryption != nil {
		ci, err := NewCipher(*cfg.Encryption, cfg.AppSecret)
		if err != nil {
			return nil, fmt.Errorf("zeyi: Config.Encryption: %w", err)
		}
		c.cipher = ci
		secrets = append(secrets, cfg.Encryption.AESSecret)
	}
	tc, err := transport.New(o.Settings, secrets...)
	if err != nil {
		return nil, fmt.Errorf("zeyi: %w", err)
	}
	c.tc = tc
	return c, nil
}

func (cfg Config) validate() error {
	switch {
	case strings.TrimSpace(cfg.AppKey) == "":
		return errors.New("zeyi: Config.AppKey: required")
	case strings.TrimSpace(cfg.AppSecret) == "":
		return errors.New("zeyi: Config.AppSecret: required")
	case cfg.Environment != "" && cfg.Environment.baseURL() == "":
		return fmt.Errorf("zeyi: Config.Environment: want %q or %q, got %q", Test, Production, cfg.Environment)
	}
	return nil
}

// Cipher returns the cipher configured by Config.Encryption, or nil when
// encryption is off. Use it to decrypt values 则一 sends back encrypted.
func (c *Client) Cipher() *Cipher { return c.cipher }
