package zhenling

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/transport"
)

// RetryPolicy says how often and how patiently calls that are safe to
// retry are retried: queries on network errors, 5xx and 429; writes only
// when they provably did not reach the server.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff; it doubles per attempt, with jitter.
	BaseDelay time.Duration
	// MaxDelay caps one backoff, and a server's Retry-After.
	MaxDelay time.Duration
}

// TokenStore shares access tokens between clients or processes (e.g. the
// redisstore module); the default keeps them in memory. Keys are
// "zhenling:<client id>"; nothing secret is in a key.
type TokenStore interface {
	// Get returns the token stored under key; a miss is "", zero time, nil.
	Get(ctx context.Context, key string) (value string, expiry time.Time, err error)
	// Set stores value until expiry; an empty value deletes the key.
	Set(ctx context.Context, key, value string, expiry time.Time) error
	// TryLock takes a short fetch lock on key for at most ttl, so that one
	// process fetches a token while the others wait and read it from Get.
	TryLock(ctx context.Context, key string, ttl time.Duration) (release func(context.Context) error, acquired bool, err error)
}

// RateLimiter paces requests, e.g. one shared by every replica. Keys are
// "zhenling:<client id>:all".
type RateLimiter interface {
	// Wait blocks until a request under key may go, or ctx ends.
	Wait(ctx context.Context, key string) error
}

// Deduper makes a callback handled once across redeliveries, replicas and
// crashes: the handler reserves a message's key before your func runs,
// commits it after your func succeeded, and releases it after a failure or
// panic, so that the platform's next delivery runs your func again.
type Deduper interface {
	// Reserve claims key for ttl. reserved=true: run the handler;
	// reserved=false, done=true: handled before (acknowledged again);
	// both false: another delivery is handling it right now.
	Reserve(ctx context.Context, key string, ttl time.Duration) (reserved, done bool, err error)
	// Commit marks key handled, remembered for ttl.
	Commit(ctx context.Context, key string, ttl time.Duration) error
	// Release drops a reservation that was not committed.
	Release(ctx context.Context, key string) error
}

// Option configures a Client; an invalid value makes NewClient fail.
type Option func(*options) error

type options struct {
	transport.Settings
	ops map[string]opOverride
}

type opOverride struct {
	invokeCode, domain, path string
	pageBase                 *int
}

// WithBaseURL overrides Config.BaseURL.
func WithBaseURL(u string) Option { return func(o *options) error { return o.SetBaseURL(u) } }

// WithHTTPClient sends requests through hc (copied, never modified).
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return o.SetHTTPClient(hc) }
}

// WithTransport sends requests through rt (e.g. an httpmock transport).
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error { return o.SetTransport(rt) }
}

// WithTimeout bounds each attempt (default 30 s); a download's timeout
// covers its headers, [WithIdleTimeout] its body.
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry sets the retry policy for calls that are safe to retry
// (default 3 attempts).
func WithRetry(p RetryPolicy) Option {
	return func(o *options) error { return o.SetRetry(transport.RetryPolicy(p)) }
}

// WithRateLimit limits the client to perSecond calls with the given burst
// (default: no limit, as Zhenling documents none).
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithRateLimiter paces calls with l instead of an in-process bucket, e.g.
// a limiter shared by every replica.
func WithRateLimiter(l RateLimiter) Option {
	return func(o *options) error { return o.SetRateLimiter(l) }
}

// WithLogger sends redacted debug/info logs to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now, e.g. to test token expiry.
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithTokenStore shares access tokens through st.
func WithTokenStore(st TokenStore) Option {
	return func(o *options) error { return o.SetTokenStore(st) }
}

// WithDeduper remembers handled callbacks in d, for handlers made with
// [Client.CallbackHandler] (default: in memory, per client).
func WithDeduper(d Deduper) Option {
	return func(o *options) error { return o.SetDeduper(d) }
}

// WithMaxResponseBytes caps the size of a JSON answer (default 32 MiB);
// a larger answer fails instead of filling memory.
func WithMaxResponseBytes(n int64) Option {
	return func(o *options) error { return o.SetMaxResponseBytes(n) }
}

// WithIdleTimeout fails a download whose body delivers no byte for d
// (default 60 s), even when the caller's ctx has no deadline.
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) error { return o.SetIdleTimeout(d) }
}

// WithOperation sets the HITF invoke code and domain of operation name (an
// entry of the endpoint index such as "3.27"; see [Operations]). Zhenling
// publishes most codes only to its customers, so every operation whose
// codes are not public must be configured this way before it is called;
// the documented ones may be overridden.
func WithOperation(name, invokeCode, domain string) Option {
	return func(o *options) error {
		if err := checkOpName(name); err != nil {
			return err
		}
		if strings.TrimSpace(invokeCode) == "" || strings.TrimSpace(domain) == "" {
			return fmt.Errorf("WithOperation(%q): invokeCode and domain: %s", name, required)
		}
		ov := o.ops[name]
		ov.invokeCode, ov.domain = invokeCode, domain
		o.ops[name] = ov
		return nil
	}
}

// WithOperationPath sends operation name to path (below BaseURL) instead of
// the HITF gateway. Use it for endpoints your tenant serves elsewhere, such
// as a file service for 3.4/3.15/3.11. An operation with a path needs no
// invoke code; a configured domain is still sent as ?domain=.
func WithOperationPath(name, path string) Option {
	return func(o *options) error {
		if err := checkOpName(name); err != nil {
			return err
		}
		if !strings.HasPrefix(path, "/") || transport.RelativePath(path) != nil {
			return fmt.Errorf("WithOperationPath(%q): path %q must be a path on the configured host, starting with /", name, path)
		}
		ov := o.ops[name]
		ov.path = path
		o.ops[name] = ov
		return nil
	}
}

// WithPageBase sets the number operation name gives its first page (0 or
// 1), overriding the documented default of [Operation.PageBase]. Use it
// when your tenant's script counts pages differently; requests keep
// counting from 0 in Go.
func WithPageBase(name string, base int) Option {
	return func(o *options) error {
		if err := checkOpName(name); err != nil {
			return err
		}
		if base != 0 && base != 1 {
			return fmt.Errorf("WithPageBase(%q): base must be one of 0, 1", name)
		}
		ov := o.ops[name]
		ov.pageBase = &base
		o.ops[name] = ov
		return nil
	}
}

// WithOperations applies WithOperation for each op, e.g. the table a fake
// server or a tenant configuration file provides. A non-zero PageBase is
// applied too (use [WithPageBase] to set 0 on an operation whose default
// is 1).
func WithOperations(ops ...Operation) Option {
	return func(o *options) error {
		for _, op := range ops {
			if err := WithOperation(op.Name, op.InvokeCode, op.Domain)(o); err != nil {
				return err
			}
			if op.Path != "" {
				if err := WithOperationPath(op.Name, op.Path)(o); err != nil {
					return err
				}
			}
			if op.PageBase != 0 {
				if err := WithPageBase(op.Name, op.PageBase)(o); err != nil {
					return err
				}
			}
		}
		return nil
	}
}
