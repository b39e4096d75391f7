package redisstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
	"github.com/hetong-go/hetong/redisstore"
)

// dingtalkReplica is one replica's client: its own go-redis pool, its own
// TokenStore, its own dingtalk.Client (and so its own in-process cache).
func dingtalkReplica(t testing.TB, fake *dingtalktest.Server, prefix string, now func() time.Time) *dingtalk.Client {
	t.Helper()
	ts, err := redisstore.NewTokenStore(newClient(t), redisstore.WithPrefix(prefix), redisstore.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithBaseURL(fake.URL), dingtalk.WithNewAPIBaseURL(fake.URL),
		dingtalk.WithTokenStore(ts), dingtalk.WithClock(now), dingtalk.WithRateLimit(1e6, 1e6))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// callAll makes calls concurrent first calls spread over the replicas,
// released together, and returns the first error.
func callAll(ctx context.Context, replicas []*dingtalk.Client, calls int, id string) error {
	start := make(chan struct{})
	errs := make(chan error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := replicas[i%len(replicas)].GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
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

// TestTokensEightReplicas: 8 dingtalk clients, each with its own Redis
// pool and cache, make 1000 concurrent first calls: the fake issues one
// token. When it expires, they fetch exactly one more.
func TestTokensEightReplicas(t *testing.T) {
	ctx := context.Background()
	prefix := testPrefix(t, newClient(t))
	var clk clock
	fake := dingtalktest.NewServer()
	defer fake.Close()
	fake.SetClock(clk.Now)
	id := fake.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-REDIS", Title: "replicas"})

	replicas := make([]*dingtalk.Client, 8)
	for i := range replicas {
		replicas[i] = dingtalkReplica(t, fake, prefix, clk.Now)
	}
	if err := callAll(ctx, replicas, 1000, id); err != nil {
		t.Fatal(err)
	}
	first := fake.TokenFetches()
	t.Logf("8 replicas, 1000 concurrent first calls: %d token fetch(es) at the fake, %d calls served",
		first, fake.Calls("/topapi/processinstance/get"))
	if first != 1 {
		t.Fatalf("token fetches = %d, want exactly 1", first)
	}

	clk.Advance(dingtalktest.DefaultTokenTTL) // the token is now past its expiry
	if err := callAll(ctx, replicas, 1000, id); err != nil {
		t.Fatal(err)
	}
	t.Logf("after the token expired, 1000 more calls: %d more token fetch(es)", fake.TokenFetches()-first)
	if got := fake.TokenFetches() - first; got != 1 {
		t.Fatalf("token fetches after expiry = %d, want exactly 1", got)
	}
}

// TestTokenRevocationAcrossReplicas: the platform revokes a token before
// its expiry (DingTalk) or forgets a session (Kingdee); every replica
// meets the auth error, invalidates and retries; one new fetch in total.
func TestTokenRevocationAcrossReplicas(t *testing.T) {
	ctx := context.Background()

	fake := dingtalktest.NewServer()
	defer fake.Close()
	id := fake.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-REDIS", Title: "revocation"})
	prefix := testPrefix(t, newClient(t))
	replicas := make([]*dingtalk.Client, 8)
	for i := range replicas {
		replicas[i] = dingtalkReplica(t, fake, prefix, time.Now)
	}
	if err := callAll(ctx, replicas, 1000, id); err != nil {
		t.Fatal(err)
	}
	first := fake.TokenFetches()
	fake.ExpireTokens()
	if err := callAll(ctx, replicas, 1000, id); err != nil {
		t.Fatal(err)
	}
	t.Logf("dingtalk: after the platform revoked the token, 1000 more calls: %d more token fetch(es)", fake.TokenFetches()-first)
	if got := fake.TokenFetches() - first; got != 1 {
		t.Errorf("dingtalk token fetches after revocation = %d, want exactly 1", got)
	}

	kfake := kingdeetest.NewServer()
	defer kfake.Close()
	kreplicas := kingdeeReplicas(t, kfake, 8, redisstore.Limit{PerSecond: 1e6, Burst: 1e6}, time.Now)
	if err := queryAll(ctx, kreplicas, 1000); err != nil {
		t.Fatal(err)
	}
	logins := kfake.Calls("LoginBySign")
	kfake.ExpireSessions()
	if err := queryAll(ctx, kreplicas, 1000); err != nil {
		t.Fatal(err)
	}
	t.Logf("kingdee: after the server forgot the session, 1000 more calls: %d more login(s)", kfake.Calls("LoginBySign")-logins)
	if got := kfake.Calls("LoginBySign") - logins; got != 1 {
		t.Errorf("kingdee logins after the session was forgotten = %d, want exactly 1", got)
	}
}
