package dingtalk_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

func TestStreamDeliversDecodedEventAndAcksSuccess(t *testing.T) {
	got := make(chan *dingtalk.Event, 2)
	f := startStream(t, func(_ context.Context, ev *dingtalk.Event) error { got <- ev; return nil })
	ctx := testCtx(t)
	push := instanceEvent(t, f.srv, "ev-1")

	ack, err := f.srv.PushStreamEvent(ctx, push)
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckSuccess, ack.Status)
	assert.Equal(t, 200, ack.Code)
	ev := <-got
	assert.Equal(t, dingtalk.EventInstanceChange, ev.Type)
	require.NotNil(t, ev.InstanceChange)
	assert.Equal(t, "finish", ev.InstanceChange.Type)
	assert.Equal(t, "agree", ev.InstanceChange.Result)
	assert.Equal(t, dingtalktest.CorpID, ev.InstanceChange.CorpID, "Stream carries the corp in eventCorpId")
	assert.Equal(t, "manager01", ev.InstanceChange.StaffID)
	assert.False(t, ev.InstanceChange.FinishTime.IsZero())

	ack, err = f.srv.PushStreamEvent(ctx, dingtalktest.StreamEvent{EventID: "ev-2", EventType: "user_add_org",
		Data: `{"userId":["u1"]}`})
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckSuccess, ack.Status)
	ev = <-got
	assert.Equal(t, "user_add_org", ev.Type)
	assert.JSONEq(t, `{"userId":["u1"]}`, string(ev.Raw))
	assert.Nil(t, ev.InstanceChange)
	assert.Nil(t, ev.TaskChange)

	tickets, accepted, refused := f.srv.StreamStats()
	assert.Equal(t, []int{1, 1, 0}, []int{tickets, accepted, refused})
}

func TestStreamTaskChangeEvent(t *testing.T) {
	got := make(chan *dingtalk.Event, 1)
	f := startStream(t, func(_ context.Context, ev *dingtalk.Event) error { got <- ev; return nil })
	_, err := f.srv.PushStreamEvent(testCtx(t), dingtalktest.StreamEvent{EventType: dingtalk.EventTaskChange,
		Data: map[string]any{"processInstanceId": "pi-1", "taskId": 6142, "type": "finish", "result": "refuse", "remark": "票据不全"}})
	require.NoError(t, err)
	ev := <-got
	require.NotNil(t, ev.TaskChange)
	assert.Equal(t, "6142", ev.TaskChange.TaskID)
	assert.Equal(t, "refuse", ev.TaskChange.Result)
	assert.Equal(t, "票据不全", ev.TaskChange.Remark)
}

func TestStreamLaterAfterFailureAndHandledOnceAfterReconnect(t *testing.T) {
	var calls, successes atomic.Int32
	f := startStream(t, func(context.Context, *dingtalk.Event) error {
		if calls.Add(1) == 1 {
			return errors.New("kingdee is down")
		}
		successes.Add(1)
		return nil
	})
	ctx := testCtx(t)
	ack, err := f.srv.PushStreamEvent(ctx, instanceEvent(t, f.srv, "ev-later"))
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckLater, ack.Status)
	assert.Equal(t, 500, ack.Code)

	require.True(t, f.srv.DropStream())
	// The fake, like DingTalk, pushes the unconsumed event again on the
	// next connection.
	ack, err = f.srv.WaitStreamAck(ctx, "ev-later", dingtalk.StreamAckSuccess)
	require.NoError(t, err)
	assert.Equal(t, 200, ack.Code)
	assert.Equal(t, int32(2), calls.Load())
	assert.Equal(t, int32(1), successes.Load())
	tickets, accepted, refused := f.srv.StreamStats()
	assert.Equal(t, []int{2, 2, 0}, []int{tickets, accepted, refused}, "a fresh ticket for the reconnect")
}

func TestStreamAnswersPing(t *testing.T) {
	f := startStream(t, func(context.Context, *dingtalk.Event) error { return nil })
	ack, err := f.srv.PingStream(testCtx(t))
	require.NoError(t, err)
	assert.Equal(t, 200, ack.Code)
	assert.Equal(t, "ping", ack.Topic)
	assert.Contains(t, ack.Data, "opaque")
}

