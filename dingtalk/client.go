package dingtalk

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/token"
	"github.com/hetong-go/hetong/internal/transport"
)

// Production hosts of the two API families. DingTalk has no public test
// host: test against a test organisation (测试企业) with its own app, or
// point [WithBaseURL] and [WithNewAPIBaseURL] at the dingtalktest fake.
// So there is no WithEnvironment option in this package.
const (
	// DefaultBaseURL is the old API host (topapi, ?access_token=).
	DefaultBaseURL = "https://oapi.dingtalk.com"
	// DefaultNewAPIBaseURL is the new API host (/v1.0, header token).
	DefaultNewAPIBaseURL = "https://api.dingtalk.com"
)

// defaultRateLimit is DingTalk's documented limit for an internal app on
// the standard edition: 20 QPS per app per API. The SDK keeps one bucket per
// API path.
func defaultRateLimit() transport.RateLimit {
	return transport.RateLimit{PerSecond: 20, Burst: 20, PerKey: true}
}

// RetryPolicy says how often and how patiently a call is retried.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff; it doubles per attempt with jitter.
	BaseDelay time.Duration
	// MaxDelay caps one backoff, and a server's Retry-After.
	MaxDelay time.Duration
}

// TokenStore keeps access tokens; share one (e.g. backed by Redis)
// between processes so they do not each fetch their own. The SDK passes
// the keys "dingtalk:<AppKey>:oapi" and "dingtalk:<AppKey>:api" (the two
// families' tokens), never a secret. Tokens are never written to files by
// default.
type TokenStore interface {
	// Get returns a token and its expiry; a miss is "", zero time, nil.
	Get(ctx context.Context, key string) (value string, expiry time.Time, err error)
	// Set stores a token until expiry; an empty value deletes the key.
	Set(ctx context.Context, key, value string, expiry time.Time) error
	// TryLock takes a short cross-process lock before a fetch, so that one
	// process fetches while the others poll Get.
	TryLock(ctx context.Context, key string, ttl time.Duration) (release func(context.Context) error, acquired bool, err error)
}

// RateLimiter decides when a request may be sent; share one between
// replicas so that they share DingTalk's budget. Keys are
// "dingtalk:<AppKey>:<API path>".
type RateLimiter interface {
	// Wait blocks until a request under key may be sent, or ctx ends.
	Wait(ctx context.Context, key string) error
}

// Deduper remembers handled callback messages, so that a message DingTalk
// pushes again is acknowledged without running the handler twice. Keys are
// "dingtalk:<owner key>:<message identity>".
type Deduper interface {
	// Reserve claims key for the delivery about to run the handler:
	// reserved=true runs it; done=true means it was handled before
	// (acknowledge again); neither means another delivery is handling it.
	Reserve(ctx context.Context, key string, ttl time.Duration) (reserved, done bool, err error)
	// Commit records key as handled, after the handler succeeded.
	Commit(ctx context.Context, key string, ttl time.Duration) error
	// Release forgets a reservation after the handler failed or panicked.
	Release(ctx context.Context, key string) error
}

// Config holds an app's credentials (开发者后台 → 应用凭证). Printing it
// with any verb masks the secret.
type Config struct {
	AppKey    string // AppKey (Client ID)
	AppSecret string // AppSecret (Client Secret); masked when printed
}

// String masks the secret.
func (c Config) String() string {
	return fmt.Sprintf("{AppKey:%s AppSecret:%s}", c.AppKey, redact.Mask)
}

// GoString masks the secret in %#v.
func (c Config) GoString() string {
	return fmt.Sprintf("dingtalk.Config{AppKey:%q, AppSecret:%q}", c.AppKey, redact.Mask)
}

// Format masks the secret for every verb (%v, %+v, %#v, %s).
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, c.GoString())
		return
	}
	_, _ = io.WriteString(f, c.String())
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
func WithRetry(p RetryPolicy) Option {
	return func(o *options) error { return o.SetRetry(transport.RetryPolicy(p)) }
}

