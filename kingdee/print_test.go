package kingdee_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// No print verb shows a secret of a Config, a *Client or an *Error.
func TestPrintingShowsNoSecret(t *testing.T) {
	cfg := vectorConfig
	cfg.Password, cfg.Passport = "pa55word-secret", []byte("passport-secret-bytes")
	c, err := kingdee.NewClient(cfg)
	require.NoError(t, err)
	_, keyPart, _ := strings.Cut(cfg.AppID, "_")
	secrets := []string{cfg.AppSecret, cfg.Password, string(cfg.Passport), keyPart}
	var wrapped struct {
		C   *kingdee.Client
		Cfg kingdee.Config
	}
	wrapped.C, wrapped.Cfg = c, cfg
	e := &kingdee.Error{Op: "Save", Message: "failed", Err: errors.New("cause")}
	for _, v := range []any{cfg, &cfg, c, wrapped, &wrapped, e} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				assert.NotContains(t, out, s, "%s of %T", verb, v)
			}
		}
	}
	assert.Contains(t, fmt.Sprintf("%+v", cfg), `AppID:"200000_***"`, "the client id part stays readable")
	assert.Contains(t, fmt.Sprintf("%v", c), "erp.example.com")
	withUser := kingdee.Config{BaseURL: "https://api:url-password-77@erp.example.com/k3cloud/"}
	assert.NotContains(t, fmt.Sprintf("%#v", withUser), "url-password-77")
	assert.Equal(t, e.Error(), fmt.Sprintf("%#v", e), "%#v of an *Error is its redacted text")
}

// Config errors name the field once, with one package prefix, and match
// ErrInvalidRequest; whitespace is not a secret.
func TestConfigErrorsShape(t *testing.T) {
	cases := map[string]struct {
		mutate func(*kingdee.Config)
		want   string
	}{
		"base url":     {func(c *kingdee.Config) { c.BaseURL = " " }, "kingdee: NewClient: Config.BaseURL: required"},
		"secret blank": {func(c *kingdee.Config) { c.AppSecret = "   " }, "kingdee: NewClient: Config.AppSecret: required"},
		"app id blank": {func(c *kingdee.Config) { c.AppID = "\t" }, "kingdee: NewClient: Config.AppID: required"},
		"app id shape": {func(c *kingdee.Config) { c.AppID = "x_y" }, "kingdee: NewClient: Config.AppID: want"},
		"password": {func(c *kingdee.Config) { c.Auth, c.Password = kingdee.AuthValidateUser, " " },
			"kingdee: NewClient: Config.Password: required"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := vectorConfig
			tc.mutate(&cfg)
			_, err := kingdee.NewClient(cfg)
			require.ErrorIs(t, err, kingdee.ErrInvalidRequest)
			var ke *kingdee.Error
			require.ErrorAs(t, err, &ke)
			assert.Equal(t, "NewClient", ke.Op)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), err.Error())
			assert.Equal(t, 1, strings.Count(err.Error(), "kingdee:"), "one prefix: %s", err)
		})
	}
	_, err := kingdee.NewClient(vectorConfig, kingdee.WithTimeout(-1))
	require.ErrorIs(t, err, kingdee.ErrInvalidRequest)
	assert.Equal(t, 1, strings.Count(err.Error(), "kingdee:"), err.Error())
}

// Request validation is an *Error matching ErrInvalidRequest.
func TestRequestErrorsAreTyped(t *testing.T) {
	_, c := newFake(t)
	_, err := c.Save(context.Background(), &kingdee.SaveRequest{Model: map[string]any{"FID": 0}})
	require.ErrorIs(t, err, kingdee.ErrInvalidRequest)
	var ke *kingdee.Error
	require.ErrorAs(t, err, &ke)
	assert.Contains(t, ke.Message, "SaveRequest.FormID: required")
	type bad struct{ X int }
	_, err = kingdee.Query[bad](context.Background(), c, &kingdee.QueryRequest{FormID: kingdeetest.AcctID})
	require.ErrorIs(t, err, kingdee.ErrInvalidRequest)
}

// Every error reads "kingdee: <Op>: <message> (…)" once: validation, a
// transport failure, a platform row error.
func TestErrorShape(t *testing.T) {
	ctx := context.Background()
	_, c := newFake(t)
	_, err := c.Save(ctx, &kingdee.SaveRequest{Model: map[string]any{"FID": 0}})
	assert.Equal(t, "kingdee: Save: SaveRequest.FormID: required (e.g. CN_PAYAPPLY)", err.Error())
	_, err = c.Draft(ctx, &kingdee.SaveRequest{FormID: "X"})
	assert.True(t, strings.HasPrefix(err.Error(), "kingdee: Draft: SaveRequest.Model: required"), err)

	_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: map[string]any{"FID": 0}})
	assert.Equal(t, "kingdee: Save: 2 rows failed; row 0 field FBILLTYPEID: 字段“FBILLTYPEID”是必填项; row 0 field FDATE: 字段“FDATE”是必填项 (code 11, HTTP 200)", err.Error())
	var ke *kingdee.Error
	require.ErrorAs(t, err, &ke)
	assert.Equal(t, "11", ke.Code)
	assert.Equal(t, kingdee.MsgCodeValidation, ke.MsgCode)

	cfg := vectorConfig
	cfg.BaseURL = "http://127.0.0.1:1/k3cloud/"
	dead, err := kingdee.NewClient(cfg, kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = dead.Save(ctx, &kingdee.SaveRequest{FormID: "X", Model: map[string]any{"FID": 0}})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "kingdee: Save: "), err)
	assert.Equal(t, 1, strings.Count(err.Error(), "network error"), "said once: %s", err)
	assert.Equal(t, 1, strings.Count(err.Error(), "kingdee:"), err)
}
