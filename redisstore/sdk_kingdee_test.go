package redisstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
	"github.com/hetong-go/hetong/redisstore"
)

var billNumbers = &kingdee.QueryRequest{FormID: kingdee.FormPayApply, FieldKeys: []string{"FBillNo"}}

// kingdeeReplicas returns n kingdee clients of the fake logging in with
// LoginBySign, each with its own Redis pool, token store and limiter.
func kingdeeReplicas(t *testing.T, fake *kingdeetest.Server, n int, limit redisstore.Limit, now func() time.Time) []*kingdee.Client {
	t.Helper()
	prefix := testPrefix(t, newClient(t))
	cfg := fake.Config()
	cfg.Auth = kingdee.AuthLoginBySign
	out := make([]*kingdee.Client, n)
	for i := range out {
		rdb := newClient(t)
		ts, err := redisstore.NewTokenStore(rdb, redisstore.WithPrefix(prefix), redisstore.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		lim, err := redisstore.NewLimiter(rdb, limit, redisstore.WithPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		out[i], err = kingdee.NewClient(cfg, append(fake.Options(), kingdee.WithTokenStore(ts), kingdee.WithRateLimiter(lim), kingdee.WithClock(now))...)
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func queryAll(ctx context.Context, replicas []*kingdee.Client, calls int) error {
	start := make(chan struct{})
	errs := make(chan error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := replicas[i%len(replicas)].ExecuteBillQuery(ctx, billNumbers)
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestKingdeeSessionEightReplicas: 8 kingdee clients that log in
// (LoginBySign) make 1000 concurrent first calls: one login. When the
// session is due for renewal, one more.
func TestKingdeeSessionEightReplicas(t *testing.T) {
	ctx := context.Background()
	fake := kingdeetest.NewServer()
	defer fake.Close()
	var clk clock
	replicas := kingdeeReplicas(t, fake, 8, redisstore.Limit{PerSecond: 1e6, Burst: 1e6}, clk.Now)
	if err := queryAll(ctx, replicas, 1000); err != nil {
		t.Fatal(err)
	}
	logins := fake.Calls("LoginBySign")
	t.Logf("8 kingdee replicas, 1000 concurrent first calls: %d login(s), %d queries served", logins, fake.Calls("ExecuteBillQuery"))
	if logins != 1 {
		t.Fatalf("logins = %d, want exactly 1", logins)
	}
	clk.Advance(time.Hour) // past the session's renewal time
	if err := queryAll(ctx, replicas, 1000); err != nil {
		t.Fatal(err)
	}
	t.Logf("after the session expired, 1000 more calls: %d more login(s)", fake.Calls("LoginBySign")-logins)
	if got := fake.Calls("LoginBySign") - logins; got != 1 {
		t.Fatalf("logins after the session expired = %d, want exactly 1", got)
	}
}

// TestKingdeeRateBudgetFourReplicas: 4 kingdee clients share a 20/s budget
// (burst 5) through Redis and call as fast as they may for 5 s. The fake
// receives at most 20×5+20 queries, and at least 90% of that.
func TestKingdeeRateBudgetFourReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for 5 s")
	}
	const (
		replicas, workers = 4, 4
		perSecond, burst  = 20, 20
		window            = 5 * time.Second
	)
	fake := kingdeetest.NewServer()
	defer fake.Close()
	clients := kingdeeReplicas(t, fake, replicas, redisstore.Limit{PerSecond: perSecond, Burst: burst}, time.Now)
	// Log in before the window (the login spends one slot of the budget).
	if _, err := clients[0].ExecuteBillQuery(context.Background(), billNumbers); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // let the burst refill
	before := fake.Calls("ExecuteBillQuery")

	ctx, cancel := context.WithTimeout(context.Background(), window)
	defer cancel()
	sent := make([]int, replicas)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for r, c := range clients {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					if _, err := c.ExecuteBillQuery(ctx, billNumbers); err != nil {
						if ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
							t.Errorf("replica %d: %v", r, err)
						}
						return
					}
					mu.Lock()
					sent[r]++
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	total := fake.Calls("ExecuteBillQuery") - before
	budget := perSecond*int(window/time.Second) + burst
	floor := (budget*9 + 9) / 10
	t.Logf("4 kingdee replicas sharing %d/s (burst %d) for %v: %v answered per replica, %d reached the fake (ceiling %d, floor %d)",
		perSecond, burst, window, sent, total, budget, floor)
	if total > budget {
		t.Errorf("%d queries reached the fake > %d: the budget is not shared", total, budget)
	}
	if total < floor {
		t.Errorf("%d queries < 90%% of %d", total, budget)
	}
}
