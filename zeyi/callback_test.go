package zeyi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	cbKey    = "integratorkey00000000000000000c1"
	cbSecret = "integratorsecret0000000000000000"
	cbToken  = "a2c5680001"
	cbBody   = `{"code":"JR202510110000001","auditType":"JINRUN_VEHICLE_FEE_AUDIT","businessId":"dt-123","type":"finish","result":"agree","auditUser":"张三","remark":"同意","newField":{"x":1}}`
)

var cbNow = time.UnixMilli(1643251533306)

func cbConfig() CallbackConfig {
	return CallbackConfig{AppKey: cbKey, AppSecret: cbSecret, BearerToken: cbToken, MaxSkew: 5 * time.Minute,
		Now: func() time.Time { return cbNow }}
}

// signedCallback builds a callback request signed like 则一 signs it.
func signedCallback(body string, mutate func(h http.Header)) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/dingtalkAudit/callback", strings.NewReader(body))
	r.Header.Set("Content-Type", ContentType)
	r.Header.Set("Authorization", "Bearer "+cbToken)
	ts := Timestamp(cbNow)
	r.Header.Set("appKey", cbKey)
	r.Header.Set("timestamp", ts)
	r.Header.Set("nonce", "GdSt9T")
	r.Header.Set("sign", Sign(cbKey, cbSecret, ts, "GdSt9T", []byte(body)))
	if mutate != nil {
		mutate(r.Header)
	}
	return r
}

func TestParseCallback(t *testing.T) {
	r := signedCallback(cbBody, nil)
	ev, err := ParseCallback(r, cbConfig())
	require.NoError(t, err)
	assert.Equal(t, "JR202510110000001", ev.Code)
	assert.Equal(t, "JINRUN_VEHICLE_FEE_AUDIT", ev.AuditType)
	assert.Equal(t, "dt-123", ev.BusinessID)
	assert.Equal(t, EventFinish, ev.Type)
	assert.Equal(t, ResultAgree, ev.Result)
	assert.True(t, ev.Approved())
	assert.False(t, ev.Refused())
	assert.False(t, ev.Terminated())
	assert.Equal(t, "张三", ev.AuditUser)
	assert.Equal(t, "同意", ev.Remark)
	assert.Equal(t, cbKey, ev.AppKey)
	assert.Equal(t, "GdSt9T", ev.Nonce, "either case is accepted")
	assert.True(t, ev.Timestamp.Equal(cbNow))
	assert.JSONEq(t, cbBody, string(ev.Raw))
	rest, _ := io.ReadAll(r.Body)
	assert.Equal(t, cbBody, string(rest), "the body stays readable")
}

func TestParseCallbackTolerantTypes(t *testing.T) {
	body := `{"code":123,"businessId":12345678901234567890,"type":"terminate","remark":null,"id":"B1","auditId":1800000000000000001}`
	ev, err := ParseCallback(signedCallback(body, nil), cbConfig())
	require.NoError(t, err)
	assert.Equal(t, "123", ev.Code)
	assert.Equal(t, "12345678901234567890", ev.BusinessID)
	assert.Equal(t, "1800000000000000001", ev.AuditID)
	assert.Equal(t, "B1", ev.ID)
	assert.True(t, ev.Terminated())
}

func TestParseCallbackRejects(t *testing.T) {
	set := func(k, v string) func(http.Header) {
		return func(h http.Header) {
			if v == "" {
				h.Del(k)
			} else {
				h.Set(k, v)
			}
		}
	}
	resign := func(ts, nonce string) func(http.Header) {
		return func(h http.Header) {
			h.Set("timestamp", ts)
			h.Set("nonce", nonce)
			h.Set("sign", Sign(cbKey, cbSecret, ts, nonce, []byte(cbBody)))
		}
	}
	for name, tc := range map[string]struct {
		req    *http.Request
		status int
		cause  error
	}{
		"bad sign":        {signedCallback(cbBody, set("sign", strings.Repeat("0", 32))), 401, ErrSignature},
		"tampered body":   {signedCallback(strings.Replace(cbBody, "agree", "refuse", 1), func(h http.Header) { h.Set("sign", Sign(cbKey, cbSecret, Timestamp(cbNow), "GdSt9T", []byte(cbBody))) }), 401, ErrSignature},
		"other appKey":    {signedCallback(cbBody, set("appKey", "someone")), 401, ErrSignature},
		"no sign":         {signedCallback(cbBody, set("sign", "")), 401, ErrSignature},
		"no appKey":       {signedCallback(cbBody, set("appKey", "")), 401, ErrSignature},
		"no timestamp":    {signedCallback(cbBody, set("timestamp", "")), 401, ErrSignature},
		"no nonce":        {signedCallback(cbBody, set("nonce", "")), 401, ErrSignature},
		"short nonce":     {signedCallback(cbBody, resign(Timestamp(cbNow), "abc")), 401, ErrSignature},
		"symbol nonce":    {signedCallback(cbBody, resign(Timestamp(cbNow), "abc!de")), 401, ErrSignature},
		"text timestamp":  {signedCallback(cbBody, resign("yesterday", "abcdef")), 401, ErrSignature},
		"huge timestamp":  {signedCallback(cbBody, resign(strings.Repeat("9", 30), "abcdef")), 401, ErrSignature},
		"stale":           {signedCallback(cbBody, resign(Timestamp(cbNow.Add(-6*time.Minute)), "abcdef")), 401, ErrStale},
		"future":          {signedCallback(cbBody, resign(Timestamp(cbNow.Add(6*time.Minute)), "abcdef")), 401, ErrStale},
		"no bearer":       {signedCallback(cbBody, set("Authorization", "")), 401, ErrSignature},
		"wrong bearer":    {signedCallback(cbBody, set("Authorization", "Bearer nope")), 401, ErrSignature},
		"basic auth":      {signedCallback(cbBody, set("Authorization", "Basic "+cbToken)), 401, ErrSignature},
		"not an object":   {signedCallback(`[1]`, resignBody(`[1]`)), 400, ErrMalformed},
		"garbage":         {signedCallback(`{"code":`, resignBody(`{"code":`)), 400, ErrMalformed},
		"object in field": {signedCallback(`{"code":{"a":1}}`, resignBody(`{"code":{"a":1}}`)), 400, ErrMalformed},
		"oversize":        {signedCallback(`{"remark":"`+strings.Repeat("x", DefaultCallbackMaxBody)+`"}`, nil), 413, ErrTooLarge},
		"GET":             {httptest.NewRequest(http.MethodGet, "/cb", nil), 405, ErrMalformed},
	} {
		t.Run(name, func(t *testing.T) {
			ev, err := ParseCallback(tc.req, cbConfig())
			assert.Nil(t, ev)
			var ce *CallbackError
			require.True(t, errors.As(err, &ce), "%T %v", err, err)
			assert.Equal(t, tc.status, ce.Status)
			assert.Equal(t, tc.status, CallbackStatus(err))
			require.NotNil(t, tc.cause, "every rejection names its sentinel")
			assert.ErrorIs(t, err, tc.cause)
			assert.NotContains(t, err.Error(), cbSecret)
		})
	}
}

