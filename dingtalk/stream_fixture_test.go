package dingtalk_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// streamFixture runs a StreamClient against a fresh fake until the test
// ends.
type streamFixture struct {
	srv    *dingtalktest.Server
	cancel context.CancelFunc
	done   chan error
}

func startStream(t *testing.T, handler func(context.Context, *dingtalk.Event) error, opts ...dingtalk.StreamOption) *streamFixture {
	t.Helper()
	srv := dingtalktest.NewServer()
	t.Cleanup(srv.Close)
	return runStream(t, srv, streamClient(t, srv, nil), handler, opts...)
}

func streamClient(t *testing.T, srv *dingtalktest.Server, cfg *dingtalk.Config, opts ...dingtalk.Option) *dingtalk.Client {
	t.Helper()
	if cfg == nil {
		return srv.Client(opts...)
	}
	c, err := dingtalk.NewClient(*cfg, append(srv.Options(), opts...)...)
	require.NoError(t, err)
	return c
}

func runStream(t *testing.T, srv *dingtalktest.Server, c *dingtalk.Client, handler func(context.Context, *dingtalk.Event) error,
	opts ...dingtalk.StreamOption) *streamFixture {
	t.Helper()
	opts = append([]dingtalk.StreamOption{dingtalk.WithStreamBackoff(time.Millisecond, 10*time.Millisecond)}, opts...)
	sc, err := dingtalk.NewStreamClient(c, handler, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	f := &streamFixture{srv: srv, cancel: cancel, done: make(chan error, 1)}
	go func() { f.done <- sc.Run(ctx) }()
	t.Cleanup(func() { f.stop(t) })
	return f
}

// stop cancels Run and waits for it.
func (f *streamFixture) stop(t *testing.T) error {
	t.Helper()
	f.cancel()
	select {
	case err, ok := <-f.done:
		if ok {
			close(f.done)
		}
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its context ended")
		return nil
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// instanceEvent stores an instance in the fake and returns its Stream event.
func instanceEvent(t *testing.T, srv *dingtalktest.Server, id string) dingtalktest.StreamEvent {
	t.Helper()
	pid := srv.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-BX-0001", Title: "报销 " + id, OriginatorUserID: "manager01",
		Status: "COMPLETED", Result: "agree", CreateTime: time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC),
		FinishTime: time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)})
	ev, err := srv.StreamInstanceEvent(pid, "finish")
	require.NoError(t, err)
	ev.EventID = id
	return ev
}

// recordingDeduper stands for a shared store (Redis) and records the
// contract's calls.
type recordingDeduper struct {
	mu        sync.Mutex
	done      map[string]bool // key → committed
	ops       []string
	committed chan string // when set, told each committed key
}

func (d *recordingDeduper) Reserve(_ context.Context, key string, _ time.Duration) (bool, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ops = append(d.ops, "reserve")
	if done, ok := d.done[key]; ok {
		return false, done, nil
	}
	d.done[key] = false
	return true, false, nil
}

func (d *recordingDeduper) Commit(_ context.Context, key string, _ time.Duration) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ops = append(d.ops, "commit")
	d.done[key] = true
	if d.committed != nil {
		d.committed <- key
	}
	return nil
}

func (d *recordingDeduper) Release(_ context.Context, key string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ops = append(d.ops, "release")
	if !d.done[key] {
		delete(d.done, key)
	}
	return nil
}

func (d *recordingDeduper) keys() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for k := range d.done {
		out = append(out, k)
	}
	return out
}

// waitGoroutines fails when goroutines started by the test are still
// running once everything is closed (polling, as they exit concurrently).
func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, want %d:\n%s", runtime.NumGoroutine(), want, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
