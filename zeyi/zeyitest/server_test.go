package zeyitest_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
)

func setup(t *testing.T, opts ...zeyitest.Option) (*zeyitest.Server, *zeyi.Client) {
	t.Helper()
	fake := zeyitest.NewServer(opts...)
	t.Cleanup(fake.Close)
	return fake, fake.Client()
}

// stateOnly checks that a delivery helper changed the state and said
// that no callback was posted.
func stateOnly(t *testing.T) func(status int, body []byte, err error) {
	return func(status int, _ []byte, err error) {
		t.Helper()
		require.ErrorIs(t, err, zeyitest.ErrNoCallbackURL)
		assert.Zero(t, status)
	}
}

// acked checks that a delivery helper's callback was acknowledged.
func acked(t *testing.T) func(status int, body []byte, err error) {
	return func(status int, body []byte, err error) {
		t.Helper()
		require.NoError(t, err)
		assert.True(t, zeyitest.Acknowledged(status, body), "HTTP %d %s", status, body)
	}
}

func sendReq(code string) *zeyi.SendAuditRequest {
	return &zeyi.SendAuditRequest{Code: code, AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001",
		AuditFormList: []zeyi.FormItem{zeyi.TextItem("金额", "100.00"), zeyi.FileItem("附件", "https://files.example/a.pdf")}}
}

func apiErr(t *testing.T, err error) *zeyi.Error {
	t.Helper()
	var e *zeyi.Error
	require.True(t, errors.As(err, &e), "want *zeyi.Error, got %T %v", err, err)
	return e
}

// TestOneApprovalPerCode covers the documented rule: at most one approved
// or in-progress approval per code.
func TestOneApprovalPerCode(t *testing.T) {
	fake, c := setup(t)
	ctx := context.Background()
	res, err := c.SendAudit(ctx, sendReq("C1"))
	require.NoError(t, err)
	assert.Len(t, res.AuditID, 19)
	assert.NotEmpty(t, res.Code)

	_, err = c.SendAudit(ctx, sendReq("C1"))
	e := apiErr(t, err)
	assert.True(t, e.Business)
	assert.Equal(t, zeyitest.CodeAuditExists, e.Code)

	stateOnly(t)(fake.Approve(context.Background(), "C1"))
	_, err = c.SendAudit(ctx, sendReq("C1"))
	assert.True(t, zeyi.IsCode(err, zeyitest.CodeAuditExists), "an approved code stays taken: %v", err)

	_, err = c.SendAudit(ctx, sendReq("C2"))
	require.NoError(t, err)
	stateOnly(t)(fake.Refuse(context.Background(), "C2", "金额不符"))
	_, err = c.SendAudit(ctx, sendReq("C2"))
	require.NoError(t, err, "a refused code may be sent again")

	_, err = c.SendAudit(ctx, &zeyi.SendAuditRequest{ID: "C3", AuditType: "T", Username: "E1"})
	require.NoError(t, err, "later revision names")
	_, err = c.CancelAudit(ctx, &zeyi.CancelAuditRequest{Code: "C3", Type: "T"})
	require.NoError(t, err)
	_, err = c.SendAudit(ctx, &zeyi.SendAuditRequest{ID: "C3", AuditType: "T", Username: "E1"})
	require.NoError(t, err, "a cancelled code may be sent again")

	var states []zeyitest.Status
	for _, a := range fake.Approvals() {
		states = append(states, a.Status)
	}
	assert.Equal(t, []zeyitest.Status{zeyitest.StatusApproved, zeyitest.StatusRefused, zeyitest.StatusRunning,
		zeyitest.StatusCanceled, zeyitest.StatusRunning}, states)
}

