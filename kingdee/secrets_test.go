package kingdee_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hetong-go/hetong/internal/testkit"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/internal/kdsign"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// secretSpy records every secret value that crosses the wire: session
// cookies, session ids and signatures.
type secretSpy struct {
	mu      sync.Mutex
	secrets map[string]bool
}

func (s *secretSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	s.add(r.Header.Get("X-Api-Signature"), r.Header.Get("X-Kd-Signature"), r.Header.Get("kdservice-sessionid"))
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		for _, ck := range resp.Cookies() {
			s.add(ck.Value)
		}
	}
	return resp, err
}

func (s *secretSpy) add(vs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vs {
		if v != "" {
			s.secrets[v] = true
		}
	}
}

func (s *secretSpy) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.secrets))
	for v := range s.secrets {
		out = append(out, v)
	}
	return out
}

func TestNoSecretInLogsOrErrors(t *testing.T) {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	apiSecret, err := kdsign.APISecret(kingdeetest.AppID)
	require.NoError(t, err)
	spy := &secretSpy{secrets: map[string]bool{kingdeetest.AppSecret: true, kingdeetest.Password: true, apiSecret: true,
		"wrong-password-1234": true, "wrong-secret-5678": true}}
	var logs testkit.LogBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []string

	spy.add(kdsign.EnDeEncode(kingdeetest.Password), base64.StdEncoding.EncodeToString([]byte(kingdeetest.Passport)))
	for _, mode := range []kingdee.AuthMode{kingdee.AuthSignedHeaders, kingdee.AuthLoginBySign, kingdee.AuthLoginByAppSecret,
		kingdee.AuthValidateUser, kingdee.AuthLoginBySimplePassport, kingdee.AuthValidateUserEnDeCode} {
		for _, bad := range []bool{false, true} {
			cfg := fakeConfig(srv, mode)
			if bad {
				cfg.Password, cfg.AppSecret, cfg.Passport = "wrong-password-1234", "wrong-secret-5678", []byte("wrong-passport-90")
				spy.add(kdsign.EnDeEncode(cfg.Password), base64.StdEncoding.EncodeToString(cfg.Passport))
			}
			c, err := kingdee.NewClient(cfg, kingdee.WithLogger(logger), kingdee.WithTransport(spy), kingdee.WithRateLimit(0, 0),
				kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 1}))
			require.NoError(t, err)
			record := func(err error) {
				if err != nil {
					errs = append(errs, err.Error())
				}
			}
			_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(1)})
			record(err)
			assert.Equal(t, bad, err != nil, "%s bad=%v: %v", mode, bad, err)
			_, err = c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}, FilterString: "oops"})
			record(err)
			require.Error(t, err)
			srv.ExpireSessions()
			_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: payApply(2)})
			record(err)
			_, err = c.Logout(ctx)
			record(err)
		}
	}
	out := logs.String()
	require.Contains(t, out, "hetong: request", "debug logging must be on for this test to mean anything")
	require.Contains(t, out, "LoginByAppSecret")
	secrets := spy.list()
	require.Greater(t, len(secrets), 10, "sessions and signatures were seen")
	for _, s := range secrets {
		assert.NotContains(t, out, s, "a secret reached the log")
		for _, e := range errs {
			assert.NotContains(t, e, s, "a secret reached an error")
		}
	}
}

// The login answer's KDSVCSessionId never reaches the debug log, whether
// or not the server also sets it as a cookie.
func TestLoginDebugLineHidesSessionID(t *testing.T) {
	for _, withCookie := range []bool{false, true} {
		t.Run(fmt.Sprint("cookie=", withCookie), func(t *testing.T) {
			var logs testkit.LogBuffer
			cfg := vectorConfig
			cfg.Auth = kingdee.AuthLoginByAppSecret
			c, mt := mockClient(t, cfg, kingdee.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			const sid = "sid-4f2a9c0e7b1d"
			mt.RegisterResponder(http.MethodPost, "https://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService.LoginByAppSecret.common.kdsvc",
				func(*http.Request) (*http.Response, error) {
					resp := httpmock.NewStringResponse(200, `{"Message":null,"LoginResultType":1,"KDSVCSessionId":"`+sid+`","IsSuccessByAPI":true}`)
					if withCookie {
						resp.Header.Add("Set-Cookie", "kdservice-sessionid="+sid+"; Path=/")
					}
					return resp, nil
				})
			mt.RegisterResponder(http.MethodPost, queryURL, httpmock.NewStringResponder(200, `[]`))
			_, err := c.ExecuteBillQuery(context.Background(), &kingdee.QueryRequest{FormID: "X", FieldKeys: []string{"FID"}})
			require.NoError(t, err)
			require.Contains(t, logs.String(), "hetong: response")
			assert.NotContains(t, logs.String(), sid)
		})
	}
}

// Secrets given at construction stay masked however many sessions a
// long-lived client goes through.
func TestConstructionSecretsSurviveManyLogins(t *testing.T) {
	srv := kingdeetest.NewServer()
	defer srv.Close()
	var logs testkit.LogBuffer
	cfg := fakeConfig(srv, kingdee.AuthLoginByAppSecret)
	c, err := kingdee.NewClient(cfg, kingdee.WithRateLimit(0, 0),
		kingdee.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	q := &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FID"}}
	for i := 0; i < 30; i++ {
		srv.ExpireSessions() // the next read logs in again
		_, err := c.ExecuteBillQuery(context.Background(), q)
		require.NoError(t, err)
	}
	require.GreaterOrEqual(t, srv.Calls("LoginByAppSecret"), 30)
	out := logs.String()
	require.Equal(t, srv.Calls("LoginByAppSecret"), strings.Count(out, `"op":"Login"`)/2, "every login was logged (request and response)")
	assert.NotContains(t, out, cfg.AppSecret)
}
