// Package token caches access tokens per app: one fetch under any
// concurrency, refresh ahead of expiry, invalidate-and-retry-once on an
// auth error, and a [Store] so several processes can share tokens.
package token

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Store keeps tokens by key. Implementations must be safe for concurrent
// use. A miss returns an empty value and a nil error.
type Store interface {
	Get(ctx context.Context, key string) (value string, expiry time.Time, err error)
	Set(ctx context.Context, key, value string, expiry time.Time) error
}

// MemoryStore is the in-process default [Store].
type MemoryStore struct {
	mu sync.RWMutex
	m  map[string]entry
}

type entry struct {
	value  string
	expiry time.Time
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: map[string]entry{}} }

// Get implements Store.
func (s *MemoryStore) Get(_ context.Context, key string) (string, time.Time, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e := s.m[key]
	return e.value, e.expiry, nil
}

// Set implements Store. An empty value deletes the key.
func (s *MemoryStore) Set(_ context.Context, key, value string, expiry time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if value == "" {
		delete(s.m, key)
		return nil
	}
	s.m[key] = entry{value, expiry}
	return nil
}

// FetchFunc obtains a new token and its absolute expiry.
type FetchFunc func(ctx context.Context) (value string, expiry time.Time, err error)

// Cache hands out a valid token for one key, fetching through FetchFunc at
// most once at a time.
type Cache struct {
	key   string
	store Store
	fetch FetchFunc
	ahead time.Duration
	now   func() time.Time

	mu     sync.Mutex
	flight *call
}

type call struct {
	done  chan struct{}
	value string
	err   error
}

// NewCache returns a cache for key. ahead is how long before expiry a token
// is refreshed; now may be nil for time.Now; store may be nil for a private
// in-memory store.
func NewCache(key string, store Store, fetch FetchFunc, ahead time.Duration, now func() time.Time) *Cache {
	if store == nil {
		store = NewMemoryStore()
	}
	if now == nil {
		now = time.Now
	}
	return &Cache{key: key, store: store, fetch: fetch, ahead: ahead, now: now}
}

// Key returns the store key of this cache.
func (c *Cache) Key() string { return c.key }

// Token returns a cached token that is not within the refresh window of its
// expiry, or fetches a new one. Concurrent callers share one fetch; a
// caller whose ctx ends stops waiting without cancelling the others.
func (c *Cache) Token(ctx context.Context) (string, error) {
	if v, ok := c.cached(ctx); ok {
		return v, nil
	}
	c.mu.Lock()
	if v, ok := c.cached(ctx); ok { // another caller may have just stored one
		c.mu.Unlock()
		return v, nil
	}
	f := c.flight
	if f == nil {
		f = &call{done: make(chan struct{})}
		c.flight = f
		go c.run(context.WithoutCancel(ctx), f)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// fetchTimeout bounds a shared fetch, which no single caller's ctx controls.
const fetchTimeout = 60 * time.Second

func (c *Cache) run(ctx context.Context, f *call) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	v, exp, err := c.fetch(ctx)
	if err == nil && v == "" {
		err = errors.New("token: fetch returned an empty token")
	}
	if err == nil {
		err = c.store.Set(ctx, c.key, v, exp)
	}
	f.value, f.err = v, err
	c.mu.Lock()
	c.flight = nil
	c.mu.Unlock()
	close(f.done)
}

func (c *Cache) cached(ctx context.Context) (string, bool) {
	v, exp, err := c.store.Get(ctx, c.key)
	if err != nil || v == "" {
		return "", false
	}
	if !exp.IsZero() && !c.now().Add(c.ahead).Before(exp) {
		return "", false
	}
	return v, true
}

// Invalidate drops the cached token if it still equals bad, so that the next
// Token call fetches a fresh one. Passing the rejected value avoids dropping
// a token another goroutine has just refreshed.
func (c *Cache) Invalidate(ctx context.Context, bad string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, _, err := c.store.Get(ctx, c.key)
	if err != nil {
		return err
	}
	if bad != "" && v != bad {
		return nil
	}
	return c.store.Set(ctx, c.key, "", time.Time{})
}

// Do runs fn with a token; when fn reports the token was rejected
// (isAuthErr), it invalidates that token and runs fn once more with a fresh one.
func (c *Cache) Do(ctx context.Context, fn func(token string) error, isAuthErr func(error) bool) error {
	tok, err := c.Token(ctx)
	if err != nil {
		return err
	}
	err = fn(tok)
	if err == nil || !isAuthErr(err) {
		return err
	}
	if ierr := c.Invalidate(ctx, tok); ierr != nil {
		return err
	}
	tok, terr := c.Token(ctx)
	if terr != nil {
		return terr
	}
	return fn(tok)
}
