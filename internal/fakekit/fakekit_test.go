package fakekit

import (
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

func TestFaultsApplyInOrderAndRunOut(t *testing.T) {
	var q Faults
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	render := func(w http.ResponseWriter, _ *http.Request, f Fault) {
		_, _ = io.WriteString(w, `{"code":"`+f.Code+`","msg":"`+f.Message+`"}`)
	}
	srv := httptest.NewServer(q.Middleware(ok, func(r *http.Request) string { return r.Header.Get("X-Action") }, render))
	defer srv.Close()
	get := func(path, action string) (int, string, error) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader("{}")) // POST: net/http never retries it
		req.Header.Set("X-Action", action)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), nil
	}
	q.FailNext(Fault{Match: "Save", Code: "E1", Message: "boom"})
	q.FailNext(Fault{Match: "/x", Status: 503, Body: "busy", Times: 2})
	q.FailNext(Fault{Reset: true})

	_, body, err := get("/y", "Save")
	require.NoError(t, err)
	assert.Equal(t, `{"code":"E1","msg":"boom"}`, body)
	for i := 0; i < 2; i++ {
		status, body, _ := get("/x", "Other")
		assert.Equal(t, 503, status)
		assert.Equal(t, "busy", body)
	}
	_, _, err = get("/z", "Any")
	require.Error(t, err, "connection reset")
	var ne interface{ Timeout() bool }
	assert.False(t, errors.As(err, &ne) && ne.Timeout())
	status, body, err := get("/z", "Any")
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	assert.Equal(t, "ok", body, "the queue ran out")
}

func TestFaultDelayAloneSlowsTheNormalAnswer(t *testing.T) {
	var q Faults
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	srv := httptest.NewServer(q.Middleware(ok, nil, nil))
	defer srv.Close()
	q.FailNext(Fault{Delay: 30 * time.Millisecond})
	start := time.Now()
	res, err := http.Get(srv.URL)
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, "ok", string(b))
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond, "a lower bound only: a delay never makes it faster")
}
