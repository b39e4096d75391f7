package dingtalk_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hetong-go/hetong/internal/testkit"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
)

func TestNoSecretInLogsOrErrors(t *testing.T) {
	var logs testkit.LogBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	// Success on one path, an auth error that echoes the token on another,
	// a server error on a third.
	mt.RegisterResponder(http.MethodPost, "https://oapi.dingtalk.com/topapi/processinstance/get?access_token="+oldToken,
		httpmock.NewStringResponder(200, `{"errcode":0,"process_instance":{"title":"ok"}}`))
	mt.RegisterResponder(http.MethodPost, "https://oapi.dingtalk.com/topapi/processinstance/listids?access_token="+oldToken,
		httpmock.NewStringResponder(200, `{"errcode":40014,"errmsg":"不合法的access_token `+oldToken+`"}`))
	mt.RegisterResponder(http.MethodGet, "https://api.dingtalk.com/v1.0/workflow/processInstances",
		httpmock.NewStringResponder(500, `<html>error for app secret `+testSecret+`</html>`))
	c := mockClient(t, mt, dingtalk.WithLogger(logger))
	ctx := context.Background()

	var errs []error
	_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: "i"})
	require.NoError(t, err)
	_, err = c.ListInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: "P", StartTime: day0})
	errs = append(errs, err)
	_, err = c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: "i"})
	errs = append(errs, err)

	bad, err := dingtalk.NewClient(dingtalk.Config{AppKey: testKey, AppSecret: "another-secret-777"}, dingtalk.WithTransport(mt), dingtalk.WithLogger(logger))
	require.NoError(t, err)
	_, err = bad.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: "i"})
	errs = append(errs, err)

	cfg := dingtalk.CallbackConfig{Token: "callback-token-secret", EncodingAESKey: cbKey, OwnerKey: cbOwner}
	_, err = dingtalk.ParseCallback(httptest.NewRequest(http.MethodPost, "/?msg_signature=x&timestamp=1&nonce=n",
		strings.NewReader(`{"encrypt":"abc"}`)), cfg)
	errs = append(errs, err)
	cfg.EncodingAESKey = cbKey[:42]
	_, err = dingtalk.ParseCallback(httptest.NewRequest(http.MethodPost, "/", nil), cfg)
	errs = append(errs, err)

	out := logs.String()
	require.Contains(t, out, "hetong: request", "debug logging is on")
	for _, secret := range []string{testSecret, "another-secret-777", oldToken, newToken, cbKey, cbKey[:42], "callback-token-secret"} {
		assert.NotContains(t, out, secret, "log output")
		for _, e := range errs {
			require.Error(t, e)
			assert.NotContains(t, e.Error(), secret)
		}
	}
}
