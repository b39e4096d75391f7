package zhenling

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
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

func checkOpName(name string) error {
	if _, ok := indexByName[name]; !ok {
		return fmt.Errorf("unknown operation %q (see zhenling.Operations for the names)", name)
	}
	return nil
}

// String masks the client secret, so that printing a Config (with %v or
// %+v) never shows it.
func (c Config) String() string {
	return fmt.Sprintf("zhenling.Config{BaseURL:%q ClientID:%q ClientSecret:%s TokenPath:%q TokenAuth:%d Scope:%q}",
		c.BaseURL, c.ClientID, masked(c.ClientSecret), c.TokenPath, c.TokenAuth, c.Scope)
}

// GoString masks the client secret in %#v.
func (c Config) GoString() string { return c.String() }

// Format masks the client secret whatever the verb.
func (c Config) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

func masked(secret string) string {
	if secret == "" {
		return `""`
	}
	return redact.Mask
}

// Client calls the Zhenling open platform. It is safe for concurrent use.
// Printing it shows no secret: the client secret is kept in a holder that
// prints as ***.
type Client struct {
	clientID  string
	secret    redact.Secret
	tokenPath string
	tokenAuth TokenAuthStyle
	scope     string
	t         *transport.Client
	tokens    *token.Cache
	store     token.Store
	dedup     Deduper
	ops       map[string]Operation
	routes    map[string]route
	auth      atomic.Pointer[authHeader]

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

// String describes the client without any secret or token.
func (c *Client) String() string {
	if c == nil {
		return "zhenling.Client(nil)"
	}
	return fmt.Sprintf("zhenling.Client{ClientID:%q BaseURL:%q}", c.clientID, c.t.BaseURL())
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Format prints String whatever the verb, so that no verb walks into the
// client's fields (which hold the secret and the cached token).
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// configError is a Config or option refused by NewClient.
func configError(msg string) error {
	return &Error{Op: "NewClient", Message: strings.TrimPrefix(msg, "zhenling: "), Err: ErrInvalidRequest}
}

// NewClient validates cfg and the options and returns a client. It never
// contacts the server; the first call fetches a token. Every refusal is an
// *Error with Op "NewClient" naming the field, e.g.
// "zhenling: NewClient: Config.BaseURL: required".
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	o := &options{ops: map[string]opOverride{}}
	if strings.TrimSpace(cfg.BaseURL) != "" {
		if err := o.SetBaseURL(cfg.BaseURL); err != nil {
			return nil, configError("Config.BaseURL: " + err.Error())
		}
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(o); err != nil {
			return nil, configError(err.Error())
		}
	}
	if err := cfg.validate(o.BaseURL); err != nil {
		return nil, err
	}
	if cfg.TokenPath == "" {
		cfg.TokenPath = DefaultTokenPath
	}
	o.Namespace = "zhenling:" + cfg.ClientID
	o.Defaults("", transport.RateLimit{})
	t, err := transport.New(o.Settings, cfg.ClientSecret)
	if err != nil {
		return nil, configError(err.Error())
	}
	c := &Client{clientID: cfg.ClientID, secret: redact.Secret(cfg.ClientSecret), tokenPath: cfg.TokenPath,
		tokenAuth: cfg.TokenAuth, scope: cfg.Scope, t: t, store: o.TokenStore, dedup: o.Deduper, ops: buildOps(o.ops)}
	c.routes = make(map[string]route, len(c.ops))
	for name, op := range c.ops {
		c.routes[name] = routeOf(op)
	}
	c.tokens = token.NewCache("zhenling:"+cfg.ClientID, o.TokenStore, c.fetchToken, 0, o.Clock)
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

// validate checks cfg; baseURL is the effective one (WithBaseURL wins).
func (cfg Config) validate(baseURL string) error {
	switch {
	case baseURL == "":
		return configError("Config.BaseURL: " + required + " (the tenant's own OC host; there is no production default, the test host is " + TestBaseURL + ")")
	case errfmt.Blank(cfg.ClientID):
		return configError(errfmt.Field("Config.ClientID", required))
	case errfmt.Blank(cfg.ClientSecret):
		return configError(errfmt.Field("Config.ClientSecret", required))
	case cfg.TokenAuth < TokenAuthForm || cfg.TokenAuth > TokenAuthBasic:
		return configError(errfmt.Field("Config.TokenAuth", errfmt.OneOf("TokenAuthForm", "TokenAuthQuery", "TokenAuthBasic")))
	case cfg.TokenPath != "" && (!strings.HasPrefix(cfg.TokenPath, "/") || transport.RelativePath(cfg.TokenPath) != nil):
		return configError(errfmt.Field("Config.TokenPath", "must be a path starting with /"))
	}
	return nil
}

// nilContext is the error for a nil ctx.
func nilContext() error { return invalid("ctx", required) }

// Operation returns the effective configuration of operation name and
// whether it is known.
func (c *Client) Operation(name string) (Operation, bool) {
	op, ok := c.ops[name]
	return op, ok
}

// Invalidate drops the cached access token, so the next call fetches a new one.
func (c *Client) Invalidate(ctx context.Context) error { return c.tokens.Invalidate(ctx, "") }
