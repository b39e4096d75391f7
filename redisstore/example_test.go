package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/redisstore"
	"github.com/redis/go-redis/v9"
)

// Wiring the three stores into an SDK client. Each replica of the service
// runs this with the same Redis and the same prefix; nothing here talks to
// Redis yet (go-redis connects on first use).
func Example() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()

	tokens, err := redisstore.NewTokenStore(rdb, redisstore.WithPrefix("billing"))
	if err != nil {
		panic(err)
	}
	// DingTalk allows 20 calls per second per API; every replica together.
	limiter, err := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: 20, Burst: 20},
		redisstore.WithPrefix("billing"))
	if err != nil {
		panic(err)
	}
	dedup, err := redisstore.NewDeduper(rdb, redisstore.WithPrefix("billing"))
	if err != nil {
		panic(err)
	}
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: "dingxxxx", AppSecret: "your-app-secret"},
		dingtalk.WithTokenStore(tokens), dingtalk.WithRateLimiter(limiter), dingtalk.WithDeduper(dedup))
	if err != nil {
		panic(err)
	}
	// c.NewCallbackHandler(cfg, handle) now handles each event once across
	// replicas; see examples/replicas for all three at work.
	fmt.Println(c != nil)
	// Output: true
}

// What a call looks like when Redis cannot be reached: an *Error naming
// the operation and the key, wrapping the go-redis cause.
func ExampleError() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: time.Second})
	defer rdb.Close()
	tokens, _ := redisstore.NewTokenStore(rdb)

	_, _, err := tokens.Get(context.Background(), "dingtalk:dingxxxx:oapi")
	var e *redisstore.Error
	if errors.As(err, &e) {
		fmt.Println("op:", e.Op)
		fmt.Println("key:", e.Key)
		fmt.Println("has cause:", e.Err != nil)
	}
	// Output:
	// op: Get
	// key: hetong:token:dingtalk:dingxxxx:oapi
	// has cause: true
}

// Budgets per key: the SDK's limiter keys are <platform>:<app id>:<bucket>.
func ExampleWithKeyLimit() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	limiter, err := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: 20, Burst: 20},
		redisstore.WithKeyLimit("essbasic:*:DescribeFileUrls", redisstore.Limit{PerSecond: 5, Burst: 1}))
	if err != nil {
		panic(err)
	}
	fmt.Println(limiter.LimitFor("essbasic:yourapp:DescribeFileUrls"))
	fmt.Println(limiter.LimitFor("essbasic:yourapp:CreateFlowsByTemplates"))
	// Output:
	// {5 1}
	// {20 20}
}

// A bad argument is refused before anything reaches Redis.
func ExampleNewLimiter_invalid() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	_, err := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: 0})
	fmt.Println(err)
	fmt.Println(errors.Is(err, redisstore.ErrInvalidArgument))
	// Output:
	// redisstore: NewLimiter: Limit.PerSecond: must be a positive number
	// true
}
