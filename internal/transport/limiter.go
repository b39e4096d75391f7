package transport

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimiter decides when a request may be sent. key names the budget:
// `<platform>:<app>:<bucket>`, where bucket is an action for platforms
// that limit per action, else "all". An implementation shared between
// processes (Redis) makes N replicas share one budget. Wait returns when
// the request may go, or the ctx's error.
type RateLimiter interface {
	Wait(ctx context.Context, key string) error
}

// Limiter is the in-process [RateLimiter]: a token bucket per key
// (golang.org/x/time/rate). Waits respect the caller's context; a
// cancelled wait gives its token back.
type Limiter struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewLimiter returns nil (no limiting) when l.PerSecond is 0. Every key
// gets its own bucket; callers that want one budget pass one key.
func NewLimiter(l RateLimit, now func() time.Time) *Limiter {
	if l.PerSecond <= 0 {
		return nil
	}
	if l.Burst < 1 {
		l.Burst = 1
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{limit: rate.Limit(l.PerSecond), burst: l.Burst, now: now, buckets: map[string]*rate.Limiter{}}
}

func (l *Limiter) bucket(key string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets[key] = b
	}
	return b
}

// reserve takes a token and says how long to wait before using it.
func (l *Limiter) reserve(key string) (time.Duration, *rate.Reservation) {
	now := l.now()
	r := l.bucket(key).ReserveN(now, 1)
	return r.DelayFrom(now), r
}

// Wait blocks until a request for key may be sent, or ctx ends.
func (l *Limiter) Wait(ctx context.Context, key string) error {
	if l == nil {
		return ctx.Err()
	}
	d, r := l.reserve(key)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.CancelAt(l.now())
		return ctx.Err()
	}
}