// WithRateLimit sets the client-side limit per API path (default 20/s,
// burst 20); perSecond 0 turns it off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithRateLimiter replaces the in-process limiter, e.g. with one shared
// between replicas.
func WithRateLimiter(l RateLimiter) Option {
	return func(o *options) error { return o.SetRateLimiter(l) }
}

// WithLogger logs requests (at debug level) and retries to l, redacted.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now: token expiry, and the timestamps of the
// callback handler built with [Client.NewCallbackHandler].
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithRandom replaces crypto/rand as the source of the 16-byte random
// prefix of encrypted callback replies (built with
// [Client.NewCallbackHandler]), so that a reply can be reproduced byte for
// byte.
func WithRandom(r io.Reader) Option { return func(o *options) error { return o.SetRandom(r) } }

// WithMaxResponseBytes caps the size of a JSON answer (default 32 MiB).
func WithMaxResponseBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxResponseBytes(n) }
}

// WithIdleTimeout fails a download that makes no progress for d
// (default 60 s).
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) error { return o.SetIdleTimeout(d) }
}

// WithTokenStore keeps access tokens in st instead of process memory.
func WithTokenStore(st TokenStore) Option {
	return func(o *options) error { return o.SetTokenStore(st) }
}

// WithDeduper remembers handled callbacks in d (default: in process
// memory) for the handlers built with [Client.NewCallbackHandler]; share
// one between replicas behind a load balancer.
func WithDeduper(d Deduper) Option {
	return func(o *options) error { return o.SetDeduper(d) }
}

// Client calls the DingTalk open platform for one app. It is safe for
// concurrent use. Printing it shows no secret.
type Client struct {
	appKey    string
	appSecret redact.Secret
	tc        *transport.Client
	newBase   string
	oldTok    *token.Cache
	newTok    *token.Cache
	clock     func() time.Time
	random    io.Reader
	deduper   callback.Deduper
	logger    *slog.Logger
}

// NewClient validates cfg and the options and returns a Client. It never
// panics; a missing credential is an *Error naming the field, e.g.
// "dingtalk: NewClient: Config.AppSecret: required".
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	const op = "NewClient"
	cfg.AppKey = strings.TrimSpace(cfg.AppKey)
	if cfg.AppKey == "" {
		return nil, &Error{Op: op, Message: errfmt.Field("Config.AppKey", errfmt.Required), Err: ErrInvalidRequest}
	}
	if errfmt.Blank(cfg.AppSecret) {
		return nil, &Error{Op: op, Message: errfmt.Field("Config.AppSecret", errfmt.Required), Err: ErrInvalidRequest}
	}
	var o options
	o.Namespace = "dingtalk:" + cfg.AppKey
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, &Error{Op: op, Message: err.Error(), Err: ErrInvalidRequest}
		}
	}
	o.Defaults(DefaultBaseURL, defaultRateLimit())
	if o.newBase == "" {
		o.newBase = DefaultNewAPIBaseURL
	}
	tc, err := transport.New(o.Settings, cfg.AppSecret)
	if err != nil {
		return nil, &Error{Op: op, Message: errfmt.Describe(err), Err: err}
	}
	c := &Client{appKey: cfg.AppKey, appSecret: redact.Secret(cfg.AppSecret), tc: tc, newBase: o.newBase,
		clock: o.Clock, random: o.Random, deduper: o.Deduper, logger: o.Logger}
	c.oldTok = token.NewCache(o.Namespace+":oapi", o.TokenStore, c.fetchOldToken, 0, o.Clock)
	c.newTok = token.NewCache(o.Namespace+":api", o.TokenStore, c.fetchNewToken, 0, o.Clock)
	return c, nil
}

// String describes the client without its secret or tokens.
func (c *Client) String() string {
	if c == nil {
		return "dingtalk.Client(nil)"
	}
	return fmt.Sprintf("dingtalk.Client{AppKey:%s, AppSecret:%s, BaseURL:%s, NewAPIBaseURL:%s}", c.appKey, redact.Mask, c.tc.BaseURL(), c.newBase)
}

// Format prints [Client.String] for every verb: fmt would otherwise show
// unexported fields (the secret, cached tokens) with %v, %+v and %#v.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }
