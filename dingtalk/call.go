package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// Paths of the token endpoints.
const (
	pathGetToken       = "/gettoken"
	pathOAuth2Token    = "/v1.0/oauth2/accessToken"
	newAPITokenHeader  = "x-acs-dingtalk-access-token"
	defaultTokenExpiry = 7200 * time.Second
)

// apiCall is one logical call to either host.
type apiCall struct {
	op         string // Op of errors and logs; the path when empty
	path       string
	method     string // default POST
	newAPI     bool   // api.dingtalk.com with the header token
	query      url.Values
	body       any // marshalled once; nil sends no body
	idempotent bool
	anonymous  bool   // no token (token endpoints, the Stream gateway)
	rateKey    string // rate-limit bucket; the path when empty
}

func (k *apiCall) name() string {
	if k.op != "" {
		return k.op
	}
	return k.path
}

// call runs k with a cached token (refreshed and retried once when the
// platform rejects it) and decodes the response body into out.
func (c *Client) call(ctx context.Context, k apiCall, out any) error {
	op := k.name()
	if ctx == nil {
		return &Error{Op: op, Message: "nil context", red: c.tc.Redactor()}
	}
	var body []byte
	if k.body != nil {
		var err error
		if body, err = json.Marshal(k.body); err != nil {
			return &Error{Op: op, Message: "cannot encode request", Err: err, red: c.tc.Redactor()}
		}
	}
	if k.anonymous {
		resp, err := c.tc.Do(ctx, c.request(k, body, ""))
		if err != nil {
			return c.wrapErr(op, err)
		}
		return c.decode(op, resp.Body, out)
	}
	cache := c.oldTok
	if k.newAPI {
		cache = c.newTok
	}
	var raw []byte
	err := cache.Do(ctx, func(tok string) error {
		resp, err := c.tc.Do(ctx, c.request(k, body, tok))
		if err != nil {
			return err
		}
		raw = resp.Body
		return nil
	}, isAuthError)
	if err != nil {
		return c.wrapErr(op, err)
	}
	return c.decode(op, raw, out)
}

// request builds the transport request for one attempt with token tok.
func (c *Client) request(k apiCall, body []byte, tok string) *transport.Request {
	req := &transport.Request{
		Op: k.name(), Method: k.method, Path: k.path, Body: body, Idempotent: k.idempotent,
		Query: url.Values{}, Header: http.Header{}, RateKey: k.rateKey,
	}
	if req.Method == "" {
		req.Method = http.MethodPost
	}
	if body != nil {
		req.ContentType = "application/json"
	}
	for key, v := range k.query {
		req.Query[key] = v
	}
	if k.newAPI {
		req.BaseURL, req.Check = c.newBase, checkNew
		if tok != "" {
			req.Header.Set(newAPITokenHeader, tok)
		}
	} else {
		req.Check = checkOld
		if tok != "" {
			req.Query.Set("access_token", tok)
		}
	}
	return req
}

func (c *Client) decode(op string, raw []byte, out any) error {
	if out == nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if r, ok := out.(*json.RawMessage); ok { // the check already parsed it as JSON
		*r = raw
		return nil
	}
	if err := flex.UnmarshalLenient(raw, out); err != nil {
		return &Error{Op: op, Message: "cannot decode response", Err: err, red: c.tc.Redactor()}
	}
	return nil
}

// fetchOldToken calls GET /gettoken (old host).
func (c *Client) fetchOldToken(ctx context.Context) (string, time.Time, error) {
	var out struct {
		AccessToken string     `json:"access_token"`
		ExpiresIn   flex.Int64 `json:"expires_in"`
	}
	req := &transport.Request{
		Op: pathGetToken, Method: http.MethodGet, Path: pathGetToken, Idempotent: true, Check: checkOld,
		Query: url.Values{"appkey": {c.appKey}, "appsecret": {string(c.appSecret)}},
	}
	return c.fetchToken(ctx, req, &out, func() (string, int64) { return out.AccessToken, int64(out.ExpiresIn) })
}

// fetchNewToken calls POST /v1.0/oauth2/accessToken (new host).
func (c *Client) fetchNewToken(ctx context.Context) (string, time.Time, error) {
	var out struct {
		AccessToken string     `json:"accessToken"`
		ExpireIn    flex.Int64 `json:"expireIn"`
	}
	body, _ := json.Marshal(map[string]string{"appKey": c.appKey, "appSecret": string(c.appSecret)})
	req := &transport.Request{
		Op: pathOAuth2Token, Path: pathOAuth2Token, BaseURL: c.newBase, Body: body,
		ContentType: "application/json", Idempotent: true, Check: checkNew,
	}
	return c.fetchToken(ctx, req, &out, func() (string, int64) { return out.AccessToken, int64(out.ExpireIn) })
}

