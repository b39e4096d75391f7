package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLimiterBucket(t *testing.T) {
	now := time.Unix(0, 0)
	l := NewLimiter(RateLimit{PerSecond: 10, Burst: 2, PerKey: true}, func() time.Time { return now })
	d, _ := l.reserve("a")
	assert.Zero(t, d)
	d, _ = l.reserve("a")
	assert.Zero(t, d)
	d, _ = l.reserve("a")
	assert.Equal(t, 100*time.Millisecond, d)
	d, _ = l.reserve("b") // its own bucket
	assert.Zero(t, d)
	now = now.Add(time.Second)
	d, _ = l.reserve("a")
	assert.Zero(t, d)
	assert.Nil(t, NewLimiter(RateLimit{}, nil))
	assert.NoError(t, (*Limiter)(nil).Wait(context.Background(), "x"))
}

func TestLimiterWaitCancelled(t *testing.T) {
	l := NewLimiter(RateLimit{PerSecond: 1, Burst: 1}, nil)
	require.NoError(t, l.Wait(context.Background(), ""))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, l.Wait(ctx, ""), context.DeadlineExceeded)
}

// TestLimiterRateOverFiveSeconds runs 64 callers against the bucket on a
// simulated clock for 5 s: the grants must be within 5% of rate × 5 s
// (plus the burst). A simulated clock keeps the figure exact on a loaded
// machine; the real-time test below checks the same limiter end to end.
func TestLimiterRateOverFiveSeconds(t *testing.T) {
	start := time.Unix(1700000000, 0)
	now := start
	const rate, burst = 20.0, 20
	l := NewLimiter(RateLimit{PerSecond: rate, Burst: burst}, func() time.Time { return now })
	ready := make([]time.Time, 64) // when each caller may send next
	for i := range ready {
		ready[i] = start
	}
	grants := 0
	for step := time.Duration(0); step < 5*time.Second; step += time.Millisecond {
		now = start.Add(step)
		for i := range ready {
			if now.Before(ready[i]) {
				continue
			}
			wait, _ := l.reserve("")
			ready[i] = now.Add(wait)
			if wait == 0 || ready[i].Before(start.Add(5*time.Second)) {
				grants++
			}
		}
	}
	want := rate*5 + burst
	assert.InDelta(t, want, float64(grants), want*0.05, "grants in 5 s at %v/s", rate)
}

// TestLimiterNeverExceedsRateThroughClient drives calls from 16 goroutines
// for 2 s through a limited client: what reaches the server never exceeds
// rate × elapsed + burst. (On a loaded machine fewer may arrive; the exact
// rate is checked on a simulated clock above.)
func TestLimiterNeverExceedsRateThroughClient(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	const rate, burst = 40.0, 1
	c := newTestClient(t, srv.URL, func(s *Settings) { require.NoError(t, s.SetRateLimit(rate, burst)) })
	begin := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, _ = c.Do(ctx, &Request{Method: http.MethodGet, Path: "/", Idempotent: true})
			}
		}()
	}
	wg.Wait()
	limit := rate*time.Since(begin).Seconds() + burst
	got := float64(hits.Load())
	assert.LessOrEqual(t, got, limit, "requests in %v at %v/s", time.Since(begin), rate)
	assert.Greater(t, got, 0.0)
}
