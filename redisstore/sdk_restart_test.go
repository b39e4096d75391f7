package redisstore_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/redisstore"
	"github.com/redis/go-redis/v9"
)

// TestSDKRedisRestart: dingtalk clients whose tokens live in Redis keep
// working through a Redis restart — failing clearly while it is down (the
// error unwraps to *redisstore.Error), fetching one new token when it is
// back (a Redis without persistence lost the old one) — and leave no
// goroutine behind.
func TestSDKRedisRestart(t *testing.T) {
	srv := startRedisServer(t)
	fake := dingtalktest.NewServer()
	defer fake.Close()
	id := fake.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-REDIS", Title: "restart"})
	baseline := runtime.NumGoroutine()

	var pools []*redis.Client
	replicas := make([]*dingtalk.Client, 3)
	for i := range replicas {
		rdb := redis.NewClient(&redis.Options{Addr: srv.addr(), DialTimeout: 200 * time.Millisecond,
			ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond})
		pools = append(pools, rdb)
		ts, err := redisstore.NewTokenStore(rdb)
		if err != nil {
			t.Fatal(err)
		}
		replicas[i], err = dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
			dingtalk.WithBaseURL(fake.URL), dingtalk.WithNewAPIBaseURL(fake.URL), dingtalk.WithTokenStore(ts),
			dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	call := func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return callAll(ctx, replicas, 30, id)
	}
	if err := call(ctx); err != nil {
		t.Fatal(err)
	}
	before := fake.TokenFetches()

	srv.stop()
	err := call(ctx)
	var e *redisstore.Error
	if !errors.As(err, &e) {
		t.Fatalf("while Redis is down: err = %v; want one that unwraps to *redisstore.Error", err)
	}
	t.Logf("while Redis is down a call fails with: %v", err)
	if fake.TokenFetches() != before {
		t.Fatal("a replica fetched a token without the shared lock")
	}

	srv.start()
	deadline := time.Now().Add(15 * time.Second)
	for call(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("calls did not recover after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("Redis back: calls succeed again; token fetches %d before the restart, %d after (the restarted Redis had none)",
		before, fake.TokenFetches()-before)
	if got := fake.TokenFetches() - before; got != 1 {
		t.Fatalf("token fetches after the restart = %d, want 1", got)
	}

	for _, rdb := range pools {
		rdb.Close()
	}
	fake.Close()
	http.DefaultClient.CloseIdleConnections()
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > baseline; {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines: %d before, %d after: leak", baseline, runtime.NumGoroutine())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("goroutines: %d before, %d after", baseline, runtime.NumGoroutine())
}
