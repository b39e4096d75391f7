package essbasic

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorShape: "essbasic: <Op>: <message> (code …, request …, HTTP …)",
// each part only when known, never a doubled prefix or status.
func TestErrorShape(t *testing.T) {
	ctx := context.Background()
	cp := newCapture(`{"Response":{"Error":{"Code":"ResourceNotFound.Flow","Message":"未找到对应流程。"},"RequestId":"r-1"}}`)
	c := newTestClient(t, cp)
	_, err := c.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{FlowId: "f"})
	assert.EqualError(t, err, "essbasic: ChannelCancelFlow: 未找到对应流程。 (code ResourceNotFound.Flow, request r-1, HTTP 200)")

	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(502, "<html>bad gateway</html>"))
	c = newTestClient(t, &capture{mt: mt}, WithRetry(RetryPolicy{MaxAttempts: 1}))
	_, err = c.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{FlowId: "f"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "ChannelCancelFlow", e.Op)
	assert.Equal(t, 502, e.HTTPStatus)
	assert.Equal(t, `essbasic: ChannelCancelFlow: response is not JSON; body: "<html>bad gateway</html>" (HTTP 502)`, err.Error())

	mt = httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewErrorResponder(errors.New("connection refused")))
	c = newTestClient(t, &capture{mt: mt}, WithRetry(RetryPolicy{MaxAttempts: 1}))
	_, err = c.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{FlowId: "f"})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, strings.Count(err.Error(), "essbasic:"), "one prefix: %s", err)
	assert.True(t, strings.HasPrefix(err.Error(), "essbasic: ChannelCancelFlow: POST https://essbasic.tencentcloudapi.com/: network error"), err.Error())
	assert.Equal(t, fmt.Sprintf("&essbasic.Error{%q}", err.Error()), fmt.Sprintf("%#v", err), "%%#v is the redacted text")

	_, err = c.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "ChannelCancelFlow", e.Op)
	assert.Equal(t, "ChannelCancelFlowRequest.FlowId: required", e.Message)
	assert.ErrorIs(t, err, ErrInvalidRequest)
}

