package kingdee

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hetong-go/hetong/internal/transport"
)

// RetryPolicy says how often and how patiently a call is retried. Writes
// (Save, Submit, Audit, ...) are never retried once they may have reached
// the server; every call is retried on MsgCode 14 (call limit).
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff; it doubles per attempt with jitter.
	BaseDelay time.Duration
	// MaxDelay caps one backoff.
	MaxDelay time.Duration
}

// TokenStore keeps login sessions (the login modes' kdservice-sessionid)
// so that several processes share one session. Keys look like
// "kingdee:session:<site>|<account>|<user>|<mode>" and hold nothing secret;
// the values are session ids. A Redis implementation is in the redisstore
// module.
type TokenStore interface {
	// Get returns the value stored under key; a miss is "", zero time, nil.
	Get(ctx context.Context, key string) (value string, expiry time.Time, err error)
	// Set stores value until expiry; an empty value deletes the key.
	Set(ctx context.Context, key, value string, expiry time.Time) error
	// TryLock takes a short fetch lock on key for at most ttl, so that one
	// process logs in while the others wait and read the stored session.
	TryLock(ctx context.Context, key string, ttl time.Duration) (release func(context.Context) error, acquired bool, err error)
}

// RateLimiter paces calls; a shared one makes replicas share a budget.
// Keys look like "kingdee:<account>:all".
type RateLimiter interface {
	// Wait blocks until a call under key may go, or ctx ends.
	Wait(ctx context.Context, key string) error
}

// Option configures a Client.
type Option func(*options) error

type options struct {
	transport.Settings
	millis bool
}

// WithBaseURL overrides Config.BaseURL.
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sends requests through a copy of hc; its Jar is replaced
// by the client's own cookie jar.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithTransport sets the round tripper (for proxies, tests, httpmock).
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error { return o.SetTransport(rt) }
}

// WithTimeout bounds each attempt (default 30 s).
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry sets the retry policy for reads and refused requests.
func WithRetry(p RetryPolicy) Option {
	return func(o *options) error {
		return o.SetRetry(transport.RetryPolicy{MaxAttempts: p.MaxAttempts, BaseDelay: p.BaseDelay, MaxDelay: p.MaxDelay})
	}
}

// WithRateLimit sets the client-side request rate (default
// DefaultRatePerSecond, DefaultRateBurst); perSecond 0 turns it off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithRateLimiter paces calls through l instead of the in-process limiter.
func WithRateLimiter(l RateLimiter) Option {
	return func(o *options) error { return o.SetRateLimiter(l) }
}

// WithLogger logs requests (redacted) to l; nil, the default, discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now, for the timestamps that are signed.
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithRandom replaces crypto/rand as the source of the x-api-nonce of
// signed headers, so that a signature can be reproduced byte for byte
// (with WithClock). r must be safe for concurrent use or used by one
// goroutine.
func WithRandom(r io.Reader) Option { return func(o *options) error { return o.SetRandom(r) } }

// WithMaxResponseBytes caps the size of one JSON answer (default 32 MiB);
// a query that returns more fails instead of exhausting memory.
func WithMaxResponseBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxResponseBytes(n) }
}

// WithIdleTimeout fails a streamed body that makes no progress for d
// (default 60 s).
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) error { return o.SetIdleTimeout(d) }
}

// WithTokenStore shares login sessions through st (login modes only).
func WithTokenStore(st TokenStore) Option {
	return func(o *options) error { return o.SetTokenStore(st) }
}

// WithMillisecondTimestamps sends x-api-timestamp in milliseconds, as the
// official Java and .NET SDKs do, instead of the Python SDK's seconds.
func WithMillisecondTimestamps() Option {
	return func(o *options) error { o.millis = true; return nil }
}
