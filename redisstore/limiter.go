package redisstore

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Limit is a rate budget: PerSecond requests per second on average, with
// up to Burst at once. Burst 0 means 1.
type Limit struct {
	PerSecond float64
	Burst     int
}

func (l Limit) check(op string) error {
	if l.PerSecond <= 0 || math.IsInf(l.PerSecond, 0) || math.IsNaN(l.PerSecond) {
		return invalid(op, "Limit.PerSecond", "must be a positive number")
	}
	if l.Burst < 0 {
		return invalid(op, "Limit.Burst", "must not be negative")
	}
	return nil
}

// gcra converts l to redis_rate's form: Rate requests per Period. A whole
// rate keeps one second as the period; a fractional one (0.5/s) becomes
// one request per 1/PerSecond seconds. Both give the same GCRA emission
// interval, Period/Rate.
func (l Limit) gcra() redis_rate.Limit {
	burst := max(l.Burst, 1)
	if l.PerSecond >= 1 && l.PerSecond == math.Trunc(l.PerSecond) && l.PerSecond <= math.MaxInt32 {
		return redis_rate.Limit{Rate: int(l.PerSecond), Period: time.Second, Burst: burst}
	}
	return redis_rate.Limit{Rate: 1, Period: time.Duration(float64(time.Second) / l.PerSecond), Burst: burst}
}

type keyLimit struct {
	pattern string
	limit   Limit
}

// matches reports whether key matches the pattern, where each "*" stands
// for any run of characters ("/" and ":" included: dingtalk's buckets are
// API paths).
func (k keyLimit) matches(key string) bool {
	parts := strings.Split(k.pattern, "*")
	if len(parts) == 1 {
		return key == k.pattern
	}
	rest, ok := strings.CutPrefix(key, parts[0])
	if !ok {
		return false
	}
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return strings.HasSuffix(rest, parts[len(parts)-1])
}

// WithKeyLimit gives the SDK keys that match pattern their own budget
// ([Limiter] only). The SDK's keys are <platform>:<app id>:<bucket>, the
// bucket being the action or API for per-action limits, or "all". In
// pattern, "*" stands for any run of characters: "essbasic:*:DescribeFileUrls",
// "dingtalk:myapp:*". The first matching pattern wins; other keys use the
// limiter's default.
func WithKeyLimit(pattern string, l Limit) Option {
	return func(s *settings) error {
		if err := checkKeyPart(pattern); err != nil {
			return invalid("WithKeyLimit", "pattern", err.Error())
		}
		if err := l.check("WithKeyLimit"); err != nil {
			return err
		}
		s.keyLimits = append(s.keyLimits, keyLimit{pattern, l})
		return nil
	}
}

// maxSleep bounds one sleep between two attempts, so that a long
// RetryAfter (a low rate, or a budget reset by an operator) is re-checked.
const maxSleep = time.Second

// Limiter is a rate limiter shared by every replica: a GCRA (generic cell
// rate algorithm, github.com/go-redis/redis_rate/v10) whose state lives in
// Redis at <prefix>:rate:<key> and whose clock is the Redis server's, so
// replicas with skewed clocks still share one budget. It has the method
// set of the SDK's RateLimiter (pass it to WithRateLimiter): N replicas
// together send at most the configured rate, not N times it.
type Limiter struct {
	rl    *redis_rate.Limiter
	s     *settings
	limit Limit
}

// NewLimiter returns a limiter on rdb with limit as every key's budget,
// except for keys given their own with [WithKeyLimit]. rdb is shared, not
// owned.
func NewLimiter(rdb redis.UniversalClient, limit Limit, opts ...Option) (*Limiter, error) {
	s, err := newSettings("NewLimiter", rdb, opts)
	if err != nil {
		return nil, err
	}
	if err := limit.check("NewLimiter"); err != nil {
		return nil, err
	}
	return &Limiter{rl: redis_rate.NewLimiter(unprefixed{rdb}), s: s, limit: limit}, nil
}

// LimitFor returns the budget that applies to key.
func (l *Limiter) LimitFor(key string) Limit {
	for _, kl := range l.s.keyLimits {
		if kl.matches(key) {
			return kl.limit
		}
	}
	return l.limit
}

// Wait blocks until a request for key may be sent under the shared budget,
// or ctx ends. A denied attempt takes nothing from the budget; Wait sleeps
// for the RetryAfter Redis gives (at most a second at a time) and asks
// again. When ctx has a deadline that comes before the next free slot,
// Wait returns at once with an error wrapping context.DeadlineExceeded
// instead of sleeping in vain. A Redis failure is an [*Error] wrapping the
// go-redis error; the request should not be sent.
func (l *Limiter) Wait(ctx context.Context, key string) error {
	if err := checkKey("Wait", key); err != nil {
		return err
	}
	k := l.s.key(purposeRate, key)
	limit := l.LimitFor(key).gcra()
	for {
		if err := ctx.Err(); err != nil {
			return wrap("Wait", k, err)
		}
		res, err := l.rl.Allow(ctx, k, limit)
		if err != nil {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return wrap("Wait", k, err)
		}
		if res.Allowed > 0 {
			return nil
		}
		d := max(res.RetryAfter, time.Millisecond)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return wrap("Wait", k, fmt.Errorf("next slot in %v is after the context deadline: %w", d, context.DeadlineExceeded))
		}
		if err := sleep(ctx, min(d, maxSleep)); err != nil {
			return wrap("Wait", k, err)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// redisRatePrefix is what redis_rate puts before every key it is given.
const redisRatePrefix = "rate:"

// unprefixed hands redis_rate a client that removes the "rate:" it puts
// before every key, so the limiter's keys begin with this package's prefix
// like all the others (one SCAN pattern, one ACL key pattern).
type unprefixed struct{ redis.UniversalClient }

func trimRatePrefix(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = strings.TrimPrefix(k, redisRatePrefix)
	}
	return out
}

func (u unprefixed) Eval(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return u.UniversalClient.Eval(ctx, script, trimRatePrefix(keys), args...)
}

func (u unprefixed) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return u.UniversalClient.EvalSha(ctx, sha1, trimRatePrefix(keys), args...)
}

func (u unprefixed) EvalRO(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return u.UniversalClient.EvalRO(ctx, script, trimRatePrefix(keys), args...)
}

func (u unprefixed) EvalShaRO(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return u.UniversalClient.EvalShaRO(ctx, sha1, trimRatePrefix(keys), args...)
}

func (u unprefixed) Del(ctx context.Context, keys ...string) *redis.IntCmd {
	return u.UniversalClient.Del(ctx, trimRatePrefix(keys)...)
}