func TestStreamDisconnectReconnectsWithNewTicket(t *testing.T) {
	var handled atomic.Int32
	f := startStream(t, func(context.Context, *dingtalk.Event) error { handled.Add(1); return nil })
	ctx := testCtx(t)
	require.NoError(t, f.srv.WaitStreamConnections(ctx, 1))
	ack, err := f.srv.DisconnectStream(ctx, "server restarting")
	require.NoError(t, err)
	assert.Equal(t, 200, ack.Code)

	require.NoError(t, f.srv.WaitStreamConnections(ctx, 2))
	tickets, accepted, refused := f.srv.StreamStats()
	assert.Equal(t, []int{2, 2, 0}, []int{tickets, accepted, refused}, "each connect opens the gateway for a one-time ticket")
	ack, err = f.srv.PushStreamEvent(ctx, instanceEvent(t, f.srv, "ev-after"))
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckSuccess, ack.Status)
	assert.Equal(t, int32(1), handled.Load())
}

func TestStreamDedupByEventID(t *testing.T) {
	var calls atomic.Int32
	f := startStream(t, func(context.Context, *dingtalk.Event) error { calls.Add(1); return nil })
	ctx := testCtx(t)
	ev := instanceEvent(t, f.srv, "ev-dup")
	for range 3 {
		ack, err := f.srv.PushStreamEvent(ctx, ev)
		require.NoError(t, err)
		assert.Equal(t, dingtalk.StreamAckSuccess, ack.Status, "a handled event is acknowledged again")
	}
	assert.Equal(t, int32(1), calls.Load())
}

func TestStreamRedeliveryWhileInFlightGetsLater(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	f := startStream(t, func(context.Context, *dingtalk.Event) error {
		if calls.Add(1) == 1 {
			close(started)
			<-release
		}
		return nil
	})
	ctx := testCtx(t)
	ev := instanceEvent(t, f.srv, "ev-inflight")
	first := make(chan dingtalktest.StreamAck, 1)
	go func() {
		ack, _ := f.srv.PushStreamEvent(ctx, ev)
		first <- ack
	}()
	<-started
	ack, err := f.srv.PushStreamEvent(ctx, ev)
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckLater, ack.Status, "the same event in flight is not run twice")
	close(release)
	assert.Equal(t, dingtalk.StreamAckSuccess, (<-first).Status)
	assert.Equal(t, int32(1), calls.Load())
}

func TestStreamHandlerPanicIsLaterAndReleased(t *testing.T) {
	var calls atomic.Int32
	f := startStream(t, func(context.Context, *dingtalk.Event) error {
		if calls.Add(1) == 1 {
			panic("bug in the handler")
		}
		return nil
	})
	ctx := testCtx(t)
	ev := instanceEvent(t, f.srv, "ev-panic")
	ack, err := f.srv.PushStreamEvent(ctx, ev)
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckLater, ack.Status)
	ack, err = f.srv.PushStreamEvent(ctx, ev)
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckSuccess, ack.Status, "the reservation was released, so the re-push runs the handler")
	assert.Equal(t, int32(2), calls.Load())
}

func TestStreamSharedDeduperSpansClients(t *testing.T) {
	dd := &recordingDeduper{done: map[string]bool{}}
	var calls atomic.Int32
	handler := func(context.Context, *dingtalk.Event) error { calls.Add(1); return nil }
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	ctx := testCtx(t)
	ev := instanceEvent(t, srv, "ev-shared")

	a := runStream(t, srv, srv.Client(dingtalk.WithDeduper(dd)), handler)
	_, err := srv.PushStreamEvent(ctx, ev)
	require.NoError(t, err)
	require.NoError(t, a.stop(t))
	runStream(t, srv, srv.Client(dingtalk.WithDeduper(dd)), handler)
	ack, err := srv.PushStreamEvent(ctx, ev)
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckSuccess, ack.Status)
	assert.Equal(t, int32(1), calls.Load(), "the second replica saw the first one's commit")
	assert.Equal(t, []string{"reserve", "commit", "reserve"}, dd.ops)
	assert.Equal(t, []string{"dingtalk:" + dingtalktest.AppKey + ":ev-shared"}, dd.keys())
}

