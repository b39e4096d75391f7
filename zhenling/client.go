package zhenling

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/token"
	"github.com/hetong-go/hetong/internal/transport"
)

// TestBaseURL is Zhenling's public test host (oc-test). There is no
// production default: every tenant has its own host, so [Config.BaseURL]
// is required.
const TestBaseURL = "https://oc-test.onecontract-cloud.com"

// DefaultTokenPath is the HZERO OAuth2 token endpoint used when
// [Config.TokenPath] is empty. It is inferred from HZERO conventions, not
// from a Zhenling page; confirm it on your tenant.
const DefaultTokenPath = "/oauth/oauth/token"

// TokenAuthStyle says where the client credentials travel in the token request.
type TokenAuthStyle int

const (
	// TokenAuthForm sends grant_type, client_id and client_secret as an
	// application/x-www-form-urlencoded body (the default).
	TokenAuthForm TokenAuthStyle = iota
	// TokenAuthQuery sends them in the query string, as many HZERO samples do.
	// The secret is then masked in every log line and error.
	TokenAuthQuery
	// TokenAuthBasic sends client_id:client_secret as HTTP Basic
	// authentication and only grant_type in the form body.
	TokenAuthBasic
)

// Config holds what a Zhenling (甄零) client needs to authenticate.
type Config struct {
	// BaseURL is the tenant's OC host, e.g. TestBaseURL. Required.
	BaseURL string
	// ClientID and ClientSecret are the OAuth2 client_credentials pair
	// (客户端模式) issued by Zhenling. Required.
	ClientID     string
	ClientSecret string
	// TokenPath is the token endpoint below BaseURL (default DefaultTokenPath).
	TokenPath string
	// TokenAuth chooses how the credentials are sent (default TokenAuthForm).
	TokenAuth TokenAuthStyle
	// Scope, when set, is sent as the scope parameter (some HZERO
	// deployments want "default").
	Scope string
}

// RetryPolicy says how often and how patiently idempotent calls are retried.
type RetryPolicy = transport.RetryPolicy

// TokenStore shares access tokens between clients or processes (e.g. a
// Redis-backed store); the default keeps them in memory.
type TokenStore = token.Store

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

// WithTimeout bounds each attempt (default 30 s).
func WithTimeout(d time.Duration) Option { return func(o *options) error { return o.SetTimeout(d) } }

// WithRetry sets the retry policy for calls that are safe to retry.
func WithRetry(p RetryPolicy) Option { return func(o *options) error { return o.SetRetry(p) } }

// WithRateLimit limits the client to perSecond calls with the given burst
// (default: no limit, as Zhenling documents none).
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error { return o.SetRateLimit(perSecond, burst) }
}

// WithLogger sends redacted debug/info logs to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(o *options) error { return o.SetLogger(l) } }

// WithClock replaces time.Now, e.g. to test token expiry.
func WithClock(now func() time.Time) Option { return func(o *options) error { return o.SetClock(now) } }

// WithTokenStore shares access tokens through st.
func WithTokenStore(st TokenStore) Option {
	return func(o *options) error { return o.SetTokenStore(st) }
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
			return fmt.Errorf("zhenling: WithOperation(%q): invokeCode and domain must not be empty", name)
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
		if !strings.HasPrefix(path, "/") {
			return fmt.Errorf("zhenling: WithOperationPath(%q): path %q must start with /", name, path)
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
			return fmt.Errorf("zhenling: WithPageBase(%q): base must be one of 0, 1", name)
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

func checkOpName(name string) error {
	if _, ok := indexByName[name]; !ok {
		return fmt.Errorf("zhenling: unknown operation %q (see zhenling.Operations for the names)", name)
	}
	return nil
}

// Client calls the Zhenling open platform. It is safe for concurrent use.
type Client struct {
	cfg    Config
	t      *transport.Client
	tokens *token.Cache
	store  token.Store
	ops    map[string]Operation

	common service

	// Services, one per area of the endpoint index.
	Contracts   *ContractService    // 3.x 合同管理
	Files       *FileService        // 3.4/3.5/3.7/3.11/3.15 contract files
	Parties     *PartyService       // 2.1/2.2 相对方
	Org         *OrgService         // 4.x 组织/岗位/员工/值集
	Materials   *MaterialService    // 5.3 物料
	Fulfillment *FulfillmentService // 6.x 合同履行
	Workflow    *WorkflowService    // 7.x 工作流
}

type service struct{ c *Client }

// NewClient validates cfg and the options and returns a client. It never
// contacts the server; the first call fetches a token.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	o := &options{ops: map[string]opOverride{}}
	if strings.TrimSpace(cfg.BaseURL) != "" {
		if err := o.SetBaseURL(cfg.BaseURL); err != nil {
			return nil, fmt.Errorf("zhenling: Config.BaseURL: %w", err)
		}
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(o); err != nil {
			return nil, prefixed(err)
		}
	}
	switch {
	case o.BaseURL == "":
		return nil, errors.New("zhenling: Config.BaseURL: required (no production default; the test host is " + TestBaseURL + ")")
	case strings.TrimSpace(cfg.ClientID) == "":
		return nil, errors.New("zhenling: Config.ClientID: required")
	case strings.TrimSpace(cfg.ClientSecret) == "":
		return nil, errors.New("zhenling: Config.ClientSecret: required")
	case cfg.TokenAuth < TokenAuthForm || cfg.TokenAuth > TokenAuthBasic:
		return nil, fmt.Errorf("zhenling: Config.TokenAuth: unknown style %d", cfg.TokenAuth)
	}
	if cfg.TokenPath == "" {
		cfg.TokenPath = DefaultTokenPath
	}
	if !strings.HasPrefix(cfg.TokenPath, "/") {
		return nil, fmt.Errorf("zhenling: Config.TokenPath: %q must start with /", cfg.TokenPath)
	}
	o.Defaults("", transport.RateLimit{})
	t, err := transport.New(o.Settings, cfg.ClientSecret)
	if err != nil {
		return nil, prefixed(err)
	}
	c := &Client{cfg: cfg, t: t, store: o.TokenStore, ops: buildOps(o.ops)}
	c.tokens = token.NewCache("zhenling:"+o.BaseURL+":"+cfg.ClientID, o.TokenStore, c.fetchToken, 0, o.Clock)
	c.common.c = c
	c.Contracts = (*ContractService)(&c.common)
	c.Files = (*FileService)(&c.common)
	c.Parties = (*PartyService)(&c.common)
	c.Org = (*OrgService)(&c.common)
	c.Materials = (*MaterialService)(&c.common)
	c.Fulfillment = (*FulfillmentService)(&c.common)
	c.Workflow = (*WorkflowService)(&c.common)
	return c, nil
}

var errNilContext = errors.New("zhenling: nil context")

func prefixed(err error) error {
	if strings.HasPrefix(err.Error(), "zhenling:") {
		return err
	}
	return fmt.Errorf("zhenling: %w", err)
}

// Operation returns the effective configuration of operation name and
// whether it is known.
func (c *Client) Operation(name string) (Operation, bool) {
	op, ok := c.ops[name]
	return op, ok
}

// Invalidate drops the cached access token, so the next call fetches a new one.
func (c *Client) Invalidate(ctx context.Context) error { return c.tokens.Invalidate(ctx, "") }
