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

// TestLimiterHoldsRateThroughClient drives calls from 16 goroutines for 5 s
// through a limited client and counts what reached the server: the count
// must stay within 5% of rate × 5 s (plus the initial burst).
func TestLimiterHoldsRateThroughClient(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	const rate, burst = 40.0, 1
	c := newTestClient(t, srv.URL, func(s *Settings) { require.NoError(t, s.SetRateLimit(rate, burst)) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
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
	want := rate*5 + burst
	got := float64(hits.Load())
	assert.InDelta(t, want, got, want*0.05, "requests in 5 s at %v/s", rate)
}
