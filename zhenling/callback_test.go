package zhenling_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zhenling"
)

func post(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/callback/createContract", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func TestParseCallbackShapes(t *testing.T) {
	cases := map[string]struct {
		body string
		want []zhenling.CallbackEvent
	}{
		"single object": {
			`{"code":"0","subCode":"CREATED","sourceSystem":"oms","sourceCode":"S1","batchId":"b1","msg":"ok"}`,
			[]zhenling.CallbackEvent{{Code: "0", SubCode: "CREATED", SourceSystem: "oms", SourceCode: "S1", BatchID: "b1", Message: "ok", OK: true}},
		},
		"array": {
			`[{"code":"SUCCESS","sourceCode":"S1"},{"code":"FAILED","subCode":"E1","sourceCode":"S2","message":"bad"}]`,
			[]zhenling.CallbackEvent{{Code: "SUCCESS", SourceCode: "S1", OK: true}, {Code: "FAILED", SubCode: "E1", SourceCode: "S2", Message: "bad"}},
		},
		"data array inherits outer fields": {
			`{"batchId":"b9","sourceSystem":"oms","data":[{"code":0,"sourceCode":"S1"},{"code":"E","sourceCode":12345678901234567890,"errmsg":"x"}]}`,
			[]zhenling.CallbackEvent{{Code: "0", SourceCode: "S1", SourceSystem: "oms", BatchID: "b9", OK: true},
				{Code: "E", SourceCode: "12345678901234567890", SourceSystem: "oms", BatchID: "b9", Message: "x"}},
		},
		"data object": {
			`{"data":{"code":"SUCCESS","subCode":"OK","sourceCode":"S3"}}`,
			[]zhenling.CallbackEvent{{Code: "SUCCESS", SubCode: "OK", SourceCode: "S3", OK: true}},
		},
	}
	for name, tc := range cases {
		evs, err := zhenling.ParseCallback(post(tc.body), zhenling.CallbackConfig{})
		require.NoError(t, err, name)
		require.Len(t, evs, len(tc.want), name)
		for i := range evs {
			assert.NotEmpty(t, evs[i].Raw, name)
			evs[i].Raw = nil
		}
		assert.Equal(t, tc.want, evs, name)
	}
}

func TestParseCallbackCustomSuccessCodes(t *testing.T) {
	evs, err := zhenling.ParseCallback(post(`{"code":"S","sourceCode":"1"}`), zhenling.CallbackConfig{SuccessCodes: []string{"S"}})
	require.NoError(t, err)
	assert.True(t, evs[0].OK)
	evs, err = zhenling.ParseCallback(post(`{"code":"0","sourceCode":"1"}`), zhenling.CallbackConfig{SuccessCodes: []string{"S"}})
	require.NoError(t, err)
	assert.False(t, evs[0].OK)
}

func TestParseCallbackRejects(t *testing.T) {
	secret := zhenling.HeaderSecret("X-Callback-Token", "cb-secret-1")
	basic := zhenling.BasicAuth("oc", "cb-pass-2")
	cases := map[string]struct {
		req    func() *http.Request
		cfg    zhenling.CallbackConfig
		status int
	}{
		"garbage":          {func() *http.Request { return post(`not json`) }, zhenling.CallbackConfig{}, 400},
		"empty":            {func() *http.Request { return post(``) }, zhenling.CallbackConfig{}, 400},
		"empty array":      {func() *http.Request { return post(`[]`) }, zhenling.CallbackConfig{}, 400},
		"scalar item":      {func() *http.Request { return post(`[1]`) }, zhenling.CallbackConfig{}, 400},
		"truncated":        {func() *http.Request { return post(`{"code":"0"`) }, zhenling.CallbackConfig{}, 400},
		"oversize":         {func() *http.Request { return post(`{"code":"0","pad":"` + strings.Repeat("x", 200) + `"}`) }, zhenling.CallbackConfig{MaxBody: 100}, 413},
		"missing secret":   {func() *http.Request { return post(`{"code":"0"}`) }, zhenling.CallbackConfig{Verifier: secret}, 401},
		"wrong secret":     {func() *http.Request { return withHeader(post(`{"code":"0"}`), "X-Callback-Token", "cb-secret-0") }, zhenling.CallbackConfig{Verifier: secret}, 401},
		"missing basic":    {func() *http.Request { return post(`{"code":"0"}`) }, zhenling.CallbackConfig{Verifier: basic}, 401},
		"wrong basic":      {func() *http.Request { return withBasic(post(`{"code":"0"}`), "oc", "nope") }, zhenling.CallbackConfig{Verifier: basic}, 401},
		"custom verifier":  {func() *http.Request { return post(`{"code":"0"}`) }, zhenling.CallbackConfig{Verifier: zhenling.CallbackVerifierFunc(func(*http.Request, []byte) error { return errors.New("no") })}, 401},
		"empty secret cfg": {func() *http.Request { return withHeader(post(`{"code":"0"}`), "X", "") }, zhenling.CallbackConfig{Verifier: zhenling.HeaderSecret("X", "")}, 401},
	}
	for name, tc := range cases {
		evs, err := zhenling.ParseCallback(tc.req(), tc.cfg)
		require.Error(t, err, name)
		assert.Nil(t, evs, name)
		rec := httptest.NewRecorder()
		called := false
		zhenling.NewCallbackHandler(tc.cfg, func(context.Context, []zhenling.CallbackEvent) error { called = true; return nil }).
			ServeHTTP(rec, tc.req())
		assert.Equal(t, tc.status, rec.Code, name)
		assert.False(t, called, name)
	}
	assert.NotContains(t, fmtErr(zhenling.ParseCallback(withHeader(post(`{}`), "X-Callback-Token", "cb-secret-0"), zhenling.CallbackConfig{Verifier: secret})), "cb-secret")
}

