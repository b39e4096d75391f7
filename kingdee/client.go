package kingdee

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hetong-go/hetong/internal/sign"
	"github.com/hetong-go/hetong/internal/token"
	"github.com/hetong-go/hetong/internal/transport"
	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
)

// AuthMode selects how the client proves who it is.
type AuthMode int

// Authentication modes.
const (
	// AuthSignedHeaders signs every request with the X-Api-*/X-Kd-*
	// headers of 「第三方系统登录授权」 (the official SDKs' way, patch
	// PT136657 or later). Needs AcctID, Username, AppID, AppSecret.
	AuthSignedHeaders AuthMode = iota
	// AuthLoginBySign logs in once with a SHA-256 signature over the
	// credentials and a timestamp, then uses the cookie session.
	AuthLoginBySign
	// AuthLoginByAppSecret logs in with the app secret, then uses the
	// cookie session.
	AuthLoginByAppSecret
	// AuthValidateUser logs in with a user's password (not for new
	// integrations), then uses the cookie session. Needs Password.
	AuthValidateUser
	// AuthLoginBySimplePassport logs in with an integration passport (集成
	//密钥, the .cnf file an administrator exports), then uses the cookie
	// session. Needs Passport; AcctID and Username are inside the passport.
	AuthLoginBySimplePassport
	// AuthValidateUserEnDeCode is ValidateUser with the user name and
	// password DES-encoded as Kingdee's .NET client does (deprecated by
	// Kingdee; for old servers only). Needs Password.
	AuthValidateUserEnDeCode
)

var authModeNames = [...]string{"signed headers", "LoginBySign", "LoginByAppSecret", "ValidateUser",
	"LoginBySimplePassport", "ValidateUserEnDeCode"}

// String names the mode.
func (m AuthMode) String() string {
	if m >= 0 && int(m) < len(authModeNames) {
		return authModeNames[m]
	}
	return "AuthMode(" + strconv.Itoa(int(m)) + ")"
}

// DefaultLCID is zh-CN. 1033 is English, 3076 traditional Chinese.
const DefaultLCID = 2052

// DefaultRatePerSecond and DefaultRateBurst are the client-side limit
// when none is set. Kingdee documents none but answers MsgCode 14 (call
// limit) when pushed too hard.
const (
	DefaultRatePerSecond = 20
	DefaultRateBurst     = 20
)

// sessionTTL is how long a login session is reused before logging in
// again; the server keeps idle sessions longer than this.
const sessionTTL = 20 * time.Minute

// Config holds the credentials of one 金蝶云星空 account (账套) user.
type Config struct {
	// BaseURL is the customer's own site, e.g.
	// "https://erp.example.com/k3cloud/" (Kingdee's ServerUrl). Required,
	// there is no default host; WithBaseURL overrides it.
	BaseURL string
	// AcctID is the data centre (账套) id.
	AcctID string
	// Username is the integration user.
	Username string
	// AppID is "<clientId>_<32 chars>" from 第三方系统登录授权. Required
	// except for AuthValidateUser.
	AppID string
	// AppSecret goes with AppID. Required except for AuthValidateUser.
	AppSecret string
	// Password is the user's password, for AuthValidateUser and
	// AuthValidateUserEnDeCode only.
	Password string
	// Passport is the content of the integration passport file (集成密钥
	// .cnf), for AuthLoginBySimplePassport only; it is sent base64-encoded.
	Passport []byte
	// LCID is the language (default 2052, zh-CN).
	LCID int
	// OrgNum is the organisation number sent in X-Kd-Appdata (default "0").
	OrgNum string
	// Auth picks the authentication mode (default AuthSignedHeaders).
	Auth AuthMode
}

// Client calls one customer's 金蝶云星空 WebAPI. It is safe for concurrent use.
type Client struct {
	cfg     Config
	tc      *transport.Client
	signer  *kdsign.Signer // signed-header mode only
	session *token.Cache   // login modes only
	millis  bool

	randMu sync.Mutex
	random io.Reader // source of x-api-nonce
}

