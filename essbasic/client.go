package essbasic

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/transport"
)

// APIVersion is the essbasic API version every request names.
const APIVersion = "2021-05-26"

// Hosts of the platform. UploadFiles goes to the file host of the
// environment; every other action to its API host.
const (
	ProductionHost     = "essbasic.tencentcloudapi.com"
	TestHost           = "essbasic.test.ess.tencent.cn"
	ProductionFileHost = "file.ess.tencent.cn"
	TestFileHost       = "file.test.ess.tencent.cn"
)

// defaultRateLimit is the platform's documented limit: 20 requests per
// second for each action (默认接口请求频率限制：20次/秒).
var defaultRateLimit = transport.RateLimit{PerSecond: 20, Burst: 20, PerKey: true}

// Environment selects the platform's hosts. The zero value is Production:
// a client never talks to the test platform unless told to.
type Environment int

const (
	// Production is the live platform (正式环境).
	Production Environment = iota
	// Test is the integration environment (联调环境).
	Test
)

// String names the environment: "production" or "test".
func (e Environment) String() string {
	switch e {
	case Production:
		return "production"
	case Test:
		return "test"
	}
	return fmt.Sprintf("Environment(%d)", int(e))
}

func (e Environment) hosts() (api, file string) {
	if e == Test {
		return TestHost, TestFileHost
	}
	return ProductionHost, ProductionFileHost
}

// Config holds the platform's (渠道方) credentials and the default Agent.
// Printing it with any fmt verb masks SecretKey and Token.
type Config struct {
	// SecretID and SecretKey are the platform's Tencent Cloud API key pair.
	SecretID  string
	SecretKey string
	// Token is the session token of temporary (STS) credentials; leave it
	// empty for a permanent key. It is sent as X-TC-Token.
	Token string
	// Region is optional; when set it is sent as X-TC-Region.
	Region string
	// Agent is filled into every request whose Agent is nil. A request's
	// own Agent wins; only its empty AppId is taken from here.
	Agent *Agent
}

// String shows the configuration with its secrets masked.
func (c Config) String() string {
	return fmt.Sprintf("essbasic.Config{SecretID:%q SecretKey:%s Token:%s Region:%q Agent:%+v}",
		c.SecretID, mask(c.SecretKey), mask(c.Token), c.Region, c.Agent)
}

// GoString is String, so %#v never shows a secret either.
func (c Config) GoString() string { return c.String() }

// Format prints String for every verb (%v, %+v, %#v, %s).
func (c Config) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// mask shows whether a secret is set, never its value.
func mask(s string) string {
	if s == "" {
		return `""`
	}
	return redact.Mask
}

// RetryPolicy says how often and how patiently a call is retried.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff; it doubles per attempt, with jitter.
	BaseDelay time.Duration
	// MaxDelay caps one backoff, and a server's Retry-After.
	MaxDelay time.Duration
}

// RateLimiter decides when a request may be sent; share one between
// replicas (e.g. on Redis) so they share the platform's budget. The keys
// the client passes are "essbasic:<AppId>:<Action>" (the platform limits
// each action separately); AppId is Config.Agent.AppId, or the SecretID
// when there is no default Agent.
type RateLimiter interface {
	// Wait returns when a request for key may be sent, or ctx's error.
	Wait(ctx context.Context, key string) error
}

// Option configures a Client (and, for the options that concern
// callbacks — WithDeduper, WithLogger, WithClock — a callback handler).
type Option func(*options) error

type options struct {
	transport.Settings
	env         Environment
	fileBaseURL string
	language    string
}

// WithBaseURL sends every action to this URL instead of the environment's
// host (a proxy or a fake). UploadFiles goes there too unless
// WithFileBaseURL says otherwise.
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithFileBaseURL sends UploadFiles to this URL.
func WithFileBaseURL(u string) Option {
	return func(o *options) error {
		var s transport.Settings
		if err := s.SetBaseURL(u); err != nil {
			return err
		}
		o.fileBaseURL = s.BaseURL
		return nil
	}
}

// WithEnvironment selects the production (default) or test (联调) hosts,
// for the API and the file host alike.
func WithEnvironment(e Environment) Option {
	return func(o *options) error {
		if e != Production && e != Test {
			return errors.New("environment: " + errfmt.OneOf("Production", "Test"))
		}
		o.env = e
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithTransport uses rt as the HTTP round tripper.
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error { return o.SetTransport(rt) }
}

// WithTimeout bounds each attempt (default 30s); an attempt that runs out
// of it fails with an error that satisfies errors.Is(err,
// context.DeadlineExceeded).
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithIdleTimeout fails a download whose body delivers no byte for d
// (default 60s), even when the ctx has no deadline.
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) error { return o.SetIdleTimeout(d) }
}

// WithMaxResponseBytes caps the size of a JSON answer (default 32 MiB);
// a larger answer fails instead of filling memory. Downloads stream and
// are not capped.
func WithMaxResponseBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxResponseBytes(n) }
}

// WithRetry sets how often rate-limited and failed calls are retried.
func WithRetry(p RetryPolicy) Option {
	return func(o *options) error {
		return o.SetRetry(transport.RetryPolicy{MaxAttempts: p.MaxAttempts, BaseDelay: p.BaseDelay, MaxDelay: p.MaxDelay})
	}
}

