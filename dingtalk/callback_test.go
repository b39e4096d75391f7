package dingtalk_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
)

const (
	cbToken = "cb-token-xyz"
	cbKey   = "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus"
	cbOwner = "dingappkey123"
)

var cbNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func cbConfig() dingtalk.CallbackConfig {
	return dingtalk.CallbackConfig{Token: cbToken, EncodingAESKey: cbKey, OwnerKey: cbOwner, Clock: func() time.Time { return cbNow }}
}

// push builds a signed, encrypted callback request for msg.
func push(t *testing.T, owner string, msg string, ts time.Time, mutate func(q url.Values, body *string)) *http.Request {
	t.Helper()
	c, err := dingtalk.NewCrypto(cbToken, cbKey, owner)
	require.NoError(t, err)
	em, err := c.Encrypt([]byte(msg), strconv.FormatInt(ts.UnixMilli(), 10), "")
	require.NoError(t, err)
	q := url.Values{"msg_signature": {em.MsgSignature}, "timestamp": {em.TimeStamp}, "nonce": {em.Nonce}}
	body := `{"encrypt":"` + em.Encrypt + `"}`
	if mutate != nil {
		mutate(q, &body)
	}
	return httptest.NewRequest(http.MethodPost, "/cb?"+q.Encode(), strings.NewReader(body))
}

const taskEvent = `{"EventType":"bpms_task_change","processInstanceId":"pi-1","corpId":"dingcorp","createTime":1763690400000,
"finishTime":1763694000000,"title":"张三的报销","type":"finish","result":"agree","staffId":"u9","url":"https://x","processCode":"PROC-1",
"businessId":"202611220001","bizCategoryId":"","taskId":82305040051,"remark":"同意"}`

func TestParseCallbackTaskEvent(t *testing.T) {
	ev, err := dingtalk.ParseCallback(push(t, cbOwner, taskEvent, cbNow, nil), cbConfig())
	require.NoError(t, err)
	require.NotNil(t, ev.TaskChange)
	assert.Nil(t, ev.InstanceChange)
	tc := ev.TaskChange
	assert.Equal(t, "pi-1", tc.ProcessInstanceID)
	assert.Equal(t, "82305040051", tc.TaskID)
	assert.Equal(t, "同意", tc.Remark)
	assert.Equal(t, "u9", tc.StaffID)
	assert.Equal(t, int64(1763694000000), tc.FinishTime.UnixMilli())
	assert.Equal(t, "bpms_task_change:pi-1:finish:82305040051", ev.DedupKey())
	assert.JSONEq(t, taskEvent, string(ev.Raw))
}

func TestParseCallbackAcceptsOtherSpellings(t *testing.T) {
	r := push(t, cbOwner, `{"EventType":"check_url"}`, cbNow, func(q url.Values, _ *string) {
		q.Set("signature", q.Get("msg_signature"))
		q.Set("timeStamp", q.Get("timestamp"))
		q.Del("msg_signature")
		q.Del("timestamp")
	})
	ev, err := dingtalk.ParseCallback(r, cbConfig())
	require.NoError(t, err)
	assert.Equal(t, dingtalk.EventCheckURL, ev.Type)
}

func TestParseCallbackRejects(t *testing.T) {
	big := strings.Repeat("x", 2<<20)
	cases := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"forged signature", func() *http.Request {
			return push(t, cbOwner, taskEvent, cbNow, func(q url.Values, _ *string) { q.Set("msg_signature", strings.Repeat("0", 40)) })
		}, 401},
		{"tampered body", func() *http.Request {
			return push(t, cbOwner, taskEvent, cbNow, func(_ url.Values, b *string) { *b = strings.Replace(*b, `"encrypt":"`, `"encrypt":"A`, 1) })
		}, 401},
		{"stale timestamp", func() *http.Request { return push(t, cbOwner, taskEvent, cbNow.Add(-2*time.Hour), nil) }, 401},
		{"wrong owner key", func() *http.Request { return push(t, "dingotherapp", taskEvent, cbNow, nil) }, 403},
		{"missing nonce", func() *http.Request {
			return push(t, cbOwner, taskEvent, cbNow, func(q url.Values, _ *string) { q.Del("nonce") })
		}, 400},
		{"garbage body", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/cb?msg_signature=a&timestamp=1&nonce=n", strings.NewReader("\x00\xff{"))
		}, 400},
		{"oversize body", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/cb?msg_signature=a&timestamp=1&nonce=n", strings.NewReader(big))
		}, 413},
		{"GET", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/cb", nil) }, 405},
		{"not an event", func() *http.Request { return push(t, cbOwner, `[1,2]`, cbNow, nil) }, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var called atomic.Bool
			h := dingtalk.NewCallbackHandler(cbConfig(), func(context.Context, *dingtalk.Event) error { called.Store(true); return nil })
			w := httptest.NewRecorder()
			h.ServeHTTP(w, tc.req())
			assert.Equal(t, tc.status, w.Code)
			assert.False(t, called.Load(), "nothing reaches the user's func")
			_, err := dingtalk.ParseCallback(tc.req(), cbConfig())
			assert.Error(t, err)
		})
	}
}

