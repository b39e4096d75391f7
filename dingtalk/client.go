package dingtalk

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/token"
	"github.com/hetong-go/hetong/internal/transport"
)

// Default hosts of the two API families.
const (
	// DefaultBaseURL is the old API host (topapi, ?access_token=).
	DefaultBaseURL = "https://oapi.dingtalk.com"
	// DefaultNewAPIBaseURL is the new API host (/v1.0, header token).
	DefaultNewAPIBaseURL = "https://api.dingtalk.com"
)

// defaultRateLimit is DingTalk's documented limit for an internal app on
// the standard edition: 20 QPS per app per API. The SDK keeps one bucket per
// API path.
var defaultRateLimit = transport.RateLimit{PerSecond: 20, Burst: 20, PerKey: true}

// tokenRefreshAhead is how long before expiry a token is replaced.
const tokenRefreshAhead = 5 * time.Minute

// RetryPolicy says how often and how patiently a call is retried.
type RetryPolicy = transport.RetryPolicy

// TokenStore keeps access tokens; share one (e.g. backed by Redis) between
// processes so they do not each fetch their own. Tokens are never written to
// files by default.
type TokenStore = token.Store

// Config holds an app's credentials (开发者后台 → 应用凭证).
type Config struct {
	AppKey    string // AppKey (Client ID)
	AppSecret string // AppSecret (Client Secret)
}

// Option configures a [Client].
type Option func(*options) error

type options struct {
	transport.Settings
	newBase string
}

// WithBaseURL replaces the old API host https://oapi.dingtalk.com.
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithNewAPIBaseURL replaces the new API host https://api.dingtalk.com.
func WithNewAPIBaseURL(u string) Option {
	return func(o *options) error {
		var s transport.Settings
		if err := s.SetBaseURL(u); err != nil {
			return err
		}
		o.newBase = s.BaseURL
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithTransport sends requests through rt.
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error { return o.SetTransport(rt) }
}

// WithTimeout bounds each attempt (default 30 s).
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry sets how failed calls are retried. Reads are retried on
// network errors, 5xx and errcode -1; any call on rate-limit codes.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithRateLimit sets the client-side limit per API path (default 20/s,
// burst 20); perSecond 0 turns it off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithLogger logs requests (at debug level) and retries to l, redacted.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now (token expiry, tests).
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithTokenStore keeps access tokens in st instead of process memory.
func WithTokenStore(st TokenStore) Option {
	return func(o *options) error { return o.SetTokenStore(st) }
}

// Client calls the DingTalk open platform for one app. It is safe for
// concurrent use.
type Client struct {
	cfg     Config
	tc      *transport.Client
	newBase string
	oldTok  *token.Cache
	newTok  *token.Cache
}

// NewClient validates cfg and the options and returns a Client. It never
// panics; a missing credential is an error naming the field.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	cfg.AppKey = strings.TrimSpace(cfg.AppKey)
	if cfg.AppKey == "" {
		return nil, errors.New("dingtalk: Config.AppKey: must not be empty")
	}
	if cfg.AppSecret == "" {
		return nil, errors.New("dingtalk: Config.AppSecret: must not be empty")
	}
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, errors.New("dingtalk: " + err.Error())
		}
	}
	o.Defaults(DefaultBaseURL, defaultRateLimit)
	if o.newBase == "" {
		o.newBase = DefaultNewAPIBaseURL
	}
	tc, err := transport.New(o.Settings, cfg.AppSecret)
	if err != nil {
		return nil, errors.New("dingtalk: " + err.Error())
	}
	c := &Client{cfg: cfg, tc: tc, newBase: o.newBase}
	c.oldTok = token.NewCache("dingtalk:oapi:"+cfg.AppKey, o.TokenStore, c.fetchOldToken, tokenRefreshAhead, o.Clock)
	c.newTok = token.NewCache("dingtalk:api:"+cfg.AppKey, o.TokenStore, c.fetchNewToken, tokenRefreshAhead, o.Clock)
	return c, nil
}
