package qiyuesuo

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/transport"
)

// Base URLs of the public 契约锁 open platform. A private deployment (私有云)
// has its own host: pass it with [WithBaseURL].
const (
	TestBaseURL       = "https://openapi.qiyuesuo.cn"
	ProductionBaseURL = "https://openapi.qiyuesuo.com"
)

// Header name prefixes. The open platform uses x-qys-open-*; private-cloud
// deployments use x-qys-* (select it with [WithHeaderPrefix]).
const (
	HeaderPrefixOpen         = "x-qys-open-"
	HeaderPrefixPrivateCloud = "x-qys-"
)

// defaultRate is a conservative client-side limit: the platform publishes
// no request rate, only the per-document download lock (see [Client.Download]).
var defaultRate = transport.RateLimit{PerSecond: 20, Burst: 20}

// RetryPolicy says how often and how patiently a call is retried. Reads are
// retried on network errors and 5xx; writes only when the server refused
// them before acting (HTTP 429).
type RetryPolicy = transport.RetryPolicy

// Config holds the credentials of an open-platform application
// (开放平台应用): the App Token and App Secret from the console.
type Config struct {
	// AppToken is sent as x-qys-open-accesstoken on every request.
	AppToken string
	// AppSecret signs every request; it is never sent, logged or shown.
	AppSecret string
}

type options struct {
	transport.Settings
	legacy bool
	prefix string
}

// Option configures a [Client].
type Option func(*options) error

// WithBaseURL points the client at another host: [ProductionBaseURL] or a
// private deployment. The default is [TestBaseURL].
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
// covers the response headers; the body is bounded by the caller's ctx.
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry replaces the retry policy (default 3 attempts).
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithRateLimit limits the client to perSecond requests with bursts of
// burst (default 20/s); perSecond 0 turns limiting off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithLogger logs requests (Debug), responses (Debug) and retries (Info)
// to l, with credentials and signatures redacted. The default logs nothing.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now for the x-qys-open-timestamp header.
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

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
			return fmt.Errorf("header prefix %q: want letters, digits and hyphens", prefix)
		}
		if !strings.HasSuffix(p, "-") {
			p += "-"
		}
		o.prefix = p
		return nil
	}
}

// Client calls the 契约锁 open platform v2 API. It is safe for concurrent use.
type Client struct {
	tc     *transport.Client
	token  string
	secret string
	prefix string
	legacy bool
	nonce  func() (string, error)
}

// NewClient validates cfg and the options and returns a client. It never
// panics; a missing credential is an error naming the field.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	if strings.TrimSpace(cfg.AppToken) == "" {
		return nil, errors.New("qiyuesuo: Config.AppToken: must not be empty")
	}
	if strings.TrimSpace(cfg.AppSecret) == "" {
		return nil, errors.New("qiyuesuo: Config.AppSecret: must not be empty")
	}
	o := options{prefix: HeaderPrefixOpen}
	for i, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("qiyuesuo: option %d is nil", i)
		}
		if err := opt(&o); err != nil {
			return nil, fmt.Errorf("qiyuesuo: %w", err)
		}
	}
	o.Defaults(TestBaseURL, defaultRate)
	tc, err := transport.New(o.Settings, cfg.AppSecret, cfg.AppToken)
	if err != nil {
		return nil, fmt.Errorf("qiyuesuo: %w", err)
	}
	return &Client{tc: tc, token: cfg.AppToken, secret: cfg.AppSecret, prefix: o.prefix, legacy: o.legacy, nonce: newNonce}, nil
}