// NewClient validates cfg and builds a Client. It never panics.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, optionError(err)
		}
	}
	if o.BaseURL == "" {
		if strings.TrimSpace(cfg.BaseURL) == "" {
			return nil, configError("Config.BaseURL", "required (the customer's site, e.g. https://host/k3cloud/)")
		}
		if err := o.SetBaseURL(cfg.BaseURL); err != nil {
			return nil, configError("Config.BaseURL", errDescribe(err))
		}
	}
	if err := cfg.normalise(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, millis: o.millis}
	if cfg.Auth == AuthSignedHeaders {
		s, err := kdsign.NewSigner(cfg.identity())
		if err != nil {
			return nil, configError("Config.AppID", err.Error())
		}
		c.signer = s
	}
	jar, _ := cookiejar.New(nil) // never fails without options
	rj := &redactingJar{CookieJar: jar}
	o.CookieJar = rj
	o.Namespace = "kingdee:" + cfg.AcctID
	o.Defaults("", transport.RateLimit{PerSecond: DefaultRatePerSecond, Burst: DefaultRateBurst})
	c.random = o.Random
	tc, err := transport.New(o.Settings, cfg.secrets()...)
	if err != nil {
		return nil, optionError(err)
	}
	rj.red = tc.Redactor()
	c.tc = tc
	if cfg.Auth != AuthSignedHeaders {
		c.session = token.NewCache(cfg.sessionKey(tc.BaseURL()), o.TokenStore, c.login, 0, tc.Now)
	}
	return c, nil
}

func (cfg *Config) normalise() error {
	if cfg.Auth < AuthSignedHeaders || cfg.Auth > AuthValidateUserEnDeCode {
		return configError("Config.Auth", "must be one of the Auth* modes, got "+strconv.Itoa(int(cfg.Auth)))
	}
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	switch {
	case cfg.Auth == AuthLoginBySimplePassport && len(bytes.TrimSpace(cfg.Passport)) == 0:
		return configError("Config.Passport", "required for LoginBySimplePassport")
	case cfg.Auth != AuthLoginBySimplePassport && blank(cfg.AcctID):
		return configError("Config.AcctID", "required (the 账套 / data centre id)")
	case cfg.Auth != AuthLoginBySimplePassport && blank(cfg.Username):
		return configError("Config.Username", "required")
	case (cfg.Auth == AuthValidateUser || cfg.Auth == AuthValidateUserEnDeCode) && blank(cfg.Password):
		return configError("Config.Password", "required for "+cfg.Auth.String())
	case cfg.usesApp() && blank(cfg.AppID):
		return configError("Config.AppID", "required for "+cfg.Auth.String())
	case cfg.usesApp() && blank(cfg.AppSecret):
		return configError("Config.AppSecret", "required for "+cfg.Auth.String())
	case cfg.LCID < 0:
		return configError("Config.LCID", "must not be negative")
	}
	if cfg.LCID == 0 {
		cfg.LCID = DefaultLCID
	}
	if cfg.OrgNum == "" {
		cfg.OrgNum = "0"
	}
	return nil
}

// usesApp reports the modes that sign with AppID and AppSecret.
func (cfg *Config) usesApp() bool {
	return cfg.Auth == AuthSignedHeaders || cfg.Auth == AuthLoginBySign || cfg.Auth == AuthLoginByAppSecret
}

// secrets lists every credential the redactor must hide, in the forms
// they travel in.
func (cfg Config) secrets() []string {
	out := []string{cfg.AppSecret, cfg.Password}
	if _, key, err := kdsign.SplitAppID(cfg.AppID); err == nil {
		// The AppID's key part derives the X-Api-Signature key.
		api, _ := kdsign.APISecret(cfg.AppID)
		out = append(out, key, api)
	}
	if cfg.Auth == AuthValidateUserEnDeCode {
		out = append(out, kdsign.EnDeEncode(cfg.Password))
	}
	if len(cfg.Passport) > 0 {
		out = append(out, base64.StdEncoding.EncodeToString(cfg.Passport))
	}
	return out
}

// sessionKey names the login session in the token store: site, account,
// user and mode, nothing secret. A passport carries its account and user
// inside, so its key holds a short SHA-256 fingerprint of it instead.
func (cfg Config) sessionKey(baseURL string) string {
	who := cfg.AcctID + "|" + cfg.Username
	if cfg.Auth == AuthLoginBySimplePassport {
		who = "passport:" + sign.SHA256Hex(cfg.Passport)[:16]
	}
	return "kingdee:session:" + baseURL + "|" + who + "|" + cfg.Auth.String()
}

func (cfg Config) identity() kdsign.Identity {
	return kdsign.Identity{AcctID: cfg.AcctID, Username: cfg.Username, AppID: cfg.AppID,
		AppSecret: cfg.AppSecret, LCID: cfg.LCID, OrgNum: cfg.OrgNum}
}

// timestamp returns x-api-timestamp for one attempt.
func (c *Client) timestamp() string {
	now := c.tc.Now()
	if c.millis {
		return strconv.FormatInt(now.UnixMilli(), 10)
	}
	return strconv.FormatInt(now.Unix(), 10)
}

// nonce returns a fresh x-api-nonce: 32 hex characters, as the official
// .NET SDK sends (a uuid without dashes).
func (c *Client) nonce() (string, error) {
	var b [16]byte
	c.randMu.Lock()
	_, err := io.ReadFull(c.random, b[:])
	c.randMu.Unlock()
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