// TestPrintingNeverShowsSecrets: every fmt verb over a Config, a
// CallbackConfig, a *Client and an *Error (the old Config and Client
// printed the SecretKey and the STS token).
func TestPrintingNeverShowsSecrets(t *testing.T) {
	const secretKey, stsToken, cbKey, cbToken = "SK-print-secret-0001", "STS-print-token-0002", "0123456789abcdef0123456789abcdef", "cb-print-token-03"
	cfg := Config{SecretID: "AKIDpublic", SecretKey: secretKey, Token: stsToken, Agent: testAgent}
	c, err := NewClient(cfg)
	require.NoError(t, err)
	cb := CallbackConfig{Key: cbKey, Token: cbToken}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"Response":{"Error":{"Code":"AuthFailure","Message":"key `+secretKey+`"},"RequestId":"r"}}`))
	c2, err := NewClient(cfg, WithTransport(mt))
	require.NoError(t, err)
	_, apiErr := c2.ChannelCancelFlow(context.Background(), &ChannelCancelFlowRequest{FlowId: "f"})
	require.Error(t, apiErr)
	for _, v := range []any{cfg, &cfg, cb, &cb, c, apiErr} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{secretKey, stsToken, cbKey, cbToken} {
				assert.NotContains(t, out, secret, "%s of %T", verb, v)
			}
		}
	}
	assert.Contains(t, fmt.Sprint(cfg), "AKIDpublic", "what is not secret still shows")
	assert.Contains(t, fmt.Sprintf("%+v", cfg), "SecretKey:***")
}

// TestSecretsStayMaskedForLife: however many short-lived values the client
// learns (every download URL's query is one), the SecretKey stays masked
// (the old redactor evicted it after 64).
func TestSecretsStayMaskedForLife(t *testing.T) {
	const secretKey = "SK-long-lived-secret-0001"
	c, err := NewClient(Config{SecretID: "AKIDpublic", SecretKey: secretKey, Agent: testAgent})
	require.NoError(t, err)
	for i := 0; i < 200; i++ { // the old redactor kept the last 64 values
		c.tc.Redactor().Add(fmt.Sprintf("hkey=learned-%05d", i))
	}
	assert.NotContains(t, c.tc.Redactor().String("echo "+secretKey), secretKey)
}

// TestNoAliasesOfInternalTypes: go doc shows the methods and fields of
// every public type (the old RetryPolicy and Deduper were aliases).
func TestNoAliasesOfInternalTypes(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok && ts.Assign.IsValid() && ts.Name.IsExported() {
				t.Errorf("%s: type %s is an alias", fset.Position(ts.Pos()), ts.Name.Name)
			}
			return true
		})
	}
	var _ interface {
		Reserve(context.Context, string, time.Duration) (bool, bool, error)
	} = Deduper(nil)
}

// TestOptionsValidate: bad option values fail NewClient naming the setting.
func TestOptionsValidate(t *testing.T) {
	cfg := Config{SecretID: "i", SecretKey: "k"}
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{WithRateLimit(math.NaN(), 1), "rate limit"},
		{WithRateLimit(-1, 1), "rate limit"},
		{WithRateLimiter(nil), "rate limiter: required"},
		{WithDeduper(nil), "deduper: required"},
		{WithMaxResponseBytes(0), "max response bytes"},
		{WithIdleTimeout(0), "idle timeout"},
		{WithEnvironment(Environment(7)), "environment: must be one of Production, Test"},
		{nil, "option 0: required"},
	} {
		_, err := NewClient(cfg, tc.opt)
		var e *Error
		require.ErrorAs(t, err, &e, tc.want)
		assert.Equal(t, "NewClient", e.Op)
		assert.Contains(t, err.Error(), tc.want)
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
}

// keyLimiter records the rate-limit keys it is asked for.
type keyLimiter struct {
	mu   sync.Mutex
	keys []string
}

func (l *keyLimiter) Wait(ctx context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, key)
	return ctx.Err()
}

// TestRateLimiterKeys: a shared limiter sees "essbasic:<AppId>:<Action>".
func TestRateLimiterKeys(t *testing.T) {
	l := &keyLimiter{}
	cp := newCapture(`{"Response":{"RequestId":"r"}}`)
	c := newTestClient(t, cp, WithRateLimiter(l))
	_, err := c.ChannelCancelFlow(context.Background(), &ChannelCancelFlowRequest{FlowId: "f"})
	require.NoError(t, err)
	bare, err := NewClient(Config{SecretID: "AKIDnoagent", SecretKey: "k"}, WithTransport(cp.mt), WithRateLimiter(l))
	require.NoError(t, err)
	_, err = bare.Raw(context.Background(), &RawRequest{Action: "DescribeUsage"})
	require.NoError(t, err)
	assert.Equal(t, []string{"essbasic:app-1:ChannelCancelFlow", "essbasic:AKIDnoagent:DescribeUsage"}, l.keys)
}

// TestEnvironmentDefaultsToProduction: no option, no test host.
func TestEnvironmentDefaultsToProduction(t *testing.T) {
	var zero Environment
	assert.Equal(t, Production, zero)
	api, file := zero.hosts()
	assert.Equal(t, ProductionHost, api)
	assert.Equal(t, ProductionFileHost, file)
	assert.Equal(t, "production", Production.String())
	assert.Equal(t, "test", Test.String())
}

// TestTC3AuthorizationTakesTheService: the service is part of the scope
// and of the derived key.
func TestTC3AuthorizationTakesTheService(t *testing.T) {
	a := TC3Authorization(v1SecretID, v1SecretKey, Service, v1Host, jsonContentType, v1Timestamp, []byte(v1Body))
	b := TC3Authorization(v1SecretID, v1SecretKey, "ess", v1Host, jsonContentType, v1Timestamp, []byte(v1Body))
	assert.Equal(t, v1Auth, a)
	assert.Contains(t, b, "/2023-11-14/ess/tc3_request")
	assert.NotEqual(t, a[strings.Index(a, "Signature="):], b[strings.Index(b, "Signature="):])
}

// TestRawRefusesURLs: Raw only ever names an action; it cannot be pointed
// at another host.
func TestRawRefusesURLs(t *testing.T) {
	cp := newCapture(`{"Response":{"RequestId":"r"}}`)
	c := newTestClient(t, cp)
	for _, action := range []string{"https://evil.example/steal", "//evil.example/x", "/path", "Describe Flow", "A\r\nX-Evil: 1"} {
		_, err := c.Raw(context.Background(), &RawRequest{Action: action})
		assert.ErrorIs(t, err, ErrInvalidRequest, action)
	}
	assert.Empty(t, cp.reqs)
}

var _ = http.MethodGet
