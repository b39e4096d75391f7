package qiyuesuo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/sign"
	"github.com/hetong-go/hetong/internal/transport"
)

// Environment selects the public 契约锁 cloud host. A private deployment
// (私有云) has its own host: Config.BaseURL (or [WithBaseURL]).
type Environment int

// The public environments. Production is the default.
const (
	// Production is https://openapi.qiyuesuo.com.
	Production Environment = iota
	// Test is the test platform https://openapi.qiyuesuo.cn.
	Test
)

// BaseURL returns the environment's host.
func (e Environment) BaseURL() string {
	if e == Test {
		return "https://openapi.qiyuesuo.cn"
	}
	return "https://openapi.qiyuesuo.com"
}

// String names the environment.
func (e Environment) String() string {
	if e == Test {
		return "Test"
	}
	return "Production"
}

// Header name prefixes. The open platform uses x-qys-open-*; private-cloud
// deployments use x-qys-* (select it with [WithHeaderPrefix]).
const (
	HeaderPrefixOpen         = "x-qys-open-"
	HeaderPrefixPrivateCloud = "x-qys-"
)

// defaultRate is a conservative client-side limit: the platform publishes
// no request rate, only the per-document download lock.
var defaultRate = transport.RateLimit{PerSecond: 20, Burst: 20}

// RetryPolicy says how often and how patiently a call is retried. Reads are
// retried on network errors and 5xx; writes only when the server refused
// them before acting (HTTP 429) or they never left the client.
type RetryPolicy struct {
	// MaxAttempts counts the first try (default 3; 1 turns retries off).
	MaxAttempts int
	// BaseDelay is the first backoff, doubled per attempt with jitter.
	BaseDelay time.Duration
	// MaxDelay caps one backoff.
	MaxDelay time.Duration
}

// RateLimiter spends the client's request budget; share one (e.g. on
// Redis) so replicas share it. Keys are "qiyuesuo:<app>:<bucket>", where
// <app> is the first 12 hex digits of sha256(AppToken), never the token.
type RateLimiter interface {
	// Wait blocks until a request under key may go, or ctx ends.
	Wait(ctx context.Context, key string) error
}

// Config holds the credentials of an open-platform application
// (开放平台应用): the App Token and App Secret from the console. %v, %+v
// and %#v of a Config mask both.
type Config struct {
	// AppToken is sent as x-qys-open-accesstoken on every request.
	AppToken string
	// AppSecret signs every request; it is never sent, logged or shown.
	AppSecret string
	// BaseURL is the host of a private deployment (私有云), e.g.
	// "https://qys.example.com:9182". Empty uses the public cloud chosen
	// by [WithEnvironment]; [WithBaseURL] overrides both.
	BaseURL string
}

// String masks the credentials (and any password in BaseURL).
func (c Config) String() string {
	return "qiyuesuo.Config{AppToken:" + mask(c.AppToken) + " AppSecret:" + mask(c.AppSecret) + " BaseURL:" + printableURL(c.BaseURL) + "}"
}

// printableURL drops the user info (a password) from u.
func printableURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return redact.Mask
	}
	if parsed.User != nil {
		parsed.User = url.User(redact.Mask)
	}
	return parsed.String()
}

// GoString masks the credentials in %#v.
func (c Config) GoString() string { return c.String() }

// Format masks the credentials in every verb (%v, %+v, %#v, %s).
func (c Config) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

func mask(s string) string {
	if s == "" {
		return `""`
	}
	return redact.Mask
}

type options struct {
	transport.Settings
	env    Environment
	legacy bool
	prefix string
}

// Option configures a [Client].
type Option func(*options) error

// WithEnvironment selects the public host: [Production] (the default) or
// [Test]. [WithBaseURL] overrides it.
func WithEnvironment(e Environment) Option {
	return func(o *options) error {
		if e != Production && e != Test {
			return errors.New("environment: must be one of Production, Test")
		}
		o.env = e
		return nil
	}
}

// WithBaseURL sends every call to u: a private deployment (私有云), a
// proxy or a fake. It overrides [WithEnvironment].
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sends requests through a copy of hc (its Transport, Jar, ...).
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithTransport sends requests through rt (a proxy, httpmock, ...).
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error { return o.SetTransport(rt) }
}

// WithTimeout bounds each attempt (default 30 s). A download's timeout
// covers the response headers; the body is bounded by [WithIdleTimeout]
// and the caller's ctx.
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry replaces the retry policy (default 3 attempts).
func WithRetry(p RetryPolicy) Option {
	return func(o *options) error { return o.SetRetry(transport.RetryPolicy(p)) }
}

