package token

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOneFetchUnderConcurrency(t *testing.T) {
	var fetches atomic.Int32
	release := make(chan struct{})
	c := NewCache("app", nil, func(ctx context.Context) (string, time.Time, error) {
		fetches.Add(1)
		<-release
		return "tok", time.Now().Add(2 * time.Hour), nil
	}, 5*time.Minute, nil)

	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Token(context.Background())
			if err == nil && v != "tok" {
				err = errors.New("wrong token " + v)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	assert.Equal(t, int32(1), fetches.Load())
}

func TestRefreshAheadOfExpiry(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	n := 0
	c := NewCache("k", nil, func(context.Context) (string, time.Time, error) {
		n++
		return []string{"a", "b", "c"}[n-1], now.Add(10 * time.Minute), nil
	}, 5*time.Minute, clock)
	ctx := context.Background()
	v, _ := c.Token(ctx)
	assert.Equal(t, "a", v)
	now = now.Add(4 * time.Minute) // still 6 minutes left: cached
	v, _ = c.Token(ctx)
	assert.Equal(t, "a", v)
	now = now.Add(2 * time.Minute) // 4 minutes left: inside the refresh window
	v, _ = c.Token(ctx)
	assert.Equal(t, "b", v)
}

func TestFetchErrorNotCached(t *testing.T) {
	n := 0
	c := NewCache("k", nil, func(context.Context) (string, time.Time, error) {
		n++
		if n == 1 {
			return "", time.Time{}, errors.New("down")
		}
		return "ok", time.Time{}, nil
	}, 0, nil)
	_, err := c.Token(context.Background())
	assert.EqualError(t, err, "down")
	v, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "ok", v)
}

func TestDoRetriesOnceOnAuthError(t *testing.T) {
	n := 0
	c := NewCache("k", nil, func(context.Context) (string, time.Time, error) {
		n++
		return []string{"old", "new", "newer"}[n-1], time.Time{}, nil
	}, 0, nil)
	authErr := errors.New("token invalid")
	var seen []string
	err := c.Do(context.Background(), func(tok string) error {
		seen = append(seen, tok)
		if tok == "old" {
			return authErr
		}
		return nil
	}, func(err error) bool { return errors.Is(err, authErr) })
	require.NoError(t, err)
	assert.Equal(t, []string{"old", "new"}, seen)

	// A second auth error is returned, not looped on.
	calls := 0
	err = c.Do(context.Background(), func(string) error { calls++; return authErr },
		func(error) bool { return true })
	assert.ErrorIs(t, err, authErr)
	assert.Equal(t, 2, calls)
}

func TestInvalidateKeepsNewerToken(t *testing.T) {
	s := NewMemoryStore()
	c := NewCache("k", s, nil, 0, nil)
	ctx := context.Background()
	require.NoError(t, s.Set(ctx, "k", "fresh", time.Time{}))
	require.NoError(t, c.Invalidate(ctx, "stale"))
	v, _, _ := s.Get(ctx, "k")
	assert.Equal(t, "fresh", v)
	require.NoError(t, c.Invalidate(ctx, "fresh"))
	v, _, _ = s.Get(ctx, "k")
	assert.Empty(t, v)
}

func TestWaiterCtxCancel(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	c := NewCache("k", nil, func(context.Context) (string, time.Time, error) {
		<-block
		return "x", time.Time{}, nil
	}, 0, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := c.Token(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestShortLivedTokenIsNotFetchedEveryCall: with expires_in under the
// 5-minute refresh window, the token is used for half its life (before,
// every call fetched a new one).
func TestShortLivedTokenIsNotFetchedEveryCall(t *testing.T) {
	now := time.Unix(1700000000, 0)
	var fetches atomic.Int32
	c := NewCache("k", nil, func(context.Context) (string, time.Time, error) {
		n := fetches.Add(1)
		return fmt.Sprintf("tok%d", n), now.Add(200 * time.Second), nil
	}, 5*time.Minute, func() time.Time { return now })
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		tok, err := c.Token(ctx)
		require.NoError(t, err)
		assert.Equal(t, "tok1", tok)
	}
	now = now.Add(99 * time.Second)
	tok, _ := c.Token(ctx)
	assert.Equal(t, "tok1", tok, "still in the first half of its life")
	now = now.Add(2 * time.Second)
	tok, _ = c.Token(ctx)
	assert.Equal(t, "tok2", tok, "refreshed at half life")
	assert.EqualValues(t, 2, fetches.Load())
}

// TestFetchStopsWhenNobodyWaits: the shared fetch is cancelled once every
// caller has gone (before, it kept retrying for up to 60 s for nobody).
func TestFetchStopsWhenNobodyWaits(t *testing.T) {
	stopped := make(chan error, 1)
	c := NewCache("k", nil, func(ctx context.Context) (string, time.Time, error) {
		<-ctx.Done()
		stopped <- ctx.Err()
		return "", time.Time{}, ctx.Err()
	}, 0, nil)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() { _, err := c.Token(ctx); errc <- err }()
	}
	time.Sleep(20 * time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
	assert.ErrorIs(t, <-errc, context.Canceled)
	select {
	case err := <-stopped:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("the fetch went on with no caller waiting")
	}
}

// TestCachesSharingAStoreFetchOnce: separate caches (as separate
// replicas would have) that share a locking store cause one fetch.
func TestCachesSharingAStoreFetchOnce(t *testing.T) {
	store := NewMemoryStore()
	var fetches atomic.Int32
	fetch := func(context.Context) (string, time.Time, error) {
		fetches.Add(1)
		time.Sleep(30 * time.Millisecond)
		return "shared", time.Now().Add(time.Hour), nil
	}
	var wg sync.WaitGroup
	for r := 0; r < 8; r++ {
		c := NewCache("dingtalk:app", store, fetch, 0, nil)
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tok, err := c.Token(context.Background())
				assert.NoError(t, err)
				assert.Equal(t, "shared", tok)
			}()
		}
	}
	wg.Wait()
	assert.EqualValues(t, 1, fetches.Load())
}

func TestMemoryStoreLock(t *testing.T) {
	s := NewMemoryStore()
	ctx := context.Background()
	release, ok, err := s.TryLock(ctx, "k", time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	_, ok, _ = s.TryLock(ctx, "k", time.Minute)
	assert.False(t, ok)
	require.NoError(t, release(ctx))
	release2, ok, _ := s.TryLock(ctx, "k", time.Millisecond)
	assert.True(t, ok)
	time.Sleep(5 * time.Millisecond)
	_, ok, _ = s.TryLock(ctx, "k", time.Minute)
	assert.True(t, ok, "an expired lock is free")
	require.NoError(t, release2(ctx)) // no longer the holder: nothing happens
	_, ok, _ = s.TryLock(ctx, "k", time.Minute)
	assert.False(t, ok, "a stale release must not free the new holder's lock")
}
