package main

import (
	"context"
	"net/http"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zhenling"
)

// Callback paths, one per platform, on one server.
const (
	pathZhenling = "/callbacks/zhenling"
	pathZeyi     = "/callbacks/zeyi"
	pathQiyuesuo = "/callbacks/qiyuesuo"
	pathEssbasic = "/callbacks/essbasic"
)

// inbox receives what the platforms push. Each handler acknowledges only
// after its event is queued: a full queue makes the platform retry.
type inbox struct {
	contracts chan zhenling.CallbackEvent
	approvals chan *zeyi.CallbackEvent
	qiyuesuo  chan *qiyuesuo.CallbackEvent
	essbasic  chan *essbasic.FlowStatusChange
}

func newInbox() *inbox {
	return &inbox{
		contracts: make(chan zhenling.CallbackEvent, 16),
		approvals: make(chan *zeyi.CallbackEvent, 16),
		qiyuesuo:  make(chan *qiyuesuo.CallbackEvent, 16),
		essbasic:  make(chan *essbasic.FlowStatusChange, 16),
	}
}

// callbackConfigs are the verification settings of each platform's handler.
type callbackConfigs struct {
	zhenling zhenling.CallbackConfig
	zeyi     zeyi.CallbackConfig
	qiyuesuo qiyuesuo.CallbackConfig
	essbasic essbasic.CallbackConfig
}

// mux mounts every platform's callback handler on its own path.
func (in *inbox) mux(cfg callbackConfigs) *http.ServeMux {
	m := http.NewServeMux()
	m.Handle("POST "+pathZhenling, zhenling.NewCallbackHandler(cfg.zhenling, func(ctx context.Context, evs []zhenling.CallbackEvent) error {
		for _, ev := range evs {
			if err := push(ctx, in.contracts, ev); err != nil {
				return err
			}
		}
		return nil
	}))
	m.Handle("POST "+pathZeyi, zeyi.NewCallbackHandler(cfg.zeyi, func(ctx context.Context, ev *zeyi.CallbackEvent) error {
		return push(ctx, in.approvals, ev)
	}))
	m.Handle("POST "+pathQiyuesuo, qiyuesuo.NewCallbackHandler(cfg.qiyuesuo, func(ctx context.Context, ev *qiyuesuo.CallbackEvent) error {
		return push(ctx, in.qiyuesuo, ev)
	}))
	m.Handle("POST "+pathEssbasic, essbasic.NewCallbackHandler(cfg.essbasic, func(ctx context.Context, ev *essbasic.CallbackEvent) error {
		if ev.MsgType != essbasic.MsgTypeFlowStatusChange {
			return nil // acknowledged, not needed here
		}
		change, err := ev.FlowStatusChange()
		if err != nil {
			return err
		}
		return push(ctx, in.essbasic, change)
	}))
	return m
}

// push queues v, or fails so the handler answers non-200 and the platform
// delivers the callback again later.
func push[T any](ctx context.Context, ch chan<- T, v T) error {
	select {
	case ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	default:
		return errInboxFull
	}
}

type inboxFull struct{}

func (inboxFull) Error() string { return "callback inbox full; the platform will retry" }

var errInboxFull error = inboxFull{}

// next waits for the first value of ch that match accepts.
func next[T any](ctx context.Context, ch <-chan T, match func(T) bool) (T, error) {
	for {
		select {
		case v := <-ch:
			if match(v) {
				return v, nil
			}
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
}
