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

// atVector is the moment the vector was signed.
func atVector() time.Time { return time.UnixMilli(1700000000000) }

func TestCallbackPlainAndFormFields(t *testing.T) {
	cfg := qiyuesuo.CallbackConfig{SecretKey: cbSecret, Now: atVector}
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
	assert.ErrorIs(t, err, qiyuesuo.ErrDecrypt)
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
		{"forged signature", formRequest(with("signature", strings.Repeat("0", 32))), cfg, 401, qiyuesuo.ErrSignature},
		{"missing signature", formRequest(with("signature", "")), cfg, 401, qiyuesuo.ErrSignature},
		{"tampered timestamp", formRequest(with("timestamp", "1700000000001")), cfg, 401, qiyuesuo.ErrSignature},
		{"stale", formRequest(vectorForm()), withSkew(cfg, time.Minute, time.UnixMilli(1700000000000).Add(time.Hour)), 401, qiyuesuo.ErrStale},
		{"garbage base64", formRequest(with("content", "!!!not base64")), cfg, 400, qiyuesuo.ErrDecrypt},
		{"wrong length", formRequest(with("content", "AAAA")), cfg, 400, qiyuesuo.ErrDecrypt},
		{"short padding", formRequest(with("content", strings.TrimSuffix(cbContent, "W")+"=")), cfg, 400, qiyuesuo.ErrDecrypt},
		{"wrong key", formRequest(vectorForm()), qiyuesuo.CallbackConfig{SecretKey: "fedcba9876543210", Encrypted: true}, 401, qiyuesuo.ErrSignature},
		{"missing content", formRequest(with("content", "")), cfg, 400, qiyuesuo.ErrMalformed},
		{"not JSON", formRequest(with("content", "hello")), qiyuesuo.CallbackConfig{SecretKey: cbSecret, Now: atVector}, 400, qiyuesuo.ErrMalformed},
		{"GET", httptest.NewRequest(http.MethodGet, "/qys/callback?"+vectorForm().Encode(), nil), cfg, 405, qiyuesuo.ErrMalformed},
		{"plaintext stale by default", formRequest(url.Values{"signature": {cbSig}, "timestamp": {cbTS}, "content": {cbPlain}}),
			qiyuesuo.CallbackConfig{SecretKey: cbSecret}, 401, qiyuesuo.ErrStale},
		{"oversize", formRequest(with("content", strings.Repeat("A", 2<<20))), cfg, 413, qiyuesuo.ErrTooLarge},
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
			r2.Method = tc.req.Method
			r2.Body = io.NopCloser(strings.NewReader(string(body)))
			r2.URL = tc.req.URL
			_, err := qiyuesuo.ParseCallback(r2, tc.cfg)
			assert.ErrorIs(t, err, tc.is)
			assert.Equal(t, tc.status, qiyuesuo.CallbackStatus(err))
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

func TestCallbackHandledOnce(t *testing.T) {
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
	serve := func(r *http.Request) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	assert.Equal(t, 500, serve(formRequest(vectorForm())).Code)
	fail = false
	assert.Equal(t, 200, serve(formRequest(vectorForm())).Code, "a failed callback is released, so the retry is processed")
	assert.Equal(t, 2, calls)

	// Redeliveries of the handled message are acknowledged without running
	// the func again, however they are dressed up.
	upper := vectorForm()
	upper.Set("signature", strings.ToUpper(cbSig))
	extra := vectorForm()
	extra.Set("utm", "1")
	query := formRequest(vectorForm())
	query.URL.RawQuery = "x=1"
	for _, r := range []*http.Request{formRequest(vectorForm()), formRequest(upper), formRequest(extra), query} {
		w := serve(r)
		assert.Equal(t, 200, w.Code)
		assert.Equal(t, "success", w.Body.String())
	}
	assert.Equal(t, 2, calls, "handled once")

	// A different message is not a replay.
	other := url.Values{"signature": {cbSig}, "timestamp": {cbTS}, "content": {`{"contractId":"3000000000000000009","callbackType":"SEAL"}`}}
	h2 := qiyuesuo.NewCallbackHandler(qiyuesuo.CallbackConfig{SecretKey: cbSecret, Deduper: d, Now: atVector},
		func(context.Context, *qiyuesuo.CallbackEvent) error { calls++; return nil })
	w := httptest.NewRecorder()
	h2.ServeHTTP(w, formRequest(other))
	assert.Equal(t, 200, w.Code)
	assert.Equal(t, 3, calls)
}

// TestCallbackKeyIsTheMessage: the dedup key ignores the JSON's layout.
func TestCallbackKeyIsTheMessage(t *testing.T) {
	a := &qiyuesuo.CallbackEvent{Timestamp: atVector(), Raw: []byte(`{"contractId":"1","callbackType":"SEAL"}`)}
	b := &qiyuesuo.CallbackEvent{Timestamp: atVector(), Raw: []byte(`{ "callbackType": "SEAL", "contractId": "1" }`)}
	c := &qiyuesuo.CallbackEvent{Timestamp: atVector(), Raw: []byte(`{"contractId":"2","callbackType":"SEAL"}`)}
	d := &qiyuesuo.CallbackEvent{Timestamp: atVector().Add(time.Millisecond), Raw: a.Raw}
	assert.Equal(t, a.Key(), b.Key())
	assert.NotEqual(t, a.Key(), c.Key())
	assert.NotEqual(t, a.Key(), d.Key())
	assert.True(t, strings.HasPrefix(a.Key(), "qiyuesuo:"))
}

// TestCallbackPanicIsRetried: a panicking func gets a 500, the message is
// released, and the retry runs the func again.
func TestCallbackPanicIsRetried(t *testing.T) {
	calls := 0
	h := qiyuesuo.NewCallbackHandler(qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true}, func(context.Context, *qiyuesuo.CallbackEvent) error {
		calls++
		if calls == 1 {
			panic("nil map")
		}
		return nil
	})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, formRequest(vectorForm()))
	assert.Equal(t, 500, w.Code)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, formRequest(vectorForm()))
	assert.Equal(t, 200, w.Code)
	assert.Equal(t, "success", w.Body.String())
	assert.Equal(t, 2, calls)
}

// TestCallbackInFlightRedelivery: a redelivery while the first delivery
// runs gets a retryable 503, never a 200.
func TestCallbackInFlightRedelivery(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	h := qiyuesuo.NewCallbackHandler(qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true}, func(context.Context, *qiyuesuo.CallbackEvent) error {
		close(started)
		<-release
		return nil
	})
	first := make(chan int)
	go func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, formRequest(vectorForm()))
		first <- w.Code
	}()
	<-started
	w := httptest.NewRecorder()
	h.ServeHTTP(w, formRequest(vectorForm()))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	close(release)
	assert.Equal(t, 200, <-first)
}

func TestCallbackWindowOff(t *testing.T) {
	plain := url.Values{"signature": {cbSig}, "timestamp": {cbTS}, "content": {cbPlain}}
	_, err := qiyuesuo.ParseCallback(formRequest(plain), qiyuesuo.CallbackConfig{SecretKey: cbSecret, MaxSkew: -1})
	assert.NoError(t, err, "a negative MaxSkew turns the window off")
	_, err = qiyuesuo.ParseCallback(formRequest(vectorForm()), qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true})
	assert.NoError(t, err, "encrypted mode has no default window")
}
