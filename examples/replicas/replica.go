package main

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/redisstore"
	"github.com/redis/go-redis/v9"
)

// replica is what one process of a service would hold: its own Redis
// pool, its own SDK client (with its own in-process caches) and the
// counters this example prints.
type replica struct {
	n       int
	rdb     *redis.Client
	client  *dingtalk.Client
	wire    *counting
	handled atomic.Int64
}

// counting counts the requests a replica sends, token fetches apart.
type counting struct {
	next          http.RoundTripper
	tokens, calls atomic.Int64
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/gettoken") || strings.HasSuffix(r.URL.Path, "/oauth2/accessToken") {
		c.tokens.Add(1)
	} else {
		c.calls.Add(1)
	}
	return c.next.RoundTrip(r)
}

func newReplica(n int, shared *redis.Client, fake *dingtalktest.Server, f *flags) (*replica, error) {
	rp := &replica{n: n, rdb: redis.NewClient(shared.Options()), wire: &counting{next: http.DefaultTransport}}
	tokens, err := redisstore.NewTokenStore(rp.rdb, redisstore.WithPrefix(f.prefix))
	if err != nil {
		return nil, err
	}
	// DingTalk budgets each API separately; this example gives
	// processinstance/get the budget of -rate and -burst and leaves the
	// others practically unlimited.
	limiter, err := redisstore.NewLimiter(rp.rdb, redisstore.Limit{PerSecond: 10000, Burst: 10000}, redisstore.WithPrefix(f.prefix),
		redisstore.WithKeyLimit("dingtalk:*:/topapi/processinstance/get", redisstore.Limit{PerSecond: f.rate, Burst: f.burst}))
	if err != nil {
		return nil, err
	}
	dedup, err := redisstore.NewDeduper(rp.rdb, redisstore.WithPrefix(f.prefix))
	if err != nil {
		return nil, err
	}
	rp.client, err = dingtalk.NewClient(fake.Config(), append(fake.Options(), dingtalk.WithTransport(rp.wire),
		dingtalk.WithTokenStore(tokens), dingtalk.WithRateLimiter(limiter), dingtalk.WithDeduper(dedup))...)
	if err != nil {
		return nil, err
	}
	return rp, nil
}

func (rp *replica) close() { rp.rdb.Close() }

func deleteKeys(rdb *redis.Client, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+":*", 100).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
	}
}
