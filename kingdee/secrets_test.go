package kingdee_test

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/hetong-go/hetong/internal/testkit"

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
	srv := kingdeetest.New()
	defer srv.Close()
	ctx := context.Background()
	apiSecret, err := kdsign.APISecret(kingdeetest.AppID)
	require.NoError(t, err)
	spy := &secretSpy{secrets: map[string]bool{kingdeetest.AppSecret: true, kingdeetest.Password: true, apiSecret: true,
		"wrong-password-1234": true, "wrong-secret-5678": true}}
	var logs testkit.LogBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []string

	for _, mode := range []kingdee.AuthMode{kingdee.AuthSignedHeaders, kingdee.AuthLoginBySign, kingdee.AuthLoginByAppSecret, kingdee.AuthValidateUser} {
		for _, bad := range []bool{false, true} {
			cfg := fakeConfig(srv, mode)
			if bad {
				cfg.Password, cfg.AppSecret = "wrong-password-1234", "wrong-secret-5678"
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
