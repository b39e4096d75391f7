package qiyuesuo_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/qiyuesuo"
)

// The fact sheet's callback vector (§6).
const (
	cbSecret  = "0123456789abcdef"
	cbTS      = "1700000000000"
	cbSig     = "bc1dd1036eefc0f0ae789c8afd3203a9"
	cbPlain   = `{"contractId":"3000000000000000001","callbackType":"COMPLETE","contractStatus":"COMPLETE"}`
	cbContent = "Em/AveBMFUlwdVAIqRJaMhdsKVpZXXGT0JXxzgVmWrbI678OAm4bXGUby9B/l3xgkO6mBl8ITAF55PLi6N7RupFHKicY8rFSY7YvxCx384x8TzZPQQZUv9Op8Nx92aGW"
)

func formRequest(v url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/qys/callback", strings.NewReader(v.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func vectorForm() url.Values {
	return url.Values{"signature": {cbSig}, "timestamp": {cbTS}, "content": {cbContent}}
}

func TestCallbackVector(t *testing.T) {
	assert.Equal(t, cbSig, qiyuesuo.CallbackSignature(cbTS, cbSecret))
	enc, err := qiyuesuo.EncryptCallbackContent([]byte(cbPlain), qiyuesuo.CallbackConfig{SecretKey: cbSecret})
	require.NoError(t, err)
	assert.Equal(t, cbContent, enc)

	r := formRequest(vectorForm())
	ev, err := qiyuesuo.ParseCallback(r, qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.ID("3000000000000000001"), ev.ContractID)
	assert.Equal(t, qiyuesuo.CallbackComplete, ev.CallbackType)
	assert.Equal(t, qiyuesuo.StatusComplete, ev.ContractStatus)
	assert.Equal(t, cbPlain, string(ev.Raw))
	assert.Equal(t, int64(1700000000000), ev.Timestamp.UnixMilli())
	body, _ := io.ReadAll(r.Body) // the body stays readable
	assert.Equal(t, vectorForm().Encode(), string(body))
}

func TestCallbackPlainAndFormFields(t *testing.T) {
	cfg := qiyuesuo.CallbackConfig{SecretKey: cbSecret}
	ev, err := qiyuesuo.ParseCallback(formRequest(url.Values{"signature": {cbSig}, "timestamp": {cbTS}, "content": {cbPlain}}), cfg)
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.ID("3000000000000000001"), ev.ContractID)

	// No content at all: the event is built from the form fields, and the
	// signature may come in the query string.
	r := httptest.NewRequest(http.MethodPost, "/cb?signature="+cbSig+"&timestamp="+cbTS,
		strings.NewReader("contractId=3000000000000000002&callbackType=SEAL&contractStatus=SIGNING&businessData=x%26y"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ev, err = qiyuesuo.ParseCallback(r, cfg)
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.ID("3000000000000000002"), ev.ContractID)
	assert.Equal(t, "SEAL", ev.CallbackType)
	assert.Equal(t, "x&y", ev.BusinessData)
}

func TestCallbackCBC(t *testing.T) {
	cfg := qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true, Mode: qiyuesuo.ModeCBC, IV: []byte("fedcba9876543210")}
	enc, err := qiyuesuo.EncryptCallbackContent([]byte(cbPlain), cfg)
	require.NoError(t, err)
	assert.NotEqual(t, cbContent, enc)
	ev, err := qiyuesuo.ParseCallback(formRequest(url.Values{"signature": {cbSig}, "timestamp": {cbTS}, "content": {enc}}), cfg)
	require.NoError(t, err)
	assert.Equal(t, "COMPLETE", ev.CallbackType)
	// The ECB vector does not decrypt as CBC.
	_, err = qiyuesuo.ParseCallback(formRequest(vectorForm()), cfg)
	assert.ErrorIs(t, err, qiyuesuo.ErrCallbackContent)
}

