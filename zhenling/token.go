package zhenling

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/google/go-querystring/query"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// fallbackTTL is assumed when the token response carries no expires_in.
const fallbackTTL = 10 * time.Minute

// Token is an OAuth2 access token (endpoint 1.1 获取 Token).
type Token struct {
	AccessToken string
	TokenType   string
	// Expiry is when the token expires (from expires_in); the client
	// fetches a new one ahead of it.
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
		return nil, nilContext()
	}
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, err
	}
	_, exp, _ := c.store.Get(ctx, c.tokens.Key())
	return &Token{AccessToken: tok, TokenType: "bearer", Expiry: exp}, nil
}

// tokenForm is the client_credentials grant, as a form body or query.
type tokenForm struct {
	GrantType    string `url:"grant_type"`
	ClientID     string `url:"client_id,omitempty"`
	ClientSecret string `url:"client_secret,omitempty"`
	Scope        string `url:"scope,omitempty"`
}

// fetchToken runs the client_credentials grant. It returns the token's
// real expiry; the cache refreshes ahead of it.
func (c *Client) fetchToken(ctx context.Context) (string, time.Time, error) {
	form := tokenForm{GrantType: "client_credentials", Scope: c.scope}
	req := &transport.Request{Op: OpToken, Method: http.MethodPost, Path: c.tokenPath, Idempotent: true,
		Header: http.Header{"Accept": {"application/json"}}}
	if c.tokenAuth == TokenAuthBasic {
		req.Header.Set("Authorization", "Basic "+basicAuth(c.clientID, string(c.secret)))
	} else {
		form.ClientID, form.ClientSecret = c.clientID, string(c.secret)
	}
	values, err := query.Values(form)
	if err != nil {
		return "", time.Time{}, &Error{Op: OpToken, Message: err.Error(), Err: err}
	}
	if c.tokenAuth == TokenAuthQuery {
		req.Query = values
	} else {
		req.Body, req.ContentType = []byte(values.Encode()), "application/x-www-form-urlencoded"
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
	ttl := time.Duration(tr.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = fallbackTTL
	}
	expiry := c.t.Now().Add(ttl)
	c.t.Redactor().Learn(tr.AccessToken, expiry)
	return tr.AccessToken, expiry, nil
}

func basicAuth(id, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}
