package essbasic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/aesx"
)

const (
	testKey   = "0123456789abcdef0123456789abcdef"
	testToken = "callback-token"
	flowMsg   = `{"MsgId":"m-1","MsgType":"FlowStatusChange","MsgVersion":"ThirdPartyApp","MsgData":{"FlowId":"f-1","FlowCallbackStatus":4,"Operate":"finish","Approvers":[{"RecipientId":"r-1","ApproveCallbackStatus":3}]}}`
)

func post(body []byte, sig string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/cb", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if sig != "" {
		r.Header.Set("Content-Signature", sig)
	}
	return r
}

func encrypted(t testing.TB, msg string) []byte {
	b, err := EncryptCallback(testKey, []byte(msg))
	require.NoError(t, err)
	return b
}

// TestCallbackDecryptMatchesSpec decrypts by hand (base64 → AES-256-CBC
// with IV = key[:16] → PKCS#7) what EncryptCallback produced, so the two
// directions cannot share one mistake unnoticed.
func TestCallbackDecryptMatchesSpec(t *testing.T) {
	body := encrypted(t, flowMsg)
	require.True(t, bytes.HasPrefix(body, []byte(`{"encrypt":"`)))
	ct, err := aesx.DecodeBase64(string(body[len(`{"encrypt":"`) : len(body)-2]))
	require.NoError(t, err)
	plain, err := aesx.DecryptCBC([]byte(testKey), []byte(testKey[:16]), ct, 16)
	require.NoError(t, err)
	assert.Equal(t, flowMsg, string(plain))
}

func TestParseCallback(t *testing.T) {
	body := encrypted(t, flowMsg)
	ev, err := ParseCallback(post(body, CallbackSignature(testToken, body)), CallbackConfig{Key: testKey, Token: testToken})
	require.NoError(t, err)
	assert.Equal(t, "m-1", ev.MsgID)
	assert.Equal(t, MsgTypeFlowStatusChange, ev.MsgType)
	assert.Equal(t, "ThirdPartyApp", ev.MsgVersion)
	assert.Equal(t, flowMsg, string(ev.Raw))
	fsc, err := ev.FlowStatusChange()
	require.NoError(t, err)
	assert.Equal(t, "f-1", fsc.FlowID)
	assert.EqualValues(t, 3, fsc.Approvers[0].ApproveCallbackStatus)
	_, err = ev.PartnerMessage()
	require.NoError(t, err)

	// Bare hex (the Java kit's form) is accepted too.
	bare := strings.TrimPrefix(CallbackSignature(testToken, body), "sha256=")
	_, err = ParseCallback(post(body, bare), CallbackConfig{Key: testKey, Token: testToken})
	require.NoError(t, err)

	// Plaintext mode, numeric MsgId, unknown type passes through.
	plain := []byte(`{"MsgId":12345,"MsgType":"OrgOpenTsignBiz","MsgVersion":"ThirdPartyApp","MsgData":{"ProxyAppId":"p","OpenSuccess":true,"USCC":"9131"}}`)
	ev, err = ParseCallback(post(plain, ""), CallbackConfig{})
	require.NoError(t, err)
	assert.Equal(t, "12345", ev.MsgID)
	pm, err := ev.PartnerMessage()
	require.NoError(t, err)
	assert.True(t, pm.OpenSuccess)
	assert.Equal(t, "9131", pm.USCC)
	_, err = ev.FlowStatusChange()
	assert.Error(t, err, "wrong type")

	// The reachability probe.
	ev, err = ParseCallback(post([]byte(`{}`), ""), CallbackConfig{Key: testKey, Token: testToken})
	require.NoError(t, err)
	assert.True(t, ev.Probe)
}