// fetchToken runs a token request, decodes it and registers the token with
// the redactor so it never shows in a log line or error.
func (c *Client) fetchToken(ctx context.Context, req *transport.Request, out any, get func() (string, int64)) (string, time.Time, error) {
	resp, err := c.tc.Do(ctx, req)
	if err != nil {
		return "", time.Time{}, c.wrapErr(req.Path, err)
	}
	if err := c.decode(req.Path, resp.Body, out); err != nil {
		return "", time.Time{}, err
	}
	tok, secs := get()
	if tok == "" {
		return "", time.Time{}, &Error{Op: req.Path, Message: "token response without a token", red: c.tc.Redactor()}
	}
	c.tc.Redactor().Add(tok)
	ttl := time.Duration(secs) * time.Second
	if ttl <= 0 {
		ttl = defaultTokenExpiry
	}
	return tok, c.tc.Now().Add(ttl), nil
}

// oldEnvelope is the errcode envelope of every oapi response, plus the
// fields of the anti-bot page that carries no errcode.
type oldEnvelope struct {
	ErrCode   *flex.Int64 `json:"errcode"`
	ErrMsg    string      `json:"errmsg"`
	SubCode   flex.String `json:"sub_code"`
	SubMsg    string      `json:"sub_msg"`
	RequestID string      `json:"request_id"`
	Punish    string      `json:"punish"`
}

// checkOld turns an oapi response into success or an *Error and says
// whether it may be retried. It branches on errcode, never on errmsg.
func checkOld(r *transport.Response) (transport.Verdict, error) {
	if v, err := checkNotJSON(r); err != nil {
		return v, err
	}
	var env oldEnvelope
	if err := json.Unmarshal(r.Body, &env); err != nil {
		return transport.RetryIfIdempotent, &transport.Error{Kind: transport.KindDecode, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body), Err: err}
	}
	if env.ErrCode == nil {
		if env.Punish != "" {
			return transport.RetrySafe, &Error{Message: "blocked by DingTalk's anti-bot gate (punish=" + env.Punish + ")", HTTPStatus: r.StatusCode}
		}
		if r.StatusCode/100 == 2 { // not DingTalk's envelope: never a success
			return transport.RetryIfIdempotent, &transport.Error{Kind: transport.KindDecode, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body),
				Err: errors.New("answer without errcode")}
		}
		return transport.DefaultCheck(r)
	}
	if *env.ErrCode == 0 {
		return transport.DefaultCheck(r)
	}
	code := strconv.FormatInt(int64(*env.ErrCode), 10)
	msg := env.ErrMsg
	if env.SubMsg != "" {
		msg = env.SubMsg
	}
	e := &Error{Code: code, SubCode: string(env.SubCode), Message: msg, RequestID: env.RequestID, HTTPStatus: r.StatusCode}
	switch code {
	case CodeSystemBusy:
		return transport.RetryIfIdempotent, e
	case CodeRateLimitGlobal, CodeRateLimitApp, CodeRateLimitISV:
		return transport.RetrySafe, e
	}
	return transport.Final, e
}

// checkNew handles the new API: 2xx is success, anything else carries
// {code, message, requestid}.
func checkNew(r *transport.Response) (transport.Verdict, error) {
	if len(bytes.TrimSpace(r.Body)) == 0 && r.StatusCode/100 == 2 {
		return transport.Final, nil
	}
	if v, err := checkNotJSON(r); err != nil {
		return v, err
	}
	if r.StatusCode/100 == 2 {
		return transport.Final, nil
	}
	var env struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"requestid"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Code == "" {
		return transport.DefaultCheck(r)
	}
	e := &Error{Code: env.Code, Message: env.Message, RequestID: env.RequestID, HTTPStatus: r.StatusCode}
	if r.StatusCode == http.StatusTooManyRequests || strings.HasPrefix(env.Code, "Throttling") || strings.Contains(env.Code, "QpsLimit") {
		return transport.RetrySafe, e
	}
	return transport.StatusVerdict(r.StatusCode), e
}

// checkNotJSON rejects HTML and text bodies (proxy pages, the anti-bot
// block page). Such a page may come from a gateway in front of DingTalk, so
// reads are retried; writes are not, as the platform may have acted.
func checkNotJSON(r *transport.Response) (transport.Verdict, error) {
	if transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		return transport.Final, nil
	}
	v := transport.StatusVerdict(r.StatusCode)
	if v == transport.Final {
		v = transport.RetryIfIdempotent
	}
	return v, &transport.Error{Kind: transport.KindNotJSON, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body)}
}
