// Package transport runs every HTTP call the SDK makes: it builds one resty
// client per platform client, signs the exact bytes it sends on every
// attempt, retries only what is safe to retry with capped, jittered,
// context-aware backoff, limits the request rate, streams downloads and
// uploads, and logs through the redactor.
package transport

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/token"
)

// Version is the SDK version sent in the User-Agent.
const Version = "0.1.0"

// UserAgent is the default User-Agent header.
const UserAgent = "hetong-go/" + Version

// DefaultTimeout bounds one attempt (until the whole body of a JSON call is
// read, or until the headers of a stream arrive).
const DefaultTimeout = 30 * time.Second

// DefaultIdleTimeout fails a streamed body (a download) that delivers no
// byte for this long, even when the caller's ctx has no deadline.
const DefaultIdleTimeout = 60 * time.Second

// RetryPolicy says how often and how patiently a call is retried.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff; it doubles per attempt with jitter.
	BaseDelay time.Duration
	// MaxDelay caps one backoff, and a server's Retry-After.
	MaxDelay time.Duration
}

// DefaultRetry is used when a client sets no policy.
var DefaultRetry = RetryPolicy{MaxAttempts: 3, BaseDelay: 200 * time.Millisecond, MaxDelay: 10 * time.Second}

// RateLimit is a token bucket. PerSecond 0 turns limiting off.
type RateLimit struct {
	PerSecond float64
	Burst     int
	// PerKey gives every call key (an action, an API path) its own bucket,
	// as platforms that limit per API expect.
	PerKey bool
}

// Settings are the options every platform client shares. The zero value is
// valid; platform packages fill their defaults with [Settings.Defaults] and
// expose each setter as a documented WithXxx option.
type Settings struct {
	BaseURL    string
	HTTPClient *http.Client
	Transport  http.RoundTripper
	Timeout    time.Duration
	Retry      RetryPolicy
	RateLimit  RateLimit
	Logger     *slog.Logger
	TokenStore token.Store
	Clock      func() time.Time
	UserAgent  string
	CookieJar  http.CookieJar
	// RateLimiter replaces the in-process limiter built from RateLimit
	// (a shared one makes replicas share a budget).
	RateLimiter RateLimiter
	// Namespace prefixes every rate-limit and token key: "<platform>:<app>".
	Namespace string
	// MaxBody caps a JSON answer (default DefaultMaxBody).
	MaxBody int64
	// IdleTimeout fails a streamed body that makes no progress for this
	// long (default DefaultIdleTimeout).
	IdleTimeout time.Duration
	// Random is the source of nonces and random prefixes (default crypto/rand).
	Random io.Reader
	// Deduper remembers handled callbacks (default: in-process).
	Deduper callback.Deduper

	retrySet, rateSet bool
}

// SetBaseURL sets the API root; it must be an absolute http(s) URL.
func (s *Settings) SetBaseURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("base URL %q: want an absolute http(s) URL", raw)
	}
	s.BaseURL = strings.TrimRight(u.String(), "/")
	return nil
}

// SetHTTPClient uses hc (copied, never modified) for every request.
func (s *Settings) SetHTTPClient(hc *http.Client) error {
	if hc == nil {
		return errors.New("HTTP client: must not be nil")
	}
	s.HTTPClient = hc
	return nil
}

// SetTransport uses rt as the round tripper.
func (s *Settings) SetTransport(rt http.RoundTripper) error {
	if rt == nil {
		return errors.New("transport: must not be nil")
	}
	s.Transport = rt
	return nil
}

// SetTimeout bounds each attempt; it must be positive.
func (s *Settings) SetTimeout(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("timeout: must be positive, got %v", d)
	}
	s.Timeout = d
	return nil
}

// SetRetry sets the retry policy. MaxAttempts must be at least 1; delays
// must not be negative.
func (s *Settings) SetRetry(p RetryPolicy) error {
	if p.MaxAttempts < 1 {
		return fmt.Errorf("retry: MaxAttempts must be at least 1, got %d", p.MaxAttempts)
	}
	if p.BaseDelay < 0 || p.MaxDelay < 0 {
		return errors.New("retry: delays must not be negative")
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = DefaultRetry.MaxDelay
	}
	s.Retry, s.retrySet = p, true
	return nil
}