func TestParseCallbackRejects(t *testing.T) {
	body := encrypted(t, flowMsg)
	good := CallbackSignature(testToken, body)
	cfg := CallbackConfig{Key: testKey, Token: testToken}
	tampered := append([]byte(nil), body...)
	tampered[20] ^= 1
	badPad, _ := aesx.EncryptECB([]byte(testKey), []byte("x")) // 16 bytes that do not unpad under CBC
	otherKey, _ := EncryptCallback("fedcba9876543210fedcba9876543210", []byte(flowMsg))
	noType := encrypted(t, `{"MsgId":"1"}`)
	// The ciphertext of flowMsg ends in "==" or "="; cut one "=" short, a
	// lenient decoder (the old shared one) still accepted it.
	shortPad := shortPadded(t)
	cases := []struct {
		name     string
		req      func() *http.Request
		cfg      CallbackConfig
		status   int
		sentinel error
	}{
		{"no signature", func() *http.Request { return post(body, "") }, cfg, 401, ErrSignature},
		{"forged signature", func() *http.Request { return post(body, "sha256="+strings.Repeat("0", 64)) }, cfg, 401, ErrSignature},
		{"tampered body", func() *http.Request { return post(tampered, good) }, cfg, 401, ErrSignature},
		{"not json", func() *http.Request { return post([]byte("hello"), "") }, CallbackConfig{Key: testKey}, 400, ErrMalformed},
		{"bad base64", func() *http.Request { return post([]byte(`{"encrypt":"***"}`), "") }, CallbackConfig{Key: testKey}, 400, ErrMalformed},
		{"base64 padding cut short", func() *http.Request { return post(shortPad, "") }, CallbackConfig{Key: testKey}, 400, ErrMalformed},
		{"bad padding", func() *http.Request { return post([]byte(`{"encrypt":"`+aesx.EncodeBase64(badPad)+`"}`), "") }, CallbackConfig{Key: testKey}, 400, ErrDecrypt},
		{"wrong key", func() *http.Request { return post(otherKey, "") }, CallbackConfig{Key: testKey}, 400, ErrDecrypt},
		{"plaintext when a key is set", func() *http.Request { return post([]byte(flowMsg), "") }, CallbackConfig{Key: testKey}, 400, ErrMalformed},
		{"no MsgType", func() *http.Request { return post(noType, "") }, CallbackConfig{Key: testKey}, 400, ErrMalformed},
		{"oversize", func() *http.Request { return post(bytes.Repeat([]byte("a"), 2048), "") }, CallbackConfig{MaxBody: 1024}, 413, ErrTooLarge},
		{"GET", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/cb", nil) }, cfg, 405, ErrMalformed},
		{"short key", func() *http.Request { return post(body, good) }, CallbackConfig{Key: "short"}, 500, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := ParseCallback(tc.req(), tc.cfg)
			require.Error(t, err)
			assert.Nil(t, ev)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			assert.Equal(t, tc.status, CallbackStatus(err), "CallbackStatus says what the handler answers")
			rec := httptest.NewRecorder()
			called := false
			NewCallbackHandler(tc.cfg, func(context.Context, *CallbackEvent) error { called = true; return nil }).
				ServeHTTP(rec, tc.req())
			assert.Equal(t, tc.status, rec.Code)
			assert.False(t, called)
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

// shortPadded is an encrypted callback whose base64 lost one "=".
func shortPadded(t *testing.T) []byte {
	for i := 0; ; i++ {
		msg := flowMsg + strings.Repeat(" ", i)
		var env struct{ Encrypt string }
		require.NoError(t, json.Unmarshal(encrypted(t, msg), &env))
		if strings.HasSuffix(env.Encrypt, "==") {
			return []byte(`{"encrypt":"` + strings.TrimSuffix(env.Encrypt, "=") + `"}`)
		}
	}
}

func TestCallbackHandlerAcksOnlyAfterSuccessAndDedupes(t *testing.T) {
	body := encrypted(t, flowMsg)
	cfg := CallbackConfig{Key: testKey, Deduper: NewMemoryDeduper()}
	var calls int
	fail := true
	h := NewCallbackHandler(cfg, func(_ context.Context, ev *CallbackEvent) error {
		calls++
		if fail {
			return errors.New("database down")
		}
		return nil
	})
	serve := func(b []byte) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, post(b, ""))
		return rec.Code
	}
	assert.Equal(t, 500, serve(body), "a failed func must make the platform retry")
	fail = false
	assert.Equal(t, 200, serve(body), "the retry is processed: the failed attempt was forgotten")
	assert.Equal(t, 200, serve(body), "a duplicate is acknowledged")
	assert.Equal(t, 2, calls, "but not handled again")
	assert.Equal(t, 200, serve([]byte(`{}`)), "probe")
	assert.Equal(t, 2, calls, "the probe never reaches the func")
}

// TestCallbackRedeliveryInFlightGets503: while the first delivery of a
// message is still in the user's func, a redelivery is answered 503 (the
// old handler acknowledged it with 200, and the message was lost when the
// first then failed). Once the first succeeded, a redelivery gets 200
// without running the func again.
func TestCallbackRedeliveryInFlightGets503(t *testing.T) {
	body := encrypted(t, flowMsg)
	entered, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	calls := 0
	h := NewCallbackHandler(CallbackConfig{Key: testKey}, func(context.Context, *CallbackEvent) error {
		mu.Lock()
		calls++
		mu.Unlock()
		close(entered)
		<-release
		return nil
	})
	first := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, post(body, ""))
		first <- rec.Code
	}()
	<-entered
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, post(body, ""))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "in flight: retry later, never 200")
	close(release)
	assert.Equal(t, http.StatusOK, <-first)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, post(body, ""))
	assert.Equal(t, http.StatusOK, rec.Code, "handled: acknowledged again")
	assert.Equal(t, 1, calls)
}