func TestStreamStopsCleanlyAfterInFlightHandlers(t *testing.T) {
	before := runtime.NumGoroutine()
	started, release := make(chan struct{}), make(chan struct{})
	var finished atomic.Bool
	srv := dingtalktest.NewServer()
	f := runStream(t, srv, streamClient(t, srv, nil), func(ctx context.Context, _ *dingtalk.Event) error {
		close(started)
		<-release
		finished.Store(ctx.Err() == nil)
		return nil
	})
	ctx := testCtx(t)
	// Go through every way a connection ends before shutting down.
	require.NoError(t, srv.WaitStreamConnections(ctx, 1))
	require.True(t, srv.DropStream())
	require.NoError(t, srv.WaitStreamConnections(ctx, 2))
	_, err := srv.DisconnectStream(ctx, "rebalancing")
	require.NoError(t, err)
	require.NoError(t, srv.WaitStreamConnections(ctx, 3))
	_, err = srv.PingStream(ctx)
	require.NoError(t, err)

	acked := make(chan dingtalktest.StreamAck, 1)
	go func() {
		ack, _ := srv.PushStreamEvent(ctx, instanceEvent(t, srv, "ev-shutdown"))
		acked <- ack
	}()
	<-started
	f.cancel()
	select {
	case <-f.done:
		t.Fatal("Run returned while a handler was still running")
	default:
	}
	close(release)
	require.NoError(t, f.stop(t))
	assert.True(t, finished.Load(), "the handler's context is not cancelled by shutdown")
	assert.Equal(t, dingtalk.StreamAckSuccess, (<-acked).Status, "the in-flight event was acknowledged before closing")
	srv.Close()
	waitGoroutines(t, before)
}

func TestStreamBadCredentialsStopRun(t *testing.T) {
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	secret := "wrong-secret-4Kq9zT"
	c := streamClient(t, srv, &dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: secret})
	sc, err := dingtalk.NewStreamClient(c, func(context.Context, *dingtalk.Event) error { return nil })
	require.NoError(t, err)
	err = sc.Run(testCtx(t))
	var apiErr *dingtalk.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "invalidClientIdOrSecret", apiErr.Code)
	assert.NotContains(t, err.Error(), secret)
	_, accepted, _ := srv.StreamStats()
	assert.Zero(t, accepted)
}

func TestNewStreamClientValidates(t *testing.T) {
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	c := streamClient(t, srv, nil)
	ok := func(context.Context, *dingtalk.Event) error { return nil }
	for name, tc := range map[string]struct {
		c   *dingtalk.Client
		h   func(context.Context, *dingtalk.Event) error
		opt dingtalk.StreamOption
	}{
		"nil client":      {nil, ok, nil},
		"nil handler":     {c, nil, nil},
		"backoff":         {c, ok, dingtalk.WithStreamBackoff(time.Second, time.Millisecond)},
		"keepalive":       {c, ok, dingtalk.WithStreamKeepalive(-1)},
		"max handlers":    {c, ok, dingtalk.WithStreamMaxHandlers(0)},
		"handler timeout": {c, ok, dingtalk.WithStreamHandlerTimeout(0)},
		"nil http client": {c, ok, dingtalk.WithStreamHTTPClient(nil)},
	} {
		_, err := dingtalk.NewStreamClient(tc.c, tc.h, tc.opt)
		assert.Error(t, err, name)
	}
}

func TestStreamRunTwiceAtOnceIsRefused(t *testing.T) {
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	sc, err := dingtalk.NewStreamClient(streamClient(t, srv, nil), func(context.Context, *dingtalk.Event) error { return nil })
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = sc.Run(ctx) }()
	require.NoError(t, srv.WaitStreamConnections(testCtx(t), 1))
	assert.Error(t, sc.Run(ctx))
	cancel()
	wg.Wait()
}