// SetRateLimit sets the client-side limit; perSecond 0 turns it off.
func (s *Settings) SetRateLimit(perSecond float64, burst int) error {
	if math.IsNaN(perSecond) || math.IsInf(perSecond, 0) || perSecond < 0 || burst < 0 {
		return fmt.Errorf("rate limit: must not be negative (got %v/s, burst %d)", perSecond, burst)
	}
	if burst == 0 {
		burst = 1
	}
	s.RateLimit = RateLimit{PerSecond: perSecond, Burst: burst, PerKey: s.RateLimit.PerKey}
	s.rateSet = true
	return nil
}

// SetRateLimiter replaces the in-process limiter, e.g. with one shared
// between replicas.
func (s *Settings) SetRateLimiter(l RateLimiter) error {
	if l == nil {
		return errors.New("rate limiter: must not be nil")
	}
	s.RateLimiter = l
	return nil
}

// SetMaxResponseBytes caps the size of a JSON answer; it must be positive.
func (s *Settings) SetMaxResponseBytes(n int64) error {
	if n <= 0 {
		return fmt.Errorf("max response bytes: must be positive, got %d", n)
	}
	s.MaxBody = n
	return nil
}

// SetIdleTimeout fails a streamed body that makes no progress for d; it
// must be positive.
func (s *Settings) SetIdleTimeout(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("idle timeout: must be positive, got %v", d)
	}
	s.IdleTimeout = d
	return nil
}

// SetRandom uses r for nonces and random prefixes (tests and support
// reproduce a signature byte for byte with a fixed source).
func (s *Settings) SetRandom(r io.Reader) error {
	if r == nil {
		return errors.New("random source: must not be nil")
	}
	s.Random = r
	return nil
}

// SetDeduper remembers handled callbacks in d (share one between replicas).
func (s *Settings) SetDeduper(d callback.Deduper) error {
	if d == nil {
		return errors.New("deduper: must not be nil")
	}
	s.Deduper = d
	return nil
}

// SetLogger sends the SDK's logs to l (after redaction); nil discards them.
func (s *Settings) SetLogger(l *slog.Logger) error {
	s.Logger = l
	return nil
}

// SetTokenStore shares tokens through st.
func (s *Settings) SetTokenStore(st token.Store) error {
	if st == nil {
		return errors.New("token store: must not be nil")
	}
	s.TokenStore = st
	return nil
}

// SetClock replaces time.Now (for tests and signature vectors).
func (s *Settings) SetClock(now func() time.Time) error {
	if now == nil {
		return errors.New("clock: must not be nil")
	}
	s.Clock = now
	return nil
}

// SetUserAgent overrides the User-Agent header.
func (s *Settings) SetUserAgent(ua string) error {
	if strings.TrimSpace(ua) == "" {
		return errors.New("user agent: must not be empty")
	}
	s.UserAgent = ua
	return nil
}

// Defaults fills what the user did not set with the platform's defaults.
// baseURL may be empty for platforms without a default host.
func (s *Settings) Defaults(baseURL string, rate RateLimit) {
	if s.BaseURL == "" && baseURL != "" {
		s.BaseURL = strings.TrimRight(baseURL, "/")
	}
	if !s.retrySet {
		s.Retry = DefaultRetry
	}
	if !s.rateSet {
		s.RateLimit = rate
	} else {
		s.RateLimit.PerKey = rate.PerKey
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	if s.Clock == nil {
		s.Clock = time.Now
	}
	if s.UserAgent == "" {
		s.UserAgent = UserAgent
	}
	if s.TokenStore == nil {
		s.TokenStore = token.NewMemoryStore()
	}
	if s.MaxBody <= 0 {
		s.MaxBody = DefaultMaxBody
	}
	if s.IdleTimeout <= 0 {
		s.IdleTimeout = DefaultIdleTimeout
	}
	if s.Random == nil {
		s.Random = rand.Reader
	}
	if s.Deduper == nil {
		s.Deduper = callback.NewMemoryDeduper(s.Clock)
	}
}
