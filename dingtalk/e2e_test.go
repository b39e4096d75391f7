package dingtalk_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

const procCode = "PROC-BX-0001"

func fakeClient(t testing.TB, srv *dingtalktest.Server, opts ...dingtalk.Option) *dingtalk.Client {
	t.Helper()
	base := []dingtalk.Option{dingtalk.WithBaseURL(srv.URL), dingtalk.WithNewAPIBaseURL(srv.URL),
		dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})}
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret}, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

var day0 = time.Date(2026, 11, 16, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestEndToEndListGetDecode(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	want := srv.SeedReimbursements(procCode, 45, day0)
	srv.SeedReimbursements("PROC-OTHER", 3, day0)
	c := fakeClient(t, srv)
	ctx := context.Background()

	var got []string
	for id, err := range c.AllInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: procCode, StartTime: day0, EndTime: day0.AddDate(0, 0, 30)}) {
		require.NoError(t, err)
		got = append(got, id)
	}
	assert.Equal(t, want, got, "45 IDs over 3 pages of 20, in order, none from the other process")
	assert.Equal(t, 3, srv.Calls("/topapi/processinstance/listids"))

	res, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: want[7]})
	require.NoError(t, err)
	in := res.Instance
	assert.Equal(t, dingtalk.StatusCompleted, in.Status)
	assert.Equal(t, dingtalk.ResultAgree, in.Result)
	assert.True(t, in.CreateTime.Equal(day0.Add(21*time.Hour)), "create time %v", in.CreateTime)
	assert.Len(t, in.Tasks, 1)
	assert.Equal(t, "START_PROCESS_INSTANCE", in.OperationRecords[0].OperationType)

	var form dingtalktest.Reimbursement
	require.NoError(t, in.FormComponentValues.Decode(&form))
	assert.Equal(t, dingtalktest.SampleReimbursement(7, day0.Add(21*time.Hour)), form)
	assert.Equal(t, "请按实际发生填写", form.Note, "TextNote matched by component ID")
	require.NotEmpty(t, form.Lines[0].Project)
	assert.Equal(t, "pdf", form.Lines[0].Project[0].Invoices[0].FileType)
}

func TestEndToEndNewAPI(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	want := srv.SeedReimbursements(procCode, 25, day0)
	c := fakeClient(t, srv)
	ctx := context.Background()
	var got []string
	for id, err := range c.AllWorkflowInstanceIDs(ctx, &dingtalk.ListWorkflowInstanceIDsRequest{ProcessCode: procCode, StartTime: day0, MaxResults: 10}) {
		require.NoError(t, err)
		got = append(got, id)
	}
	assert.Equal(t, want, got)
	srv.AddInstance(dingtalktest.Instance{ProcessCode: procCode, CreateTime: day0.Add(time.Minute), Status: dingtalk.StatusRunning})
	running, err := c.ListWorkflowInstanceIDs(ctx, &dingtalk.ListWorkflowInstanceIDsRequest{ProcessCode: procCode, StartTime: day0,
		Statuses: []string{dingtalk.StatusRunning}})
	require.NoError(t, err)
	assert.Len(t, running.IDs, 1, "the statuses filter")
	assert.False(t, running.HasMore)
	res, err := c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: want[0]})
	require.NoError(t, err)
	assert.True(t, res.Instance.CreateTime.Equal(day0), "%v", res.Instance.CreateTime)
	var form dingtalktest.Reimbursement
	require.NoError(t, res.Instance.FormComponentValues.Decode(&form))
	assert.Equal(t, dingtalktest.SampleReimbursement(0, day0), form)

	table, err := dingtalk.TableValue([][]dingtalk.FormValue{{{Name: "报销金额(元)", Value: "12.50"}, {Name: "费用明细", Value: "打车"}}})
	require.NoError(t, err)
	st, err := c.StartWorkflowInstance(ctx, &dingtalk.StartWorkflowInstanceRequest{ProcessCode: procCode, OriginatorUserID: "user1",
		FormComponentValues: []dingtalk.FormValue{{Name: "报销类别", Value: "行政报销"}, {Name: "报销明细", Value: table}}})
	require.NoError(t, err)
	got2, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: st.InstanceID})
	require.NoError(t, err)
	var small struct {
		Category string `dingtalk:"报销类别"`
		Lines    []struct {
			Amount hetong.Amount `dingtalk:"报销金额(元)"`
		} `dingtalk:"报销明细"`
	}
	require.NoError(t, got2.Instance.FormComponentValues.Decode(&small))
	assert.Equal(t, "行政报销", small.Category)
	assert.Equal(t, 0, small.Lines[0].Amount.Cmp(hetong.AmountFromFen(1250)))
	assert.Equal(t, 1, srv.Calls("/v1.0/workflow/processInstances")-1, "one GET, one POST")
}

func TestEndToEndCreateOldAPI(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	res, err := c.CreateInstance(context.Background(), &dingtalk.CreateInstanceRequest{ProcessCode: procCode,
		OriginatorUserID: "user1", DeptID: -1, Approvers: []string{"boss"},
		FormComponentValues: []dingtalk.FormValue{{Name: "报销类别", Value: "项目报销"}}})
	require.NoError(t, err)
	inst, ok := srv.Instance(res.ProcessInstanceID)
	require.True(t, ok)
	assert.Equal(t, []string{"boss"}, inst.ApproverUserIDs)
	assert.Equal(t, 1, srv.Calls("/topapi/processinstance/create"))
}

