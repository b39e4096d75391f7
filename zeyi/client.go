package zeyi

import (
	"crypto/rand"
	"fmt"
	"io"
	"sync"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/transport"
)

// Base URLs of the gateway. Both include the /tms-service-api path prefix,
// so a base URL given with [WithBaseURL] must include it too.
const (
	// ProductionBaseURL is 则一's production gateway (生产环境), the default.
	ProductionBaseURL = "https://gw.shjiuze.cn/tms-service-api"
	// TestBaseURL is 则一's test environment (测试环境), chosen with
	// WithEnvironment(Test).
	TestBaseURL = "https://test.shjiuze.cn/tms-service-api"
)

// Environment selects one of 则一's gateways; see [WithEnvironment].
type Environment string

// Environments.
const (
	// Production is https://gw.shjiuze.cn, the default.
	Production Environment = "production"
	// Test is https://test.shjiuze.cn.
	Test Environment = "test"
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

// defaultRateLimit is the client-side request rate used unless
// WithRateLimit says otherwise. 则一 documents no limit; this is a
// conservative default of our own.
func defaultRateLimit() transport.RateLimit { return transport.RateLimit{PerSecond: 10, Burst: 10} }

// Client calls 则一's approval gateway. It is safe for concurrent use.
// Printing a Client with any fmt verb never shows the AppSecret.
type Client struct {
	tc     *transport.Client
	appKey string
	// secret sits behind a pointer: fmt prints nested pointers as
	// addresses and cannot call String on unexported fields.
	secret *redact.Secret
	cipher *Cipher   // nil when encryption is off
	random io.Reader // nonces; safe for concurrent use
}

// String shows the client's app key and gateway, never its secret.
func (c Client) String() string {
	base := ""
	if c.tc != nil {
		base = c.tc.BaseURL()
	}
	return fmt.Sprintf("zeyi.Client{AppKey: %q, AppSecret: %q, BaseURL: %q}", c.appKey, redact.Mask, base)
}

// Format prints String for every verb (%v, %+v, %#v, ...).
func (c Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// NewClient validates cfg and the options and returns a Client for the
// production gateway, or the one chosen with [WithEnvironment] or
// [WithBaseURL]. Every problem is an [*Error] with Op "NewClient" that
// wraps [ErrInvalidRequest] and names the field.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	o.Namespace = "zeyi:" + cfg.AppKey
	if o.Random != rand.Reader {
		o.Random = &lockedReader{r: o.Random} // a user's reader may not be safe for concurrent use
	}
	secret := redact.Secret(cfg.AppSecret)
	c := &Client{appKey: cfg.AppKey, secret: &secret, random: o.Random}
	secrets := []string{cfg.AppSecret}
	if cfg.Encryption != nil {
		ci, field, rule := newCipher(*cfg.Encryption, cfg.AppSecret)
		if rule != "" {
			return nil, invalid("NewClient", errfmt.Field("Config."+field, rule))
		}
		c.cipher = ci
		secrets = append(secrets, cfg.Encryption.AESSecret)
	}
	tc, err := transport.New(o.Settings, secrets...)
	if err != nil {
		return nil, &Error{Op: "NewClient", Message: errfmt.Describe(err), Err: err}
	}
	c.tc = tc
	return c, nil
}

// Cipher returns the cipher configured by Config.Encryption, or nil when
// encryption is off. Use it to decrypt values 则一 sends back encrypted.
func (c *Client) Cipher() *Cipher { return c.cipher }

// BaseURL returns the gateway root the client calls, including the
// /tms-service-api prefix.
func (c *Client) BaseURL() string { return c.tc.BaseURL() }

// lockedReader serialises reads from a source of randomness given with
// WithRandom, so one Client may sign from many goroutines.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
