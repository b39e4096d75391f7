package transport

import (
	"context"
	"sync"
	"time"
)

// Limiter is a token bucket, optionally one bucket per key. Waits respect
// the caller's context; a cancelled wait gives its token back.
type Limiter struct {
	rate   float64
	burst  float64
	perKey bool
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns nil (no limiting) when l.PerSecond is 0.
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
	return &Limiter{rate: l.PerSecond, burst: float64(l.Burst), perKey: l.PerKey, now: now, buckets: map[string]*bucket{}}
}

// reserve takes a token and says how long to wait before using it.
func (l *Limiter) reserve(key string) (time.Duration, *bucket) {
	if !l.perKey {
		key = ""
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens += el * l.rate
		if b.tokens > l.burst {
			b.tokens = l.burst
		}
		b.last = now
	}
	b.tokens--
	if b.tokens >= 0 {
		return 0, b
	}
	return time.Duration(-b.tokens / l.rate * float64(time.Second)), b
}

// Wait blocks until a request for key may be sent, or ctx ends.
func (l *Limiter) Wait(ctx context.Context, key string) error {
	if l == nil {
		return ctx.Err()
	}
	d, b := l.reserve(key)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		b.tokens++
		l.mu.Unlock()
		return ctx.Err()
	}
}