func TestConcurrentSendsOfOneCode(t *testing.T) {
	_, c := setup(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.SendAudit(context.Background(), sendReq("SAME"))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	okCount := 0
	for err := range errs {
		if err == nil {
			okCount++
		} else {
			assert.True(t, zeyi.IsCode(err, zeyitest.CodeAuditExists), "%v", err)
		}
	}
	assert.Equal(t, 1, okCount)
}

func TestCancel(t *testing.T) {
	fake, c := setup(t)
	ctx := context.Background()
	res, err := c.SendAudit(ctx, sendReq("C1"))
	require.NoError(t, err)

	_, err = c.CancelAudit(ctx, &zeyi.CancelAuditRequest{Code: "C1", Type: "OTHER_TYPE"})
	assert.True(t, zeyi.IsCode(err, zeyitest.CodeAuditNotFound), "type must match: %v", err)
	_, err = c.CancelAudit(ctx, &zeyi.CancelAuditRequest{AuditID: res.AuditID, AuditType: "JINRUN_VEHICLE_FEE_AUDIT", Remark: "重复提交", Username: "E001"})
	require.NoError(t, err)
	a, ok := fake.Approval("C1")
	require.True(t, ok)
	assert.Equal(t, zeyitest.StatusCanceled, a.Status)
	assert.Equal(t, "重复提交", a.Remark)

	_, err = c.CancelAudit(ctx, &zeyi.CancelAuditRequest{Code: "C1", Type: "JINRUN_VEHICLE_FEE_AUDIT"})
	assert.True(t, zeyi.IsBusiness(err))
	_, _, err = fake.Approve(ctx, "C1")
	assert.Error(t, err, "a cancelled approval cannot be approved")
	_, _, err = fake.Approve(ctx, "nope")
	assert.Error(t, err)
}

func TestStoredForm(t *testing.T) {
	fake, c := setup(t)
	_, err := c.SendAudit(context.Background(), sendReq("C1"))
	require.NoError(t, err)
	a, ok := fake.Approval("C1")
	require.True(t, ok)
	assert.Equal(t, []zeyi.FormItem{zeyi.TextItem("金额", "100.00"), zeyi.FileItem("附件", "https://files.example/a.pdf")}, a.Form)
	assert.Equal(t, "E001", a.Originator)
	assert.Equal(t, 1, fake.Requests(zeyi.PathSendAudit))
}

// rawPost sends body with hand-made headers.
func rawPost(t *testing.T, fake *zeyitest.Server, h map[string]string, body string) *zeyi.Error {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, fake.URL+"/audit/cancel", bytes.NewBufferString(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", zeyi.ContentType)
	for k, v := range h {
		req.Header[k] = []string{v}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var env struct {
		Success           bool   `json:"success"`
		BusinessException bool   `json:"businessException"`
		ErrorCode         string `json:"errorCode"`
	}
	require.NoError(t, jsonDecode(resp, &env))
	require.False(t, env.Success)
	return &zeyi.Error{Code: env.ErrorCode, Business: env.BusinessException, HTTPStatus: resp.StatusCode}
}

func TestAuthentication(t *testing.T) {
	now := time.Now()
	fake, _ := setup(t, zeyitest.WithClock(func() time.Time { return now }))
	body := `{"code":"C1","type":"T"}`
	ts := zeyi.Timestamp(now)
	good := func() map[string]string {
		return map[string]string{"appKey": zeyitest.AppKey, "timestamp": ts, "nonce": "ab12CD",
			"sign": zeyi.Sign(zeyitest.AppKey, zeyitest.AppSecret, ts, "ab12CD", []byte(body))}
	}
	with := func(k, v string) map[string]string {
		h := good()
		if v == "" {
			delete(h, k)
		} else {
			h[k] = v
		}
		if k != "sign" {
			h["sign"] = zeyi.Sign(zeyitest.AppKey, zeyitest.AppSecret, h["timestamp"], h["nonce"], []byte(body))
		}
		return h
	}
	stale := zeyi.Timestamp(now.Add(-10 * time.Minute))
	for name, tc := range map[string]struct {
		h    map[string]string
		code string
	}{
		"no sign":       {with("sign", ""), zeyitest.CodeMissingHeader},
		"no nonce":      {with("nonce", ""), zeyitest.CodeMissingHeader},
		"bad sign":      {with("sign", "0123456789abcdef0123456789abcdef"), zeyitest.CodeBadSign},
		"other key":     {with("appKey", "someone-else"), zeyitest.CodeBadAppKey},
		"seconds":       {with("timestamp", strconv.FormatInt(now.Unix(), 10)), zeyitest.CodeBadTimestamp},
		"stale":         {with("timestamp", stale), zeyitest.CodeBadTimestamp},
		"long nonce":    {with("nonce", "abcdefg"), zeyitest.CodeBadNonce},
		"symbols nonce": {with("nonce", "ab-12!"), zeyitest.CodeBadNonce},
	} {
		t.Run(name, func(t *testing.T) {
			e := rawPost(t, fake, tc.h, body)
			assert.Equal(t, tc.code, e.Code)
			assert.False(t, e.Business)
		})
	}
	// The good headers pass authentication (the cancel then fails as a
	// business error), and replaying them is refused.
	e := rawPost(t, fake, good(), body)
	assert.Equal(t, zeyitest.CodeAuditNotFound, e.Code)
	e = rawPost(t, fake, good(), body)
	assert.Equal(t, zeyitest.CodeBadNonce, e.Code)
}

func TestWrongSecretIsRejected(t *testing.T) {
	fake := zeyitest.NewServer()
	defer fake.Close()
	c, err := zeyi.NewClient(zeyi.Config{AppKey: zeyitest.AppKey, AppSecret: "wrong-secret"}, zeyi.WithBaseURL(fake.URL))
	require.NoError(t, err)
	_, err = c.SendAudit(context.Background(), sendReq("C1"))
	assert.True(t, zeyi.IsCode(err, zeyitest.CodeBadSign), "%v", err)
	_, ok := fake.Approval("C1")
	assert.False(t, ok)
}

func TestUnknownPath(t *testing.T) {
	_, c := setup(t)
	_, err := c.Raw(context.Background(), &zeyi.RawRequest{Path: "audit/nope", Body: map[string]string{}})
	e := apiErr(t, err)
	assert.Equal(t, http.StatusNotFound, e.HTTPStatus)
}

func TestCallbacks(t *testing.T) {
	fake, c := setup(t)
	events := make(chan *zeyi.CallbackEvent, 3)
	srv := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(), func(_ context.Context, ev *zeyi.CallbackEvent) error {
		events <- ev
		return nil
	}))
	defer srv.Close()
	fake.SetCallback(srv.URL + "/dingtalkAudit/callback")
	ctx := context.Background()
	for _, code := range []string{"A", "R", "T"} {
		_, err := c.SendAudit(ctx, sendReq(code))
		require.NoError(t, err)
	}
	acked(t)(fake.Approve(context.Background(), "A"))
	ev := <-events
	assert.True(t, ev.Approved())
	assert.Equal(t, "A", ev.Code)
	assert.Equal(t, "JINRUN_VEHICLE_FEE_AUDIT", ev.AuditType)
	assert.Equal(t, "fake-approver", ev.AuditUser)
	assert.NotEmpty(t, ev.BusinessID)
	assert.Equal(t, zeyitest.CallbackAppKey, ev.AppKey)

	acked(t)(fake.Refuse(context.Background(), "R", "金额不符"))
	ev = <-events
	assert.True(t, ev.Refused())
	assert.Equal(t, "金额不符", ev.Remark)

	acked(t)(fake.Terminate(context.Background(), "T", "发起人撤销"))
	ev = <-events
	assert.True(t, ev.Terminated())
	assert.Equal(t, zeyi.AuditResult(""), ev.Result)
}

func TestCallbackFailureIsReported(t *testing.T) {
	fake, c := setup(t)
	var calls atomic.Int32
	srv := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(), func(context.Context, *zeyi.CallbackEvent) error {
		calls.Add(1)
		return errors.New("database down")
	}))
	defer srv.Close()
	_, err := c.SendAudit(context.Background(), sendReq("C1"))
	require.NoError(t, err)

	fake.SetCallback(srv.URL, zeyitest.CallbackBearer("another-token"))
	status, body, err := fake.Approve(context.Background(), "C1")
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, string(body), `"success":false`)
	assert.False(t, zeyitest.Acknowledged(status, body))
	assert.Zero(t, calls.Load(), "a wrong bearer never reaches the func")

	_, err = c.SendAudit(context.Background(), sendReq("C2"))
	require.NoError(t, err)
	fake.SetCallback(srv.URL, zeyitest.CallbackBearer(zeyitest.CallbackToken))
	status, _, err = fake.Approve(context.Background(), "C2")
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, int32(1), calls.Load())

	// 则一 delivers again; the handler runs again (it failed the first time).
	status, _, err = fake.Redeliver(context.Background(), "C2")
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, int32(2), calls.Load())
}

