package essbasic

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

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

// Environment selects the platform's hosts.
type Environment int

const (
	// Production is the live platform (正式环境).
	Production Environment = iota
	// Test is the integration environment (联调环境).
	Test
)

func (e Environment) hosts() (api, file string) {
	if e == Test {
		return TestHost, TestFileHost
	}
	return ProductionHost, ProductionFileHost
}

// Config holds the platform's (渠道方) credentials and the default Agent.
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

// RetryPolicy says how often and how patiently a call is retried.
type RetryPolicy = transport.RetryPolicy

// Option configures a Client.
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

// WithEnvironment selects the production (default) or test hosts.
func WithEnvironment(e Environment) Option {
	return func(o *options) error {
		if e != Production && e != Test {
			return errors.New("environment: want Production or Test")
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

// WithTimeout bounds each attempt (default 30s).
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry sets how often rate-limited and failed calls are retried.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithRateLimit sets the client-side limit per action (default 20/s, burst
// 20); perSecond 0 turns it off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithLogger sends the client's logs, redacted, to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now, e.g. to sign with a fixed timestamp.
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithLanguage sets X-TC-Language: "zh-CN" (default) or "en-US".
func WithLanguage(lang string) Option {
	return func(o *options) error {
		if lang != "zh-CN" && lang != "en-US" {
			return errors.New("language: want zh-CN or en-US")
		}
		o.language = lang
		return nil
	}
}

// Client calls the essbasic API. It is safe for concurrent use.
type Client struct {
	tc       *transport.Client
	secretID string
	keys     *signingKeys
	token    string
	region   string
	language string
	apiBase  string
	fileBase string
	agent    *Agent
}

// NewClient validates cfg and returns a client. It never panics.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	switch {
	case strings.TrimSpace(cfg.SecretID) == "":
		return nil, errors.New("essbasic: Config.SecretID: required")
	case strings.TrimSpace(cfg.SecretKey) == "":
		return nil, errors.New("essbasic: Config.SecretKey: required")
	}
	if cfg.Agent != nil {
		if err := cfg.Agent.validate("Config.Agent"); err != nil {
			return nil, err
		}
	}
	o := options{language: "zh-CN"}
	for i, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("essbasic: option %d is nil", i)
		}
		if err := opt(&o); err != nil {
			return nil, errors.New("essbasic: " + err.Error())
		}
	}
	apiHost, fileHost := o.env.hosts()
	fileBase := o.fileBaseURL
	if fileBase == "" {
		fileBase = "https://" + fileHost
		if o.BaseURL != "" {
			fileBase = o.BaseURL // a proxy or fake serves both
		}
	}
	o.Defaults("https://"+apiHost, defaultRateLimit)
	tc, err := transport.New(o.Settings, cfg.SecretKey, cfg.Token)
	if err != nil {
		return nil, errors.New("essbasic: " + err.Error())
	}
	var agent *Agent
	if cfg.Agent != nil {
		a := *cfg.Agent // never share the caller's value
		agent = &a
	}
	return &Client{
		tc: tc, secretID: cfg.SecretID, keys: &signingKeys{secretKey: cfg.SecretKey}, token: cfg.Token, region: cfg.Region,
		language: o.language, apiBase: o.BaseURL, fileBase: fileBase, agent: agent,
	}, nil
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