func TestCallbackHandlerReplyAndReplay(t *testing.T) {
	var calls atomic.Int32
	fail := atomic.Bool{}
	fail.Store(true)
	h := dingtalk.NewCallbackHandler(cbConfig(), func(_ context.Context, ev *dingtalk.Event) error {
		calls.Add(1)
		if fail.Load() {
			return errors.New("database down")
		}
		return nil
	})
	req := push(t, cbOwner, taskEvent, cbNow, nil)
	saved := readAll(t, req)
	mk := func() *http.Request {
		return httptest.NewRequest(http.MethodPost, req.URL.String(), strings.NewReader(saved))
	}

	w := httptest.NewRecorder()
	h.ServeHTTP(w, mk())
	assert.Equal(t, 500, w.Code, "handler failed: DingTalk must push again")

	fail.Store(false)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, mk())
	require.Equal(t, 200, w.Code, "the retried push is accepted")
	var reply dingtalk.EncryptedMessage
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &reply))
	assert.Contains(t, w.Body.String(), `"timeStamp"`)
	c, _ := dingtalk.NewCrypto(cbToken, cbKey, cbOwner)
	msg, err := c.Decrypt(reply.MsgSignature, reply.TimeStamp, reply.Nonce, reply.Encrypt)
	require.NoError(t, err)
	assert.Equal(t, "success", string(msg))

	w = httptest.NewRecorder()
	h.ServeHTTP(w, mk())
	assert.Equal(t, 200, w.Code, "a redelivery of a handled push is acknowledged again")
	assert.Equal(t, int32(2), calls.Load(), "and not handled twice")

	// Upper-casing the signature's hex (DingTalk compares it without case)
	// is the same message: acknowledged, not handled again.
	u := *req.URL
	q := u.Query()
	q.Set("msg_signature", strings.ToUpper(q.Get("msg_signature")))
	u.RawQuery = q.Encode()
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, u.String(), strings.NewReader(saved)))
	assert.Equal(t, 200, w.Code)
	assert.Equal(t, int32(2), calls.Load(), "a case change in msg_signature must not run the handler again")
}

func readAll(t *testing.T, r *http.Request) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(b)
}

func TestCallbackHandlerMisconfigured(t *testing.T) {
	var seen error
	cfg := cbConfig()
	cfg.EncodingAESKey = "short"
	cfg.OnError = func(_ *http.Request, err error) { seen = err }
	h := dingtalk.NewCallbackHandler(cfg, nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, push(t, cbOwner, taskEvent, cbNow, nil))
	assert.Equal(t, 500, w.Code)
	assert.ErrorContains(t, seen, "EncodingAESKey")
}

func TestParseCallbackPassesOtherEventsThroughRaw(t *testing.T) {
	msg := `{"EventType":"org_dept_create","DeptId":[12345],"TimeStamp":"1763690400000","title":42}`
	ev, err := dingtalk.ParseCallback(push(t, cbOwner, msg, cbNow, nil), cbConfig())
	require.NoError(t, err)
	assert.Equal(t, "org_dept_create", ev.Type)
	assert.Nil(t, ev.InstanceChange)
	assert.Nil(t, ev.TaskChange)
	assert.Empty(t, ev.DedupKey())
	assert.JSONEq(t, msg, string(ev.Raw))

	_, err = dingtalk.ParseCallback(push(t, cbOwner, `{"EventType":"bpms_instance_change","title":42}`, cbNow, nil), cbConfig())
	assert.Error(t, err, "an approval event must have its documented shape")
}
