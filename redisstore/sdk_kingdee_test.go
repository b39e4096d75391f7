package redisstore_test

import (
	"context"
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
