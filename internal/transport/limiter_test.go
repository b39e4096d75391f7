package transport

import (
	"context"
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
