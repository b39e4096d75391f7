package dingtalk_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// A disconnect while a handler runs: the client finishes the handler and
// acknowledges on the old connection before it reconnects.
func TestStreamDisconnectLetsInFlightHandlerAck(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	f := startStream(t, func(context.Context, *dingtalk.Event) error {
		close(started)
		<-release
		return nil
	})
	ctx := testCtx(t)
	acked := make(chan error, 1)
	go func() {
		ack, err := f.srv.PushStreamEvent(ctx, instanceEvent(t, f.srv, "ev-disc"))
		if err == nil && ack.Status != dingtalk.StreamAckSuccess {
			err = assert.AnError
		}
		acked <- err
	}()
	<-started
	_, err := f.srv.DisconnectStream(ctx, "rebalancing")
	require.NoError(t, err)
	close(release)
	require.NoError(t, <-acked, "the ACK went out on the connection that carried the event")
	require.NoError(t, f.srv.WaitStreamConnections(ctx, 2))
}

// A connection lost while the handler runs: the ACK cannot be sent, so
// DingTalk re-pushes; while the handler still runs the re-push gets LATER,
// after it committed the re-push gets SUCCESS without a second run.
func TestStreamLostAckIsAnsweredFromDedupAfterReconnect(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	dd := &recordingDeduper{done: map[string]bool{}, committed: make(chan string, 1)}
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	runStream(t, srv, srv.Client(dingtalk.WithDeduper(dd)), func(context.Context, *dingtalk.Event) error {
		calls.Add(1)
		close(started)
		<-release
		return nil
	})
	ctx := testCtx(t)
	lost := make(chan ackOrErr, 1)
	go func() {
		ack, err := srv.PushStreamEvent(ctx, instanceEvent(t, srv, "ev-lost"))
		lost <- ackOrErr{ack, err}
	}()
	<-started
	require.True(t, srv.DropStream())
	ack := <-lost // from the re-push on the new connection, while the handler still runs
	require.NoError(t, ack.err)
	assert.Equal(t, dingtalk.StreamAckLater, ack.Status)

	close(release)
	select {
	case <-dd.committed:
	case <-ctx.Done():
		t.Fatal("the handled event was not committed")
	}
	require.True(t, srv.DropStream())
	done, err := srv.WaitStreamAck(ctx, "ev-lost", dingtalk.StreamAckSuccess)
	require.NoError(t, err)
	assert.Equal(t, 200, done.Code)
	assert.Equal(t, int32(1), calls.Load(), "handled once across three deliveries")
	_, accepted, _ := srv.StreamStats()
	assert.Equal(t, 3, accepted)
}

// Frames keep flowing while the handler budget is used up: they wait, and
// every event is still handled and acknowledged.
func TestStreamMaxHandlersQueuesEvents(t *testing.T) {
	var running, peak atomic.Int32
	f := startStream(t, func(context.Context, *dingtalk.Event) error {
		n := running.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(time.Millisecond)
		running.Add(-1)
		return nil
	}, dingtalk.WithStreamMaxHandlers(2))
	ctx := testCtx(t)
	done := make(chan error, 8)
	for i := range 8 {
		go func() {
			ack, err := f.srv.PushStreamEvent(ctx, dingtalktest.StreamEvent{EventType: "user_add_org", Data: map[string]int{"n": i}})
			if err == nil && ack.Status != dingtalk.StreamAckSuccess {
				err = assert.AnError
			}
			done <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-done)
	}
	assert.LessOrEqual(t, peak.Load(), int32(2))
}

type ackOrErr struct {
	dingtalktest.StreamAck
	err error
}

// The gateway failing for a while (5xx, resets) delays the connection but
// does not stop Run; the first event after it is delivered.
func TestStreamRetriesAFailingGateway(t *testing.T) {
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	srv.FailNext(dingtalktest.Fault{Match: "OpenConnection", Times: 4, Status: 503, Code: "ServiceUnavailable", Message: "busy"})
	srv.FailNext(dingtalktest.Fault{Match: "OpenConnection", Times: 2, Reset: true})
	got := make(chan string, 1)
	runStream(t, srv, srv.Client(), func(_ context.Context, ev *dingtalk.Event) error { got <- ev.ID; return nil })
	ack, err := srv.PushStreamEvent(testCtx(t), dingtalktest.StreamEvent{EventID: "ev-after-outage", EventType: "user_add_org", Data: "{}"})
	require.NoError(t, err)
	assert.Equal(t, dingtalk.StreamAckSuccess, ack.Status)
	assert.Equal(t, "ev-after-outage", <-got)
	tickets, accepted, _ := srv.StreamStats()
	assert.Equal(t, []int{1, 1}, []int{tickets, accepted})
}

// A 4xx from the gateway (here a refused app) will not change on retry:
// Run returns it.
func TestStreamGatewayRefusalEndsRun(t *testing.T) {
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	srv.FailNext(dingtalktest.Fault{Match: "OpenConnection", Status: 403, Code: "Forbidden.AccessDenied", Message: "app not allowed"})
	sc, err := dingtalk.NewStreamClient(srv.Client(), func(context.Context, *dingtalk.Event) error { return nil })
	require.NoError(t, err)
	err = sc.Run(testCtx(t))
	var apiErr *dingtalk.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Forbidden.AccessDenied", apiErr.Code)
	assert.Equal(t, 403, apiErr.HTTPStatus)
}

func TestStreamClientPrintsNoSecret(t *testing.T) {
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	sc, err := dingtalk.NewStreamClient(srv.Client(), func(context.Context, *dingtalk.Event) error { return nil })
	require.NoError(t, err)
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		out := fmt.Sprintf(format, sc)
		assert.NotContains(t, out, dingtalktest.AppSecret, format)
		assert.Contains(t, out, dingtalktest.AppKey, format)
		out = fmt.Sprintf(format, struct{ S *dingtalk.StreamClient }{sc}) // nested, as in a user's struct
		assert.NotContains(t, out, dingtalktest.AppSecret, format)
	}
}

// DingTalk re-pushes a LATER event on the same connection some time later;
// the fake does it when asked.
func TestStreamLaterEventRepushedOnSameConnection(t *testing.T) {
	var calls atomic.Int32
	f := startStream(t, func(context.Context, *dingtalk.Event) error {
		if calls.Add(1) == 1 {
			return errors.New("not yet")
		}
		return nil
	})
	ctx := testCtx(t)
	ack, err := f.srv.PushStreamEvent(ctx, instanceEvent(t, f.srv, "ev-repush"))
	require.NoError(t, err)
	require.Equal(t, dingtalk.StreamAckLater, ack.Status)
	n, err := f.srv.RepushStreamEvents(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = f.srv.WaitStreamAck(ctx, "ev-repush", dingtalk.StreamAckSuccess)
	require.NoError(t, err)
	n, err = f.srv.RepushStreamEvents(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "a consumed event is not pushed again")
	_, accepted, _ := f.srv.StreamStats()
	assert.Equal(t, 1, accepted)
	assert.Equal(t, int32(2), calls.Load())
}