func fmtErr(_ any, err error) string { return err.Error() }

func withHeader(r *http.Request, k, v string) *http.Request { r.Header.Set(k, v); return r }

func withBasic(r *http.Request, u, p string) *http.Request { r.SetBasicAuth(u, p); return r }

func TestCallbackVerifiersAccept(t *testing.T) {
	evs, err := zhenling.ParseCallback(withHeader(post(`{"code":"0","sourceCode":"S"}`), "X-Callback-Token", "cb-secret-1"),
		zhenling.CallbackConfig{Verifier: zhenling.HeaderSecret("X-Callback-Token", "cb-secret-1")})
	require.NoError(t, err)
	assert.Equal(t, "S", evs[0].SourceCode)
	_, err = zhenling.ParseCallback(withBasic(post(`{"code":"0"}`), "oc", "cb-pass-2"), zhenling.CallbackConfig{Verifier: zhenling.BasicAuth("oc", "cb-pass-2")})
	require.NoError(t, err)
}

func TestCallbackHandlerAcksOnlyAfterSuccess(t *testing.T) {
	var got []zhenling.CallbackEvent
	h := zhenling.NewCallbackHandler(zhenling.CallbackConfig{}, func(_ context.Context, evs []zhenling.CallbackEvent) error {
		got = evs
		return nil
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, post(`{"code":"0","sourceCode":"S1"}`))
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, zhenling.DefaultAck, rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	require.Len(t, got, 1)

	var seen error
	failing := zhenling.NewCallbackHandler(zhenling.CallbackConfig{Ack: []byte("OK"), AckContentType: "text/plain", OnError: func(_ *http.Request, err error) { seen = err }},
		func(context.Context, []zhenling.CallbackEvent) error { return errors.New("db down") })
	rec = httptest.NewRecorder()
	failing.ServeHTTP(rec, post(`{"code":"0"}`))
	assert.Equal(t, 500, rec.Code, "OC should deliver again")
	assert.EqualError(t, seen, "db down")

	custom := zhenling.NewCallbackHandler(zhenling.CallbackConfig{Ack: []byte("OK"), AckContentType: "text/plain"}, func(context.Context, []zhenling.CallbackEvent) error { return nil })
	rec = httptest.NewRecorder()
	custom.ServeHTTP(rec, post(`{"code":"0"}`))
	assert.Equal(t, "OK", rec.Body.String())
	assert.Equal(t, "text/plain", rec.Header().Get("Content-Type"))

	rec = httptest.NewRecorder()
	custom.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cb", nil))
	assert.Equal(t, 405, rec.Code)

	rec = httptest.NewRecorder()
	zhenling.NewCallbackHandler(zhenling.CallbackConfig{}, nil).ServeHTTP(rec, post(`{"code":"0"}`))
	assert.Equal(t, 500, rec.Code)
}

// TestCallbackHandledOnce: a handler that panics answers 500 and the
// redelivery runs it again; once handled, a redelivery with other bytes
// but the same results is acknowledged without running it; one arriving
// while the first is still running gets 503.
func TestCallbackHandledOnce(t *testing.T) {
	var runs atomic.Int32
	block := make(chan struct{})
	entered := make(chan struct{}, 1)
	h := zhenling.NewCallbackHandler(zhenling.CallbackConfig{}, func(_ context.Context, evs []zhenling.CallbackEvent) error {
		n := runs.Add(1)
		switch {
		case n == 1:
			panic("boom")
		case evs[0].SourceCode == "SLOW":
			entered <- struct{}{}
			<-block
		}
		return nil
	})
	serve := func(body string) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, post(body))
		return w.Code
	}
	msg := `{"batchId":"b1","data":[{"code":"SUCCESS","subCode":"CREATED","sourceSystem":"oms","sourceCode":"S1"}]}`
	assert.Equal(t, 500, serve(msg), "a panic is a retryable failure, not a crash")
	assert.Equal(t, 200, serve(msg), "the redelivery runs the handler")
	assert.Equal(t, int32(2), runs.Load())
	same := "{ \"data\" : [ {\"sourceCode\":\"S1\",\"sourceSystem\":\"oms\",\"subCode\":\"CREATED\",\"code\":\"SUCCESS\",\"extra\":1} ], \"batchId\":\"b1\" }"
	assert.Equal(t, 200, serve(same), "the same message in other bytes is acknowledged again")
	assert.Equal(t, int32(2), runs.Load(), "and not handled twice")

	slow := `{"batchId":"b2","data":[{"code":"SUCCESS","sourceCode":"SLOW"}]}`
	done := make(chan int)
	go func() { done <- serve(slow) }()
	<-entered
	assert.Equal(t, 503, serve(slow), "a redelivery during handling is told to come back")
	close(block)
	assert.Equal(t, 200, <-done)
	assert.Equal(t, 200, serve(slow))
	assert.Equal(t, int32(3), runs.Load())
}

