// Package redisstore shares what several replicas of a service must agree
// on through Redis: access tokens (one fetch for all replicas), rate
// budgets (all replicas together stay within the platform's limit) and
// callback dedup (a re-pushed event is handled once, whichever replica it
// lands on). It is a separate module, github.com/hetong-go/hetong/redisstore,
// so the SDK itself does not depend on Redis.
//
// # Index
//
//   - Tokens: [TokenStore] ([NewTokenStore]) — Get, Set, TryLock. Pass it
//     to dingtalk, zhenling or kingdee WithTokenStore.
//   - Rate budgets: [Limiter] ([NewLimiter], [Limit], [WithKeyLimit]) —
//     Wait, a GCRA on github.com/go-redis/redis_rate/v10. Pass it to
//     WithRateLimiter of any package.
//   - Callback dedup: [Deduper] ([NewDeduper]) — Reserve, Commit, Release.
//     Pass it to WithDeduper of any package with callbacks.
//   - Shared options: [WithPrefix], [WithClock]. Errors: [Error],
//     [ErrInvalidArgument].
//
// All three take a github.com/redis/go-redis/v9 UniversalClient (a
// *redis.Client, a cluster or a sentinel client), which they share and do
// not close.
//
// # Keys
//
// Every key is <prefix>:<purpose>:<key the SDK gives>, the prefix being
// "hetong" unless [WithPrefix] says otherwise and the purpose one of token,
// lock, rate, dedup:
//
//	hetong:token:dingtalk:dingxxxx:oapi                  access token and its expiry
//	hetong:lock:dingtalk:dingxxxx:oapi                   fetch lock (random owner, short TTL)
//	hetong:rate:dingtalk:dingxxxx:/topapi/processinstance/get   GCRA state of one budget
//	hetong:dedup:dingtalk:dingxxxx:<event id>            "pending" or "done"
//
// The SDK's keys are platform and app id (plus an API, action or message
// id), never a secret; tokens themselves are values, and no error ever
// shows a value. Every key expires (a token when it does; a token stored
// without an expiry is the only exception), so nothing outlives its use.
// Each operation touches one key, so a Redis Cluster works too.
//
// # When Redis is down
//
// Every call fails with an [*Error] that names the operation and key and
// wraps the go-redis cause (errors.As and errors.Is work on it), and the
// SDK call or callback fails with it: a token cannot be read or fetched
// under the lock, a request is not sent, a callback is answered with a
// retryable status so that the platform delivers it again. There is no
// fallback to process memory, on purpose: per-process tokens would make
// replicas invalidate each other's tokens on platforms that keep one per
// app, per-process budgets would multiply the rate by the number of
// replicas, and per-process dedup would handle a callback twice. go-redis
// reconnects by itself; calls succeed again as soon as Redis is back,
// without rebuilding anything. Redis without persistence loses its keys on
// restart: the next call fetches one new token, and budgets start afresh.
package redisstore