// WithRateLimit limits the client to perSecond requests with bursts of
// burst (default 20/s); perSecond 0 turns limiting off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithRateLimiter spends requests through l instead of the in-process
// limiter, e.g. one shared by replicas.
func WithRateLimiter(l RateLimiter) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("rate limiter: must not be nil")
		}
		return o.SetRateLimiter(l)
	}
}

// WithLogger logs requests (Debug), responses (Debug) and retries (Info)
// to l, with credentials and signatures redacted. The default logs nothing.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now for the x-qys-open-timestamp header.
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithRandom draws nonces from r instead of crypto/rand, so a request's
// signature can be reproduced byte for byte (with [WithClock]).
func WithRandom(r io.Reader) Option { return func(o *options) error { return o.SetRandom(r) } }

// WithMaxResponseBytes caps a JSON answer (default 32 MiB); a larger one
// fails instead of filling memory.
func WithMaxResponseBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxResponseBytes(n) }
}

// WithIdleTimeout fails a download whose body makes no progress for d
// (default 60 s), even when ctx has no deadline.
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) error { return o.SetIdleTimeout(d) }
}

// WithDeduper remembers handled callbacks in d for the handlers made by
// [Client.NewCallbackHandler] (share one between replicas, e.g. on Redis).
func WithDeduper(d Deduper) Option {
	return func(o *options) error {
		if d == nil {
			return errors.New("deduper: must not be nil")
		}
		return o.SetDeduper(d)
	}
}

// WithLegacySignature signs with the three-part form
// md5(AppToken+AppSecret+timestamp) and sends no nonce header, for old
// deployments that predate the nonce. Prefer the default four-part form.
func WithLegacySignature() Option {
	return func(o *options) error { o.legacy = true; return nil }
}

// WithHeaderPrefix changes the prefix of the four auth headers, e.g.
// [HeaderPrefixPrivateCloud] for private-cloud deployments.
func WithHeaderPrefix(prefix string) Option {
	return func(o *options) error {
		p := strings.ToLower(strings.TrimSpace(prefix))
		if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return fmt.Errorf("header prefix %q: must be letters, digits and hyphens", prefix)
		}
		if !strings.HasSuffix(p, "-") {
			p += "-"
		}
		o.prefix = p
		return nil
	}
}

// Client calls the 契约锁 open platform v2 API. It is safe for concurrent
// use. Printing it shows no credential.
type Client struct {
	tc *transport.Client
	// creds is behind a pointer so that printing a Client value (not only
	// a *Client, which has String) shows an address, never a credential.
	creds  *credentials
	prefix string
	legacy bool
	random io.Reader
	dedup  callback.Deduper
}

type credentials struct {
	token, secret redact.Secret
}

// NewClient validates cfg and the options and returns a client. It never
// panics; a missing credential or a bad option is an [*Error] naming it.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	const op = "NewClient"
	if errfmt.Blank(cfg.AppToken) {
		return nil, invalidErr(op, errfmt.Field("Config.AppToken", errfmt.Required))
	}
	if errfmt.Blank(cfg.AppSecret) {
		return nil, invalidErr(op, errfmt.Field("Config.AppSecret", errfmt.Required))
	}
	o := options{prefix: HeaderPrefixOpen}
	if cfg.BaseURL != "" {
		if err := o.SetBaseURL(cfg.BaseURL); err != nil {
			return nil, invalidErr(op, errfmt.Field("Config.BaseURL", "must be an absolute http(s) URL"))
		}
	}
	for i, opt := range opts {
		if opt == nil {
			return nil, invalidErr(op, fmt.Sprintf("option %d: required", i))
		}
		if err := opt(&o); err != nil {
			return nil, invalidErr(op, err.Error())
		}
	}
	// Rate-limit keys name the app without its credential.
	o.Namespace = "qiyuesuo:" + sign.SHA256Hex([]byte(cfg.AppToken))[:12]
	o.Defaults(o.env.BaseURL(), defaultRate)
	tc, err := transport.New(o.Settings, cfg.AppSecret, cfg.AppToken)
	if err != nil {
		return nil, invalidErr(op, err.Error())
	}
	dedup := o.Deduper
	if dedup == nil {
		dedup = callback.NewMemoryDeduper(nil)
	}
	return &Client{tc: tc, creds: &credentials{token: redact.Secret(cfg.AppToken), secret: redact.Secret(cfg.AppSecret)},
		prefix: o.prefix, legacy: o.legacy, random: o.Random, dedup: dedup}, nil
}
