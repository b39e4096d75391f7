package dingtalk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

func TestPrintingShowsNoSecret(t *testing.T) {
	cfg := dingtalk.Config{AppKey: testKey, AppSecret: testSecret}
	mt := httpmock.NewMockTransport()
	registerTokens(mt)
	mt.RegisterResponder(http.MethodPost, "https://oapi.dingtalk.com/topapi/processinstance/get?access_token="+oldToken,
		httpmock.NewStringResponder(200, `{"errcode":88,"sub_code":"40014","sub_msg":"bad token `+oldToken+` for `+testSecret+`"}`))
	c := mockClient(t, mt)
	_, err := c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: "i"})
	require.Error(t, err)
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for name, v := range map[string]any{"Config": cfg, "*Config": &cfg, "*Client": c, "*Error": e} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, testSecret, "%s %s", verb, name)
			assert.NotContains(t, out, oldToken, "%s %s", verb, name)
		}
	}
	assert.Equal(t, e.Error(), fmt.Sprintf("%#v", e), "%#v shows the redacted message")
	assert.Contains(t, fmt.Sprintf("%+v", cfg), testKey, "the app key is not secret")
}

func TestNewClientRejectsWhitespaceSecrets(t *testing.T) {
	for _, cfg := range []dingtalk.Config{{AppKey: testKey, AppSecret: " \t\n"}, {AppKey: testKey}} {
		_, err := dingtalk.NewClient(cfg)
		require.Error(t, err)
		assert.Equal(t, "dingtalk: NewClient: Config.AppSecret: required", err.Error())
		assert.ErrorIs(t, err, dingtalk.ErrInvalidRequest)
		var e *dingtalk.Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, "NewClient", e.Op)
	}
	_, err := dingtalk.NewClient(dingtalk.Config{AppKey: "  ", AppSecret: "s"})
	assert.EqualError(t, err, "dingtalk: NewClient: Config.AppKey: required")
}

func TestValidationErrorShape(t *testing.T) {
	c := mockClient(t, httpmock.NewMockTransport())
	_, err := c.GetProcessInstance(context.Background(), &dingtalk.GetProcessInstanceRequest{ProcessInstanceID: " "})
	assert.EqualError(t, err, "dingtalk: GetProcessInstance: GetProcessInstanceRequest.ProcessInstanceID: required")
	_, err = c.GetProcessInstance(context.Background(), nil)
	assert.EqualError(t, err, "dingtalk: GetProcessInstance: GetProcessInstanceRequest: required")
	for _, err := range c.AllInstanceIDs(context.Background(), &dingtalk.ListInstanceIDsRequest{ProcessCode: "P", StartTime: day0,
		UserIDs: make([]string, 21)}) {
		assert.EqualError(t, err, "dingtalk: ListInstanceIDs: ListInstanceIDsRequest.UserIDs: at most 20 items")
	}
}

// TestPublicTypesAreDeclaredHere: go doc must show their methods, so none
// is an alias of an internal type.
func TestPublicTypesAreDeclaredHere(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[dingtalk.TokenStore](), reflect.TypeFor[dingtalk.RateLimiter](),
		reflect.TypeFor[dingtalk.Deduper](), reflect.TypeFor[dingtalk.RetryPolicy]()} {
		assert.Equal(t, "github.com/hetong-go/hetong/dingtalk", typ.PkgPath(), typ.String())
	}
}

func TestEmptyAnswersFail(t *testing.T) {
	for _, body := range []string{`{}`, `null`, ``, `{"success":true}`} {
		mt := httpmock.NewMockTransport()
		registerTokens(mt)
		mt.RegisterResponder(http.MethodPost, "https://api.dingtalk.com/v1.0/workflow/processInstances",
			httpmock.NewStringResponder(200, body).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
		mt.RegisterResponder(http.MethodPost, "https://oapi.dingtalk.com/topapi/processinstance/create?access_token="+oldToken,
			httpmock.NewStringResponder(200, strings.Replace(body, "{", `{"errcode":0,`, 1)))
		c := mockClient(t, mt)
		_, err := c.StartWorkflowInstance(context.Background(), &dingtalk.StartWorkflowInstanceRequest{ProcessCode: "P", OriginatorUserID: "u",
			FormComponentValues: []dingtalk.FormValue{{Name: "a", Value: "b"}}})
		assert.Error(t, err, "StartWorkflowInstance with %q", body)
		_, err = c.CreateInstance(context.Background(), &dingtalk.CreateInstanceRequest{ProcessCode: "P", OriginatorUserID: "u", DeptID: -1,
			FormComponentValues: []dingtalk.FormValue{{Name: "a", Value: "b"}}})
		assert.Error(t, err, "CreateInstance with %q", body)
	}
}

// deliver runs one push through h and returns the status.
func deliver(h http.Handler, req *http.Request, body string) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, req.URL.String(), strings.NewReader(body)))
	return w.Code
}

func TestPanickingHandlerDoesNotLoseTheEvent(t *testing.T) {
	var calls atomic.Int32
	h := dingtalk.NewCallbackHandler(cbConfig(), func(context.Context, *dingtalk.Event) error {
		if calls.Add(1) == 1 {
			panic("boom")
		}
		return nil
	})
	req := push(t, cbOwner, taskEvent, cbNow, nil)
	body := readAll(t, req)
	assert.Equal(t, 500, deliver(h, req, body), "the panic is recovered and DingTalk told to retry")
	assert.Equal(t, 200, deliver(h, req, body), "the retry runs the handler")
	assert.Equal(t, 200, deliver(h, req, body), "and a later duplicate is acknowledged")
	assert.Equal(t, int32(2), calls.Load())
}

