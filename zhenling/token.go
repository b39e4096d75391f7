package zhenling

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// tokenSkew is how long before expires_in a token is refreshed; short
// lifetimes use a tenth of their length instead.
const tokenSkew = 60 * time.Second

// fallbackTTL is assumed when the token response carries no expires_in.
const fallbackTTL = 10 * time.Minute

// Token is an OAuth2 access token (endpoint 1.1 获取 Token).
type Token struct {
	AccessToken string
	TokenType   string
	// Expiry is when the client stops using the token: expires_in minus a
	// safety margin.
	Expiry time.Time
}

type tokenResponse struct {
	AccessToken string      `json:"access_token"`
	TokenType   string      `json:"token_type"`
	ExpiresIn   flex.Int64  `json:"expires_in"`
	Scope       flex.String `json:"scope"`
}

// Token returns the current access token (1.1 获取 Token), fetching one
// with the client_credentials grant when none is cached. Every method
// calls it for you; use it to share the token with other code.
func (c *Client) Token(ctx context.Context) (*Token, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, err
	}
	_, exp, _ := c.store.Get(ctx, c.tokens.Key())
	return &Token{AccessToken: tok, TokenType: "bearer", Expiry: exp}, nil
}

// fetchToken runs the client_credentials grant.
func (c *Client) fetchToken(ctx context.Context) (string, time.Time, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if c.cfg.Scope != "" {
		form.Set("scope", c.cfg.Scope)
	}
	req := &transport.Request{Op: OpToken, Method: http.MethodPost, Path: c.cfg.TokenPath, Idempotent: true,
		Header: http.Header{"Accept": {"application/json"}}}
	switch c.cfg.TokenAuth {
	case TokenAuthQuery:
		form.Set("client_id", c.cfg.ClientID)
		form.Set("client_secret", c.cfg.ClientSecret)
		req.Query = form
	case TokenAuthBasic:
		req.Header.Set("Authorization", "Basic "+basicAuth(c.cfg.ClientID, c.cfg.ClientSecret))
		req.Body, req.ContentType = []byte(form.Encode()), "application/x-www-form-urlencoded"
	default:
		form.Set("client_id", c.cfg.ClientID)
		form.Set("client_secret", c.cfg.ClientSecret)
		req.Body, req.ContentType = []byte(form.Encode()), "application/x-www-form-urlencoded"
	}
	var tr tokenResponse
	req.Check = func(r *transport.Response) (transport.Verdict, error) {
		if r.StatusCode/100 == 2 && transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
			if err := json.Unmarshal(r.Body, &tr); err == nil && tr.AccessToken != "" {
				return transport.Final, nil
			}
		}
		_, v, err := decodeResponse(r)
		if err == nil {
			err = &Error{Code: "no_access_token", Message: "token response has no access_token", HTTPStatus: r.StatusCode, Raw: transport.Excerpt(r.Body)}
		}
		return v, err
	}
	if _, err := c.t.Do(ctx, req); err != nil {
		return "", time.Time{}, c.wrapErr(OpToken, err)
	}
	c.t.Redactor().Add(tr.AccessToken)
	ttl := time.Duration(tr.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = fallbackTTL
	}
	return tr.AccessToken, c.t.Now().Add(ttl - min(tokenSkew, ttl/10)), nil
}

func basicAuth(id, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}
