package redisstore_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hetong-go/hetong/redisstore"
	"github.com/redis/go-redis/v9"
)

// TestLimiterSharedBudget: 4 replicas, each with its own Redis connection
// pool and its own Limiter, together want far more than 20/s for 5 s.
// They get at most 20×5 + burst, and at least 90% of it.
func TestLimiterSharedBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for 5 s")
	}
	const (
		replicas  = 4
		workers   = 4 // per replica: demand far above the budget
		perSecond = 20
		burst     = 20 // as the platforms allow; it also absorbs a stalled second on a busy machine
		window    = 5 * time.Second
	)
	prefix := testPrefix(t, newClient(t))
	budget := perSecond*int(window/time.Second) + burst

	ctx, cancel := context.WithTimeout(context.Background(), window)
	defer cancel()
	var sent [replicas]atomic.Int64
	var wg sync.WaitGroup
	for r := range replicas {
		lim, err := redisstore.NewLimiter(newClient(t), redisstore.Limit{PerSecond: perSecond, Burst: burst}, redisstore.WithPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					err := lim.Wait(ctx, "essbasic:app:CreateFlow")
					if err != nil {
						if !errors.Is(err, context.DeadlineExceeded) {
							t.Errorf("replica %d: %v", r, err)
						}
						return
					}
					sent[r].Add(1)
				}
			}()
		}
	}
	wg.Wait()
	var total int64
	for r := range replicas {
		total += sent[r].Load()
		t.Logf("replica %d sent %d", r, sent[r].Load())
	}
	t.Logf("4 replicas, budget %d/s burst %d for %v: sent %d in total (ceiling %d, floor 90%% = %d)",
		perSecond, burst, window, total, budget, (budget*9+9)/10)
	if total > int64(budget) {
		t.Errorf("sent %d > %d: the budget is not shared", total, budget)
	}
	if total < int64((budget*9+9)/10) {
		t.Errorf("sent %d < 90%% of %d: the limiter wastes the budget", total, budget)
	}
}

func TestLimiterKeyLimitAndDeadline(t *testing.T) {
	rdb := newClient(t)
	prefix := testPrefix(t, rdb)
	lim, err := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: 1000, Burst: 1000},
		redisstore.WithPrefix(prefix),
		redisstore.WithKeyLimit("dingtalk:app:*", redisstore.Limit{PerSecond: 0.1, Burst: 1}),
		redisstore.WithKeyLimit("dingtalk:*", redisstore.Limit{PerSecond: 2}))
	if err != nil {
		t.Fatal(err)
	}
	if got := lim.LimitFor("dingtalk:app:/topapi/processinstance/get"); got.PerSecond != 0.1 {
		t.Fatalf("first matching pattern: got %+v", got)
	}
	if got := lim.LimitFor("dingtalk:other:all"); got.PerSecond != 2 {
		t.Fatalf("second pattern: got %+v", got)
	}
	if got := lim.LimitFor("essbasic:app:all"); got.PerSecond != 1000 {
		t.Fatalf("default: got %+v", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := lim.Wait(ctx, "dingtalk:app:all"); err != nil {
		t.Fatal(err)
	}
	if n := rdb.Exists(ctx, prefix+":rate:dingtalk:app:all").Val(); n != 1 {
		t.Fatalf("limiter state not at %s:rate:dingtalk:app:all", prefix)
	}
	if n := rdb.Exists(ctx, "rate:"+prefix+":rate:dingtalk:app:all").Val(); n != 0 {
		t.Fatal("limiter state under redis_rate's own rate: prefix")
	}
	// The next slot is 10 s away, after ctx's deadline: fail now, not in 1 s.
	err = lim.Wait(ctx, "dingtalk:app:all")
	var e *redisstore.Error
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &e) || e.Op != "Wait" {
		t.Fatalf("err = %v; want a Wait *Error wrapping DeadlineExceeded", err)
	}
	if ctx.Err() != nil {
		t.Fatal("Wait slept until the deadline instead of failing at once")
	}

	// Without a deadline, cancellation ends the wait.
	cctx, ccancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); ccancel() }()
	if err := lim.Wait(cctx, "dingtalk:app:all"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want Canceled", err)
	}
}

func TestKeyLimitPatterns(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never dialled
	defer rdb.Close()
	def := redisstore.Limit{PerSecond: 1}
	hit := redisstore.Limit{PerSecond: 2}
	for _, tc := range []struct {
		pattern, key string
		match        bool
	}{
		{"essbasic:app:all", "essbasic:app:all", true},
		{"essbasic:app:all", "essbasic:app:allx", false},
		{"essbasic:*", "essbasic:app:CreateFlow", true},
		{"essbasic:*:CreateFlow", "essbasic:app:CreateFlow", true},
		{"essbasic:*:CreateFlow", "essbasic:app:CreateFlows", false},
		{"dingtalk:*:/topapi/*/get", "dingtalk:app:/topapi/processinstance/get", true},
		{"dingtalk:*:/topapi/*/get", "dingtalk:app:/v1.0/workflow/get/x", false},
		{"*:all", "kingdee:acct:all", true},
		{"a*a", "a", false},
		{"a*a", "aa", true},
	} {
		lim, err := redisstore.NewLimiter(rdb, def, redisstore.WithKeyLimit(tc.pattern, hit))
		if err != nil {
			t.Fatal(err)
		}
		if got := lim.LimitFor(tc.key) == hit; got != tc.match {
			t.Errorf("pattern %q key %q: match %v, want %v", tc.pattern, tc.key, got, tc.match)
		}
	}
}