func TestDeliveryDuringHandlingGetsRetryableStatus(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	h := dingtalk.NewCallbackHandler(cbConfig(), func(context.Context, *dingtalk.Event) error {
		if calls.Add(1) == 1 {
			close(started)
			<-release
		}
		return nil
	})
	req := push(t, cbOwner, taskEvent, cbNow, nil)
	body := readAll(t, req)
	var wg sync.WaitGroup
	var first int
	wg.Add(1)
	go func() { defer wg.Done(); first = deliver(h, req, body) }()
	<-started
	assert.Equal(t, http.StatusServiceUnavailable, deliver(h, req, body), "never 200 while the first is running")
	close(release)
	wg.Wait()
	assert.Equal(t, 200, first)
	assert.Equal(t, int32(1), calls.Load())
}

func TestCallbackSentinelsAndStatus(t *testing.T) {
	cfg := cbConfig()
	cases := map[string]struct {
		req    *http.Request
		target error
		status int
	}{
		"signature": {push(t, cbOwner, taskEvent, cbNow, func(q url.Values, _ *string) { q.Set("msg_signature", "00") }), dingtalk.ErrSignature, 401},
		"stale":     {push(t, cbOwner, taskEvent, cbNow.Add(-2*time.Hour), nil), dingtalk.ErrStale, 401},
		"malformed": {httptest.NewRequest(http.MethodPost, "/?msg_signature=a&timestamp=1&nonce=n", strings.NewReader(`[]`)), dingtalk.ErrMalformed, 400},
		"owner":     {push(t, "another-app", taskEvent, cbNow, nil), dingtalk.ErrDecrypt, 403},
	}
	for name, tc := range cases {
		_, err := dingtalk.ParseCallback(tc.req, cfg)
		assert.ErrorIs(t, err, tc.target, name)
		assert.Equal(t, tc.status, dingtalk.CallbackStatus(err), name)
	}
	cfg.MaxBody = 10
	_, err := dingtalk.ParseCallback(push(t, cbOwner, taskEvent, cbNow, nil), cfg)
	assert.ErrorIs(t, err, dingtalk.ErrTooLarge)
	assert.Equal(t, 413, dingtalk.CallbackStatus(err))
}

// TestTruncatedBase64PaddingIsRejected: "…=" where "…==" is due.
func TestTruncatedBase64PaddingIsRejected(t *testing.T) {
	msg := `{"EventType":"x"}` // 17 bytes: framed and padded, the ciphertext's base64 ends in "=="
	req := push(t, cbOwner, msg, cbNow, func(q url.Values, body *string) {
		enc := strings.TrimSuffix(strings.TrimPrefix(*body, `{"encrypt":"`), `"}`)
		if strings.HasSuffix(enc, "==") {
			enc = strings.TrimSuffix(enc, "=")
		} else if strings.HasSuffix(enc, "=") {
			enc = strings.TrimSuffix(enc, "=")
		} else {
			t.Fatalf("the 17-byte message must give padded base64; got %q", enc) // its length is fixed, so this never varies
		}
		*body = `{"encrypt":"` + enc + `"}`
		c, _ := dingtalk.NewCrypto(cbToken, cbKey, cbOwner)
		q.Set("msg_signature", c.Signature(q.Get("timestamp"), q.Get("nonce"), enc))
	})
	_, err := dingtalk.ParseCallback(req, cbConfig())
	assert.ErrorIs(t, err, dingtalk.ErrDecrypt)
}

func TestReplyIsReproducibleWithClockAndRandom(t *testing.T) {
	reply := func() string {
		c := mockClient(t, httpmock.NewMockTransport(), dingtalk.WithClock(func() time.Time { return cbNow }),
			dingtalk.WithRandom(bytes.NewReader(bytes.Repeat([]byte{7}, 64))))
		cfg := cbConfig()
		cfg.Clock = nil // the client's clock fills it
		h := c.NewCallbackHandler(cfg, func(context.Context, *dingtalk.Event) error { return nil })
		req := push(t, cbOwner, taskEvent, cbNow, nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		require.Equal(t, 200, w.Code)
		return w.Body.String()
	}
	first := reply()
	// The nonce of the reply is still random; everything derived from the
	// prefix and the clock is fixed: compare the encrypted payload.
	enc := func(s string) string { return s[strings.Index(s, `"encrypt"`):] }
	assert.Equal(t, enc(first), enc(reply()))
	assert.Contains(t, first, fmt.Sprint(cbNow.UnixMilli()))
}

func TestCallbackSignatureIsExported(t *testing.T) {
	c, err := dingtalk.NewCrypto(cbToken, cbKey, cbOwner)
	require.NoError(t, err)
	assert.Equal(t, c.Signature("1", "n", "e"), dingtalk.CallbackSignature(cbToken, "1", "n", "e"))
	assert.Len(t, dingtalk.CallbackSignature(cbToken, "1", "n", "e"), 40)
}

// TestShortLivedTokenIsNotFetchedPerCall: with expires_in under five
// minutes the token is refreshed at half its life, not on every call.
func TestShortLivedTokenIsNotFetchedPerCall(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	srv.SetTokenTTL(120 * time.Second)
	c := srv.Client()
	id := srv.AddInstance(dingtalktest.Instance{ProcessCode: "P", OriginatorUserID: "u"})
	for range 3 {
		_, err := c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.TokenFetches())
}

func TestRawStaysOnTheConfiguredHost(t *testing.T) {
	c := mockClient(t, httpmock.NewMockTransport())
	for _, p := range []string{"https://evil.example/x", "//evil.example/x", "x"} {
		_, err := c.Raw(context.Background(), &dingtalk.RawRequest{Path: p})
		assert.ErrorIs(t, err, dingtalk.ErrInvalidRequest, p)
	}
}
