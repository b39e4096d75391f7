package kingdee

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
)

// validateUserBody is ValidateUser's object form.
type validateUserBody struct {
	AcctID   string `json:"acctID"`
	Username string `json:"username"`
	Password string `json:"password"`
	LCID     int    `json:"lcid"`
}

// parameters is the positional body form of the AuthService calls.
type parameters struct {
	Parameters []any `json:"parameters"`
}

// loginResult is the answer of every login call.
type loginResult struct {
	Message         flex.String `json:"Message"`
	MessageCode     flex.String `json:"MessageCode"`
	LoginResultType flex.Int64  `json:"LoginResultType"`
	KDSVCSessionID  flex.String `json:"KDSVCSessionId"`
	IsSuccessByAPI  flex.Bool   `json:"IsSuccessByAPI"`
}

// loginCall builds the login request of the client's mode.
func (c *Client) loginCall() call {
	cfg := c.cfg
	k := call{op: "Login", idempotent: true, noSession: true}
	switch cfg.Auth {
	case AuthValidateUser:
		k.service = authService + "ValidateUser"
		k.payload = validateUserBody{cfg.AcctID, cfg.Username, cfg.Password, cfg.LCID}
	case AuthLoginByAppSecret:
		k.service = authService + "LoginByAppSecret"
		k.payload = parameters{[]any{cfg.AcctID, cfg.Username, cfg.AppID, cfg.AppSecret, cfg.LCID}}
	case AuthLoginBySimplePassport:
		k.service = authService + "LoginBySimplePassport"
		k.payload = parameters{[]any{base64.StdEncoding.EncodeToString(cfg.Passport), cfg.LCID}}
	case AuthValidateUserEnDeCode:
		k.service = authService + "ValidateUserEnDeCode"
		k.payload = parameters{[]any{cfg.AcctID, kdsign.EnDeEncode(cfg.Username), kdsign.EnDeEncode(cfg.Password), cfg.LCID}}
	default: // AuthLoginBySign
		// The timestamp is signed as text but sent as a JSON number, as
		// Kingdee's own SDKs send it.
		ts := c.tc.Now().Unix()
		sig := LoginSignature(cfg.AcctID, cfg.Username, cfg.AppID, cfg.AppSecret, ts)
		k.service = authService + "LoginBySign"
		k.payload = parameters{[]any{cfg.AcctID, cfg.Username, cfg.AppID, ts, sig, cfg.LCID}}
	}
	return k
}

// login is the session cache's fetch: it logs in and returns the session
// id; the cookie jar keeps the cookies that come with it.
func (c *Client) login(ctx context.Context) (string, time.Time, error) {
	k := c.loginCall()
	body, err := c.exec(ctx, k)
	if err != nil {
		return "", time.Time{}, err
	}
	var res loginResult
	if err := c.decode(k.op, body, &res); err != nil {
		return "", time.Time{}, err
	}
	if res.LoginResultType != 1 || res.KDSVCSessionID == "" {
		msg := string(res.Message)
		if msg == "" {
			msg = "login refused"
		}
		return "", time.Time{}, &Error{Op: k.op, HTTPStatus: 200, Message: msg + " (LoginResultType " +
			strconv.FormatInt(int64(res.LoginResultType), 10) + ")", auth: true, red: c.tc.Redactor()}
	}
	sid := string(res.KDSVCSessionID)
	c.tc.Redactor().Add(sid)
	return sid, c.tc.Now().Add(sessionTTL), nil
}

// LogoutResponse is the answer of Logout.
type LogoutResponse struct {
	// Raw is the server's answer (usually true).
	Raw json.RawMessage
}

// Logout ends the login session (login modes); the next call logs in
// again. In signed-header mode it ends the server-side session the
// signature created.
func (c *Client) Logout(ctx context.Context) (*LogoutResponse, error) {
	body, err := c.exec(ctx, call{op: "Logout", service: authService + "Logout", payload: struct{}{}, allowEmpty: true})
	if c.session != nil && ctx != nil {
		_ = c.session.Invalidate(ctx, "")
	}
	if err != nil {
		return nil, err
	}
	return &LogoutResponse{Raw: json.RawMessage(body)}, nil
}

// DataCenter is one 账套 on the server.
type DataCenter struct {
	// ID is the value for Config.AcctID.
	ID string
	// Number is the data centre's number.
	Number string
	// Name is its display name.
	Name string
	// Raw is the whole entry as sent.
	Raw json.RawMessage
}

// DataCentersResponse lists the data centres.
type DataCentersResponse struct {
	// DataCenters are listed in the server's order.
	DataCenters []DataCenter
}

// GetDataCenterList lists the server's data centres (账套); AcctID is one
// of their IDs.
func (c *Client) GetDataCenterList(ctx context.Context) (*DataCentersResponse, error) {
	k := call{op: "GetDataCenterList", service: accountService + "GetDataCenterList", payload: struct{}{}, idempotent: true}
	body, err := c.exec(ctx, k)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if err := c.decode(k.op, body, &raws); err != nil {
		return nil, err
	}
	out := &DataCentersResponse{DataCenters: make([]DataCenter, 0, len(raws))}
	for _, r := range raws {
		var d struct {
			ID     flex.String `json:"Id"`
			Number flex.String `json:"Number"`
			Name   flex.String `json:"Name"`
		}
		if err := c.decode(k.op, r, &d); err != nil {
			return nil, err
		}
		out.DataCenters = append(out.DataCenters, DataCenter{ID: string(d.ID), Number: string(d.Number), Name: string(d.Name), Raw: r})
	}
	return out, nil
}