func TestThousandConcurrentFirstCallsFetchOneToken(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	id := srv.SeedReimbursements(procCode, 1, day0)[0]
	c := fakeClient(t, srv, dingtalk.WithRateLimit(0, 0))
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.TokenFetches())
}

func TestStaleTokenIsRefreshedAndCallRetriedOnce(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	id := srv.SeedReimbursements(procCode, 1, day0)[0]
	c := fakeClient(t, srv)
	ctx := context.Background()
	_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err)
	_, err = c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err)
	require.Equal(t, 2, srv.TokenFetches(), "one per API family")

	srv.ExpireTokens()
	_, err = c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err, "40014 → refresh → retry")
	_, err = c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err, "InvalidAuthentication → refresh → retry")
	assert.Equal(t, 4, srv.TokenFetches())
	assert.Equal(t, 3, srv.Calls("/topapi/processinstance/get"))
}

func TestTokenRefreshedFiveMinutesAhead(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	id := srv.SeedReimbursements(procCode, 1, day0)[0]
	var mu sync.Mutex
	now := day0
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv.SetClock(clock)
	c := fakeClient(t, srv, dingtalk.WithClock(clock))
	get := func() {
		_, err := c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
		require.NoError(t, err)
	}
	get()
	advance(7200*time.Second - 5*time.Minute - time.Second)
	get()
	assert.Equal(t, 1, srv.TokenFetches(), "still outside the refresh window")
	advance(2 * time.Second)
	get()
	assert.Equal(t, 2, srv.TokenFetches(), "refreshed 5 min before expiry")
}

func TestBadCredentialsAreTypedErrors(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: "wrong-secret-value"},
		dingtalk.WithBaseURL(srv.URL), dingtalk.WithNewAPIBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: "x"})
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, dingtalk.CodeBadAppKeyOrSecret, e.Code)
	assert.Equal(t, "/gettoken", e.Op)
	assert.NotContains(t, err.Error(), "wrong-secret-value")

	_, err = c.GetWorkflowInstance(context.Background(), &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: "x"})
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, "invalidClientIdOrSecret", e.Code)
	assert.Equal(t, 400, e.HTTPStatus)
	assert.NotEmpty(t, e.RequestID)
}

func TestCallbackHandlerAgainstFake(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	ids := srv.SeedReimbursements(procCode, 2, day0)
	var mu sync.Mutex
	var seen []*dingtalk.Event
	h := dingtalk.NewCallbackHandler(dingtalktest.CallbackConfig(), func(_ context.Context, ev *dingtalk.Event) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, ev)
		return nil
	})
	hs := httptest.NewServer(h)
	defer hs.Close()
	ctx := context.Background()
	require.NoError(t, srv.CheckURL(ctx, hs.URL))
	for _, id := range ids {
		ev, err := srv.InstanceEvent(id, "finish")
		require.NoError(t, err)
		require.NoError(t, srv.PostEvent(ctx, hs.URL+"/dingtalk/events", ev))
	}
	require.NoError(t, srv.PostEvent(ctx, hs.URL, map[string]any{"EventType": "user_add_org", "UserId": []string{"u1"}}))
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 3, "check_url is answered by the handler itself")
	ic := seen[1].InstanceChange
	require.NotNil(t, ic)
	assert.Equal(t, ids[1], ic.ProcessInstanceID)
	assert.Equal(t, "finish", ic.Type)
	assert.Equal(t, dingtalk.ResultAgree, ic.Result)
	assert.True(t, ic.FinishTime.Equal(day0.Add(3*time.Hour+90*time.Minute)))
	assert.Equal(t, "user_add_org", seen[2].Type)
	assert.Nil(t, seen[2].InstanceChange)
	assert.Contains(t, string(seen[2].Raw), "UserId")
	assert.True(t, slices.ContainsFunc(seen, func(e *dingtalk.Event) bool { return e.DedupKey() != "" }))
}

// memStore is a TokenStore a test can inspect, standing in for Redis.
type memStore struct {
	mu   sync.Mutex
	m    map[string]string
	exp  map[string]time.Time
	sets int
}

func (s *memStore) Get(_ context.Context, key string) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key], s.exp[key], nil
}

func (s *memStore) Set(_ context.Context, key, value string, exp time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key], s.exp[key] = value, exp
	s.sets++
	return nil
}

func TestSharedTokenStoreServesTwoClients(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	id := srv.SeedReimbursements(procCode, 1, day0)[0]
	st := &memStore{m: map[string]string{}, exp: map[string]time.Time{}}
	a := fakeClient(t, srv, dingtalk.WithTokenStore(st))
	b := fakeClient(t, srv, dingtalk.WithTokenStore(st))
	for _, c := range []*dingtalk.Client{a, b} {
		_, err := c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.TokenFetches(), "the second process finds the token in the shared store")
	assert.Contains(t, st.m, "dingtalk:"+dingtalktest.AppKey+":oapi", "keyed per app and API family")
}

func TestConcurrentCallersShareATokenFailure(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: "wrong-secret"},
		dingtalk.WithBaseURL(srv.URL), dingtalk.WithRateLimit(0, 0))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: "x"})
			assert.True(t, dingtalk.IsCode(err, dingtalk.CodeBadAppKeyOrSecret), "%v", err)
			_ = err.Error()
		}()
	}
	wg.Wait()
}

func (s *memStore) TryLock(context.Context, string, time.Duration) (func(context.Context) error, bool, error) {
	return func(context.Context) error { return nil }, true, nil
}
