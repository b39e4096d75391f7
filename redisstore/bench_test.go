package redisstore_test

import (
	"context"
	"testing"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/redisstore"
)

// BenchmarkCall compares one dingtalk call against the fake with the
// in-memory defaults and with the token store on Redis: what a replica
// pays per call for sharing (one GET for the token).
func BenchmarkCall(b *testing.B) {
	fake := dingtalktest.New()
	defer fake.Close()
	id := fake.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-BENCH", Title: "bench"})
	cfg := dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret}
	base := []dingtalk.Option{dingtalk.WithBaseURL(fake.URL), dingtalk.WithNewAPIBaseURL(fake.URL), dingtalk.WithRateLimit(1e9, 1e9)}

	run := func(b *testing.B, c *dingtalk.Client) {
		ctx := context.Background()
		req := &dingtalk.GetInstanceRequest{ProcessInstanceID: id}
		if _, err := c.GetInstance(ctx, req); err != nil { // token fetched outside the loop
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if _, err := c.GetInstance(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("memory", func(b *testing.B) {
		c, err := dingtalk.NewClient(cfg, base...)
		if err != nil {
			b.Fatal(err)
		}
		run(b, c)
	})
	b.Run("redis", func(b *testing.B) {
		rdb := newClient(b)
		ts, err := redisstore.NewTokenStore(rdb, redisstore.WithPrefix(testPrefix(b, rdb)))
		if err != nil {
			b.Fatal(err)
		}
		c, err := dingtalk.NewClient(cfg, append(base, dingtalk.WithTokenStore(ts))...)
		if err != nil {
			b.Fatal(err)
		}
		run(b, c)
	})
}