// WithRateLimit sets the in-process limit per action (default 20/s, burst
// 20, the platform's documented limit); perSecond 0 turns it off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithRateLimiter replaces the in-process limiter with l, e.g. one shared
// by every replica of a service.
func WithRateLimiter(l RateLimiter) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("rate limiter: " + errfmt.Required)
		}
		return o.SetRateLimiter(l)
	}
}

// WithDeduper remembers handled callbacks in d (share one between
// replicas); it applies to [NewCallbackHandler] and wins over
// CallbackConfig.Deduper.
func WithDeduper(d Deduper) Option {
	return func(o *options) error {
		if d == nil {
			return errors.New("deduper: " + errfmt.Required)
		}
		return o.SetDeduper(d)
	}
}

// WithLogger sends the client's logs, redacted, to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now: requests are signed with its timestamp, so
// a signature can be reproduced byte for byte ([TC3Authorization]).
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithLanguage sets X-TC-Language: "zh-CN" (default) or "en-US".
func WithLanguage(lang string) Option {
	return func(o *options) error {
		if lang != "zh-CN" && lang != "en-US" {
			return errors.New("language: " + errfmt.OneOf("zh-CN", "en-US"))
		}
		o.language = lang
		return nil
	}
}

// applyOptions runs opts in order; an error names the option's setting.
func applyOptions(opts []Option) (options, error) {
	o := options{language: "zh-CN"}
	for i, opt := range opts {
		if opt == nil {
			return o, &Error{Op: "NewClient", Message: fmt.Sprintf("option %d: %s", i, errfmt.Required), Err: ErrInvalidRequest}
		}
		if err := opt(&o); err != nil {
			return o, &Error{Op: "NewClient", Message: err.Error(), Err: ErrInvalidRequest}
		}
	}
	return o, nil
}

// Client calls the essbasic API. It is safe for concurrent use. Its
// secrets are held in masked holders: printing a Client shows none.
type Client struct {
	tc       *transport.Client
	secretID string
	keys     *signingKeys
	token    redact.Secret
	region   string
	language string
	apiBase  string
	fileBase string
	agent    *Agent
}

// NewClient validates cfg and returns a client. It never panics; every
// error is an *Error with Op "NewClient" that wraps ErrInvalidRequest and
// names the field, e.g. "essbasic: NewClient: Config.SecretKey: required".
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, withOp("NewClient", err)
	}
	o, err := applyOptions(opts)
	if err != nil {
		return nil, err
	}
	apiHost, fileHost := o.env.hosts()
	fileBase := o.fileBaseURL
	if fileBase == "" {
		fileBase = "https://" + fileHost
		if o.BaseURL != "" {
			fileBase = o.BaseURL // a proxy or fake serves both
		}
	}
	o.Namespace = "essbasic:" + cfg.appID()
	o.Defaults("https://"+apiHost, defaultRateLimit)
	tc, err := transport.New(o.Settings, cfg.SecretKey, cfg.Token)
	if err != nil {
		return nil, &Error{Op: "NewClient", Message: err.Error(), Err: ErrInvalidRequest}
	}
	var agent *Agent
	if cfg.Agent != nil {
		a := *cfg.Agent // never share the caller's value
		agent = &a
	}
	return &Client{
		tc: tc, secretID: cfg.SecretID, keys: &signingKeys{secretKey: redact.Secret(cfg.SecretKey)}, token: redact.Secret(cfg.Token),
		region: cfg.Region, language: o.language, apiBase: o.BaseURL, fileBase: fileBase, agent: agent,
	}, nil
}

// String describes the client without any secret: fmt cannot call the
// masking methods of unexported fields, so the client prints itself.
func (c *Client) String() string {
	if c == nil {
		return "essbasic.Client(nil)"
	}
	return fmt.Sprintf("essbasic.Client{SecretID:%q SecretKey:%s Token:%s BaseURL:%q FileBaseURL:%q}",
		c.secretID, redact.Mask, mask(string(c.token)), c.apiBase, c.fileBase)
}

// GoString is String, so %#v never shows a secret either.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// validate refuses a Config that cannot sign: blank (or white-space only)
// key parts, a default Agent without AppId.
func (c *Config) validate() error {
	switch {
	case errfmt.Blank(c.SecretID):
		return invalid("Config.SecretID", errfmt.Required)
	case errfmt.Blank(c.SecretKey):
		return invalid("Config.SecretKey", errfmt.Required)
	}
	if c.Agent != nil {
		return under("Config.Agent", c.Agent.validate())
	}
	return nil
}

// appID names the client in rate-limit keys: the default Agent's AppId,
// else the SecretID (neither is secret).
func (c *Config) appID() string {
	if c.Agent != nil && c.Agent.AppId != "" {
		return c.Agent.AppId
	}
	return c.SecretID
}

// agentFor returns the Agent a request is sent with: its own, or the
// client's default; an empty AppId is taken from the default.
func (c *Client) agentFor(a *Agent) *Agent {
	switch {
	case a == nil:
		return c.agent
	case a.AppId == "" && c.agent != nil:
		cp := *a
		cp.AppId = c.agent.AppId
		return &cp
	}
	return a
}