func TestCallbackRejections(t *testing.T) {
	cfg := qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true}
	with := func(k, v string) url.Values { f := vectorForm(); f.Set(k, v); return f }
	cases := []struct {
		name   string
		req    *http.Request
		cfg    qiyuesuo.CallbackConfig
		status int
		is     error
	}{
		{"forged signature", formRequest(with("signature", strings.Repeat("0", 32))), cfg, 401, qiyuesuo.ErrCallbackSignature},
		{"missing signature", formRequest(with("signature", "")), cfg, 401, qiyuesuo.ErrCallbackSignature},
		{"tampered timestamp", formRequest(with("timestamp", "1700000000001")), cfg, 401, qiyuesuo.ErrCallbackSignature},
		{"stale", formRequest(vectorForm()), withSkew(cfg, time.Minute, time.UnixMilli(1700000000000).Add(time.Hour)), 401, qiyuesuo.ErrCallbackStale},
		{"garbage base64", formRequest(with("content", "!!!not base64")), cfg, 400, qiyuesuo.ErrCallbackContent},
		{"wrong length", formRequest(with("content", "AAAA")), cfg, 400, qiyuesuo.ErrCallbackContent},
		{"wrong key", formRequest(vectorForm()), qiyuesuo.CallbackConfig{SecretKey: "fedcba9876543210", Encrypted: true}, 401, qiyuesuo.ErrCallbackSignature},
		{"missing content", formRequest(with("content", "")), cfg, 400, qiyuesuo.ErrCallbackContent},
		{"not JSON", formRequest(with("content", "hello")), qiyuesuo.CallbackConfig{SecretKey: cbSecret}, 400, qiyuesuo.ErrCallbackContent},
		{"oversize", formRequest(with("content", strings.Repeat("A", 2<<20))), cfg, 413, qiyuesuo.ErrCallbackTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			h := qiyuesuo.NewCallbackHandler(tc.cfg, func(context.Context, *qiyuesuo.CallbackEvent) error { called = true; return nil })
			w := httptest.NewRecorder()
			body, _ := io.ReadAll(tc.req.Body)
			tc.req.Body = io.NopCloser(strings.NewReader(string(body)))
			h.ServeHTTP(w, tc.req)
			assert.Equal(t, tc.status, w.Code)
			assert.False(t, called)
			assert.NotEqual(t, "success", w.Body.String())
			r2 := formRequest(nil)
			r2.Body = io.NopCloser(strings.NewReader(string(body)))
			r2.URL = tc.req.URL
			_, err := qiyuesuo.ParseCallback(r2, tc.cfg)
			assert.ErrorIs(t, err, tc.is)
			assert.NotContains(t, err.Error(), cbSecret)
		})
	}
}

func withSkew(cfg qiyuesuo.CallbackConfig, skew time.Duration, now time.Time) qiyuesuo.CallbackConfig {
	cfg.MaxSkew, cfg.Now = skew, func() time.Time { return now }
	return cfg
}

func TestCallbackWindowAccepts(t *testing.T) {
	cfg := withSkew(qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true}, time.Minute, time.UnixMilli(1700000030000))
	_, err := qiyuesuo.ParseCallback(formRequest(vectorForm()), cfg)
	require.NoError(t, err)
}

func TestCallbackHandlerAcksOnlyAfterSuccess(t *testing.T) {
	cfg := qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true}
	var seen []string
	fail := true
	h := qiyuesuo.NewCallbackHandler(cfg, func(_ context.Context, ev *qiyuesuo.CallbackEvent) error {
		seen = append(seen, ev.CallbackType)
		if fail {
			return errors.New("database down")
		}
		return nil
	})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, formRequest(vectorForm()))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.NotEqual(t, "success", w.Body.String())

	fail = false
	w = httptest.NewRecorder()
	h.ServeHTTP(w, formRequest(vectorForm()))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "success", w.Body.String())
	assert.Equal(t, []string{"COMPLETE", "COMPLETE"}, seen)
}

func TestCallbackConfigRequired(t *testing.T) {
	_, err := qiyuesuo.ParseCallback(formRequest(vectorForm()), qiyuesuo.CallbackConfig{})
	assert.ErrorContains(t, err, "CallbackConfig.SecretKey")
	_, err = qiyuesuo.ParseCallback(nil, qiyuesuo.CallbackConfig{SecretKey: cbSecret})
	assert.Error(t, err)
}

func TestCallbackReplay(t *testing.T) {
	d := qiyuesuo.NewMemoryDeduper()
	cfg := qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true, Deduper: d}
	fail := true
	calls := 0
	h := qiyuesuo.NewCallbackHandler(cfg, func(context.Context, *qiyuesuo.CallbackEvent) error {
		calls++
		if fail {
			return errors.New("try again later")
		}
		return nil
	})
	serve := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, formRequest(vectorForm()))
		return w
	}
	assert.Equal(t, 500, serve().Code)
	fail = false
	assert.Equal(t, 200, serve().Code, "a failed callback is forgotten, so the retry is processed")
	w := serve()
	assert.Equal(t, http.StatusConflict, w.Code, "an accepted callback replayed is refused")
	assert.Equal(t, 2, calls)
	_, err := qiyuesuo.ParseCallback(formRequest(vectorForm()), cfg)
	assert.ErrorIs(t, err, qiyuesuo.ErrCallbackReplay)
	// A different callback is not a replay.
	other := vectorForm()
	other.Set("content", cbPlain)
	_, err = qiyuesuo.ParseCallback(formRequest(other), qiyuesuo.CallbackConfig{SecretKey: cbSecret, Deduper: d})
	assert.NoError(t, err)
}