// TestCallbackPanicReleasesTheMessage: a panicking func answers 500 and
// the platform's retry runs the func again (the old handler kept the
// MsgId recorded, so the retry got 200 without the func: the event was lost).
func TestCallbackPanicReleasesTheMessage(t *testing.T) {
	body := encrypted(t, flowMsg)
	calls := 0
	h := NewCallbackHandler(CallbackConfig{Key: testKey, Deduper: NewMemoryDeduper()}, func(context.Context, *CallbackEvent) error {
		calls++
		if calls == 1 {
			panic("boom")
		}
		return nil
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, post(body, ""))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, post(body, ""))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, 2, calls, "the retry ran the func")
}

// recordingDeduper records the keys it is asked about.
type recordingDeduper struct {
	Deduper
	mu   sync.Mutex
	keys []string
}

func (d *recordingDeduper) Reserve(ctx context.Context, key string, ttl time.Duration) (bool, bool, error) {
	d.mu.Lock()
	d.keys = append(d.keys, key)
	d.mu.Unlock()
	return d.Deduper.Reserve(ctx, key, ttl)
}

// TestCallbackDedupKeys: keys are "essbasic:<AppId>:<MsgId>", from the
// config's AppID or the message's ApplicationId; WithDeduper wins over the
// config's; without any Deduper a handler still handles a message once.
func TestCallbackDedupKeys(t *testing.T) {
	msg := `{"MsgId":"m-9","MsgType":"OrgAuth","MsgData":{"ApplicationId":"app-7"}}`
	fromConfig := &recordingDeduper{Deduper: NewMemoryDeduper()}
	fromOption := &recordingDeduper{Deduper: NewMemoryDeduper()}
	h := NewCallbackHandler(CallbackConfig{Deduper: fromConfig}, func(context.Context, *CallbackEvent) error { return nil },
		WithDeduper(fromOption))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, post([]byte(msg), ""))
	require.Equal(t, 200, rec.Code)
	assert.Empty(t, fromConfig.keys)
	assert.Equal(t, []string{"essbasic:app-7:m-9"}, fromOption.keys)

	h = NewCallbackHandler(CallbackConfig{AppID: "app-1", Deduper: fromConfig}, func(context.Context, *CallbackEvent) error { return nil })
	h.ServeHTTP(httptest.NewRecorder(), post([]byte(msg), ""))
	assert.Equal(t, []string{"essbasic:app-1:m-9"}, fromConfig.keys)

	calls := 0
	h = NewCallbackHandler(CallbackConfig{}, func(context.Context, *CallbackEvent) error { calls++; return nil })
	for i := 0; i < 3; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, post([]byte(msg), ""))
		assert.Equal(t, 200, rec.Code)
	}
	assert.Equal(t, 1, calls, "handled once by default")

	rec = httptest.NewRecorder()
	NewCallbackHandler(CallbackConfig{}, nil, WithDeduper(nil)).ServeHTTP(rec, post([]byte(msg), ""))
	assert.Equal(t, 500, rec.Code, "a misconfigured handler never acknowledges")
}