func TestOptions(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	fake := zeyitest.NewServer(zeyitest.WithCredentials("k2", "s2"), zeyitest.WithMaxSkew(0))
	defer fake.Close()
	assert.Equal(t, zeyi.Config{AppKey: "k2", AppSecret: "s2"}, fake.Config())
	c := fake.Client(zeyi.WithClock(func() time.Time { return old }))
	_, err := c.SendAudit(context.Background(), sendReq("C1"))
	require.NoError(t, err, "an hour-old timestamp passes with the window off")

	strict := zeyitest.NewServer()
	defer strict.Close()
	c = strict.Client(zeyi.WithClock(func() time.Time { return old }))
	_, err = c.SendAudit(context.Background(), sendReq("C1"))
	assert.True(t, zeyi.IsCode(err, zeyitest.CodeBadTimestamp), "%v", err)
}

func TestCallbackCredentialsOption(t *testing.T) {
	fake, c := setup(t)
	fake.SetCallback("http://127.0.0.1:1/unused", zeyitest.CallbackCredentials("ck", "cs"), zeyitest.CallbackBearer(""))
	assert.Equal(t, zeyi.CallbackConfig{AppKey: "ck", AppSecret: "cs"}, fake.CallbackConfig())
	got := make(chan *zeyi.CallbackEvent, 1)
	srv := httptest.NewServer(zeyi.NewCallbackHandler(fake.CallbackConfig(), func(_ context.Context, ev *zeyi.CallbackEvent) error {
		got <- ev
		return nil
	}))
	defer srv.Close()
	fake.SetCallback(srv.URL, zeyitest.CallbackHTTPClient(srv.Client()))
	_, err := c.SendAudit(context.Background(), sendReq("C1"))
	require.NoError(t, err)
	acked(t)(fake.Approve(context.Background(), "C1"))
	assert.Equal(t, "ck", (<-got).AppKey)
}
