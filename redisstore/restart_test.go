package redisstore_test

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hetong-go/hetong/redisstore"
	"github.com/redis/go-redis/v9"
)

// TestRedisRestart stops this test's own redis-server while replicas are
// busy: every call fails with a *redisstore.Error that wraps the go-redis
// cause (no fallback, by design); once Redis is back the same stores
// work again without being rebuilt; no goroutine is left behind.
func TestRedisRestart(t *testing.T) {
	srv := startRedisServer(t)
	baseline := runtime.NumGoroutine()

	rdb := redis.NewClient(&redis.Options{Addr: srv.addr(), DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond})
	ts, _ := redisstore.NewTokenStore(rdb)
	lim, _ := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: 1000, Burst: 1000})
	dd, _ := redisstore.NewDeduper(rdb)

	calls := []func(ctx context.Context, i int) error{
		func(ctx context.Context, i int) error {
			return ts.Set(ctx, "dingtalk:app", "tok", time.Now().Add(time.Hour))
		},
		func(ctx context.Context, i int) error { _, _, err := ts.Get(ctx, "dingtalk:app"); return err },
		func(ctx context.Context, i int) error { return lim.Wait(ctx, "essbasic:app:all") },
		func(ctx context.Context, i int) error {
			_, _, err := dd.Reserve(ctx, "qiyuesuo:app:"+strconv.Itoa(i), time.Minute)
			return err
		},
	}
	var ok, failed atomic.Int64
	var badErr atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				err := calls[(w+i)%len(calls)](ctx, i)
				cancel()
				if err == nil {
					ok.Add(1)
					continue
				}
				failed.Add(1)
				var e *redisstore.Error
				if !errors.As(err, &e) || e.Err == nil || e.Key == "" || errors.Is(err, redisstore.ErrInvalidArgument) {
					badErr.Store(err)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("gave up waiting for %s (ok %d, failed %d)", what, ok.Load(), failed.Load())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}

	waitFor("calls to succeed", func() bool { return ok.Load() > 100 })
	srv.stop()
	okAtStop := ok.Load()
	waitFor("calls to fail", func() bool { return failed.Load() > 20 })
	okWhileDown := ok.Load() - okAtStop
	failedWhileDown := failed.Load()
	srv.start()
	okAtRestart := ok.Load()
	waitFor("calls to recover", func() bool { return ok.Load() > okAtRestart+100 })
	close(stop)
	wg.Wait()

	t.Logf("restart: %d ok before, %d failed while down (%d ok in flight as it stopped), %d ok after restart",
		okAtStop, failedWhileDown, okWhileDown, ok.Load()-okAtRestart)
	if v := badErr.Load(); v != nil {
		t.Fatalf("a failure was not a *redisstore.Error wrapping the Redis cause: %v", v)
	}
	_, _, err := ts.Get(context.Background(), "dingtalk:app")
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}

	srv.stop()
	_, _, err = ts.Get(context.Background(), "dingtalk:app")
	t.Logf("error while Redis is down reads: %v", err)
	rdb.Close()
	waitFor("goroutines to end", func() bool { return runtime.NumGoroutine() <= baseline })
	t.Logf("goroutines: %d before, %d after", baseline, runtime.NumGoroutine())
}
