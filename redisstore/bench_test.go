package redisstore_test

import (
	"context"
	"testing"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
	"github.com/hetong-go/hetong/redisstore"
)

// BenchmarkCall compares one kingdee query against the fake (login
// session + rate limiter on every call) with both in process memory and
// with both on Redis: what a replica pays per call for sharing them (one
// GET for the session, one GCRA script for the budget).
func BenchmarkCall(b *testing.B) {
	fake := kingdeetest.NewServer()
	defer fake.Close()
	cfg := fake.Config()
	cfg.Auth = kingdee.AuthLoginBySign
	const rate = 1e9 // never waits: the benchmark measures the bookkeeping

	run := func(b *testing.B, opts ...kingdee.Option) {
		c, err := kingdee.NewClient(cfg, append(fake.Options(), opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		if _, err := c.ExecuteBillQuery(ctx, billNumbers); err != nil { // log in outside the loop
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if _, err := c.ExecuteBillQuery(ctx, billNumbers); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("memory", func(b *testing.B) {
		run(b, kingdee.WithRateLimit(rate, rate))
	})
	b.Run("redis", func(b *testing.B) {
		rdb := newClient(b)
		prefix := testPrefix(b, rdb)
		ts, err := redisstore.NewTokenStore(rdb, redisstore.WithPrefix(prefix))
		if err != nil {
			b.Fatal(err)
		}
		lim, err := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: rate, Burst: rate}, redisstore.WithPrefix(prefix))
		if err != nil {
			b.Fatal(err)
		}
		run(b, kingdee.WithTokenStore(ts), kingdee.WithRateLimiter(lim))
	})
}
