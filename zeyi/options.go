package zeyi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/transport"
)

// RetryPolicy says how often and how patiently a call is retried. Only
// failures where the gateway cannot have acted (connection refused, HTTP
// 429) are retried for audit/send and audit/cancel, which are not
// idempotent.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 turns retries off.
	MaxAttempts int
	// BaseDelay is the first backoff; it doubles per attempt, with jitter.
	BaseDelay time.Duration
	// MaxDelay caps one backoff and a server's Retry-After (0: 10 s).
	MaxDelay time.Duration
}

// RateLimiter decides when a request may be sent. The client calls Wait
// with the key "zeyi:<AppKey>:all" before every attempt; an implementation
// shared between processes (e.g. on Redis) makes replicas share one
// budget. Wait returns when the request may go, or the ctx's error.
type RateLimiter interface {
	Wait(ctx context.Context, key string) error
}

// Deduper makes a callback handled once across redeliveries and replicas
// (reserve → commit, or release). [NewCallbackHandler] reserves the
// message's key ("zeyi:<CallbackConfig.AppKey>:<message identity>")
// before the handler runs, commits it after the handler succeeded and
// releases it after a failure or panic, so that 则一's next delivery runs
// the handler again. Implementations must be safe for concurrent use.
type Deduper interface {
	// Reserve claims key for ttl. reserved=true: this delivery runs the
	// handler; reserved=false, done=true: handled before (acknowledged
	// again, handler not called); both false: another delivery is
	// handling it right now (answered 503, so 则一 retries later).
	Reserve(ctx context.Context, key string, ttl time.Duration) (reserved, done bool, err error)
	// Commit marks key handled, remembered for ttl.
	Commit(ctx context.Context, key string, ttl time.Duration) error
	// Release drops a reservation that was not committed.
	Release(ctx context.Context, key string) error
}

// Option configures a Client (and, for WithDeduper, WithLogger and
// WithClock, a callback handler). Invalid values are reported by
// [NewClient] instead of panicking.
type Option func(*options) error

type options struct {
	transport.Settings
	env Environment
}

// newOptions applies opts over the defaults: production gateway, 10
// requests per second, 30 s per attempt, 3 attempts.
func newOptions(opts []Option) (options, error) {
	o := options{env: Production}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return o, invalid("NewClient", errfmt.Describe(err))
		}
	}
	o.Defaults(o.env.baseURL(), defaultRateLimit())
	return o, nil
}

// WithEnvironment selects 则一's gateway: [Production] (the default) or
// [Test]. [WithBaseURL] wins over it, whatever the order.
func WithEnvironment(e Environment) Option {
	return func(o *options) error {
		if e.baseURL() == "" {
			return errorString("WithEnvironment: " + errfmt.OneOf(string(Production), string(Test)) + ", got " + string(e))
		}
		o.env = e
		return nil
	}
}

// WithBaseURL overrides the environment's gateway, e.g. with a zeyitest
// fake. It must be an absolute http(s) URL including the /tms-service-api
// prefix.
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sends requests through a copy of hc.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithTransport sets the http.RoundTripper (e.g. an httpmock transport).
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error { return o.SetTransport(rt) }
}

// WithTimeout bounds each attempt (default 30 s). An attempt that runs out
// of it fails with an error that satisfies errors.Is(err,
// context.DeadlineExceeded).
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry sets the retry policy (default 3 attempts, 200 ms doubling,
// at most 10 s); MaxAttempts 1 turns retries off.
func WithRetry(p RetryPolicy) Option {
	return func(o *options) error {
		return o.SetRetry(transport.RetryPolicy{MaxAttempts: p.MaxAttempts, BaseDelay: p.BaseDelay, MaxDelay: p.MaxDelay})
	}
}

// WithRateLimit limits requests per second with a burst; 0 turns it off.
// NaN, infinite and negative values are refused. The default, 10 per
// second with a burst of 10, is ours: 则一 documents no limit.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithRateLimiter replaces the in-process limiter, e.g. with one shared by
// every replica. The key it sees is "zeyi:<AppKey>:all".
func WithRateLimiter(l RateLimiter) Option {
	return func(o *options) error { return o.SetRateLimiter(l) }
}

// WithLogger logs requests, retries and callback failures to l after
// redaction (nil: silent). Bodies are logged at debug level only.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now for the timestamp header and the callback
// window (tests, signature vectors).
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithRandom replaces crypto/rand as the source of nonces, so a signature
// can be reproduced byte for byte (tests, support). Never use a
// predictable source in production.
func WithRandom(r io.Reader) Option { return func(o *options) error { return o.SetRandom(r) } }

// WithMaxResponseBytes caps the size of a gateway answer (default 32 MiB);
// a larger one fails instead of filling memory.
func WithMaxResponseBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxResponseBytes(n) }
}

// WithIdleTimeout fails a streamed body that makes no progress for d
// (default 60 s). zeyi's answers are small JSON envelopes bounded by
// WithTimeout; the option exists so every package takes the same set.
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) error { return o.SetIdleTimeout(d) }
}

// WithDeduper makes [NewCallbackHandler] remember handled callbacks in d
// (share one between replicas). CallbackConfig.Deduper, when set, wins.
// The default is an in-process store per handler.
func WithDeduper(d Deduper) Option {
	return func(o *options) error { return o.SetDeduper(d) }
}

// errorString is an option's complaint.
type errorString string

func (e errorString) Error() string { return string(e) }