func resignBody(body string) func(http.Header) {
	return func(h http.Header) {
		h.Set("sign", Sign(cbKey, cbSecret, h.Get("timestamp"), h.Get("nonce"), []byte(body)))
	}
}

func TestParseCallbackOptionalChecks(t *testing.T) {
	cfg := CallbackConfig{AppKey: cbKey, AppSecret: cbSecret}
	// Without BearerToken and MaxSkew, an old callback with no Authorization passes.
	r := signedCallback(cbBody, func(h http.Header) { h.Del("Authorization") })
	_, err := ParseCallback(r, cfg)
	require.NoError(t, err)
	// A bearer scheme in any case is accepted.
	cfg.BearerToken = cbToken
	_, err = ParseCallback(signedCallback(cbBody, func(h http.Header) { h.Set("Authorization", "bearer "+cbToken) }), cfg)
	require.NoError(t, err)
	// A config without credentials is a server-side mistake, not a 4xx.
	_, err = ParseCallback(signedCallback(cbBody, nil), CallbackConfig{})
	var ce *CallbackError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 500, ce.Status)
	_, err = ParseCallback(nil, cfg)
	require.ErrorAs(t, err, &ce)
}

func TestParseCallbackReplay(t *testing.T) {
	cfg := cbConfig()
	cfg.Deduper = NewMemoryDeduper()
	_, err := ParseCallback(signedCallback(cbBody, nil), cfg)
	require.NoError(t, err)
	_, err = ParseCallback(signedCallback(cbBody, nil), cfg)
	assert.ErrorIs(t, err, ErrReplay)
	// A forged request does not poison the store.
	cfg.Deduper = NewMemoryDeduper()
	_, err = ParseCallback(signedCallback(cbBody, func(h http.Header) { h.Set("sign", strings.Repeat("a", 32)) }), cfg)
	require.ErrorIs(t, err, ErrSignature)
	_, err = ParseCallback(signedCallback(cbBody, nil), cfg)
	require.NoError(t, err)
}

func TestCallbackHandler(t *testing.T) {
	cfg := cbConfig()
	cfg.Deduper = NewMemoryDeduper()
	fail := true
	var got []*CallbackEvent
	h := NewCallbackHandler(cfg, func(ctx context.Context, ev *CallbackEvent) error {
		require.NotNil(t, ctx)
		got = append(got, ev)
		if fail {
			return errors.New("db down: password=hunter2")
		}
		return nil
	})

	w := httptest.NewRecorder()
	h.ServeHTTP(w, signedCallback(cbBody, nil))
	assert.Equal(t, 500, w.Code, "the platform must retry")
	assert.NotContains(t, w.Body.String(), "hunter2")
	assert.Contains(t, w.Body.String(), `"success":false`)

	// The same delivery again: the message was released, so it is handled.
	fail = false
	w = httptest.NewRecorder()
	h.ServeHTTP(w, signedCallback(cbBody, nil))
	assert.Equal(t, 200, w.Code)
	assert.Equal(t, `{"success":true,"businessException":false,"errorCode":null,"message":null,"result":null}`, w.Body.String())
	assert.Equal(t, ContentType, w.Header().Get("Content-Type"))
	assert.Len(t, got, 2)

	// Handled: a redelivery is acknowledged again without running the func.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, signedCallback(cbBody, nil))
	assert.Equal(t, 200, w.Code)
	assert.Len(t, got, 2)

	// A forged callback never reaches the func.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, signedCallback(cbBody, func(h http.Header) { h.Set("sign", strings.Repeat("b", 32)) }))
	assert.Equal(t, 401, w.Code)
	assert.Contains(t, w.Body.String(), `"message":"signature mismatch"`)
	assert.Len(t, got, 2)
}