// TestCallbackSentinels: every rejection wraps the shared sentinel and
// CallbackStatus names the status the handler answers.
func TestCallbackSentinels(t *testing.T) {
	cases := []struct {
		req    *http.Request
		cfg    zhenling.CallbackConfig
		target error
		status int
	}{
		{post(`{"code":`), zhenling.CallbackConfig{}, zhenling.ErrMalformed, 400},
		{post(`[]`), zhenling.CallbackConfig{}, zhenling.ErrMalformed, 400},
		{post(strings.Repeat(" ", 100) + `{}`), zhenling.CallbackConfig{MaxBody: 10}, zhenling.ErrTooLarge, 413},
		{post(`{"code":"0"}`), zhenling.CallbackConfig{Verifier: zhenling.HeaderSecret("X-T", "s")}, zhenling.ErrSignature, 401},
		{post(`{"code":"0"}`), zhenling.CallbackConfig{Verifier: zhenling.CallbackVerifierFunc(func(*http.Request, []byte) error {
			return errors.New("ip not allowed")
		})}, zhenling.ErrSignature, 401},
	}
	for i, tc := range cases {
		_, err := zhenling.ParseCallback(tc.req, tc.cfg)
		assert.ErrorIs(t, err, tc.target, "case %d", i)
		assert.Equal(t, tc.status, zhenling.CallbackStatus(err), "case %d", i)
	}
	w := httptest.NewRecorder()
	zhenling.NewCallbackHandler(zhenling.CallbackConfig{}, func(context.Context, []zhenling.CallbackEvent) error { return nil }).
		ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/cb", nil))
	assert.Equal(t, 405, w.Code)
	assert.Equal(t, 200, zhenling.CallbackStatus(nil))
}

// TestCallbackKeyIsTheMessage: the key ignores bytes, not results.
func TestCallbackKeyIsTheMessage(t *testing.T) {
	a := []zhenling.CallbackEvent{{BatchID: "b", SourceSystem: "oms", SourceCode: "1", Code: "SUCCESS"}, {BatchID: "b", SourceCode: "2", Code: "FAILED"}}
	b := []zhenling.CallbackEvent{a[1], a[0]}
	assert.Equal(t, zhenling.CallbackKey("cid", a), zhenling.CallbackKey("cid", b), "order does not matter")
	c := []zhenling.CallbackEvent{a[0], {BatchID: "b", SourceCode: "2", Code: "SUCCESS"}}
	assert.NotEqual(t, zhenling.CallbackKey("cid", a), zhenling.CallbackKey("cid", c), "another result is another message")
	assert.NotEqual(t, zhenling.CallbackKey("cid", a), zhenling.CallbackKey("other", a))
	assert.Regexp(t, `^zhenling:cid:[0-9a-f]{64}$`, zhenling.CallbackKey("cid", a))
}
