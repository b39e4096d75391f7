// Package token caches access tokens per app: one fetch under any
// concurrency — in one process by singleflight, across processes by a
// short lock in a shared [Store] — refresh ahead of expiry,
// invalidate-and-retry-once on an auth error.
package token

import (
	"context"
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"time"
)

// Store keeps tokens by key. Implementations must be safe for concurrent
// use; a shared one (Redis) lets replicas share one token.
type Store interface {
	// Get returns the token stored under key; a miss is "", zero time, nil.
	Get(ctx context.Context, key string) (value string, expiry time.Time, err error)
	// Set stores value until expiry; an empty value deletes the key.
	Set(ctx context.Context, key, value string, expiry time.Time) error
	// TryLock takes the fetch lock for key for at most ttl, so that one
	// process fetches while the others wait and read the stored token.
	// acquired is false when another holder has it; release frees the
	// lock if this caller still holds it.
	TryLock(ctx context.Context, key string, ttl time.Duration) (release func(context.Context) error, acquired bool, err error)
}

// MemoryStore is the in-process default [Store].
type MemoryStore struct {
	mu    sync.Mutex
	m     map[string]entry
	locks map[string]*memLock
}

type entry struct {
	value  string
	expiry time.Time
}

type memLock struct{ until time.Time }

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{m: map[string]entry{}, locks: map[string]*memLock{}}
}

// Get implements Store.
func (s *MemoryStore) Get(_ context.Context, key string) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
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

// TryLock implements Store.
func (s *MemoryStore) TryLock(_ context.Context, key string, ttl time.Duration) (func(context.Context) error, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if l := s.locks[key]; l != nil && now.Before(l.until) {
		return nil, false, nil
	}
	l := &memLock{until: now.Add(ttl)}
	s.locks[key] = l
	return func(context.Context) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.locks[key] == l {
			delete(s.locks, key)
		}
		return nil
	}, true, nil
}

// FetchFunc obtains a new token and its absolute expiry.
type FetchFunc func(ctx context.Context) (value string, expiry time.Time, err error)

// Timings of a shared fetch.
const (
	// DefaultRefreshAhead is the most a token is refreshed before its
	// expiry; a short-lived token is refreshed at half its life instead.
	DefaultRefreshAhead = 5 * time.Minute
	// fetchTimeout bounds a shared fetch, which no single caller's ctx controls.
	fetchTimeout = 60 * time.Second
	// lockTTL bounds the cross-process fetch lock (a crashed holder frees it).
	lockTTL = 30 * time.Second
	// pollEvery is how often a process that lost the lock looks for the token.
	pollEvery = 50 * time.Millisecond
)

// Cache hands out a valid token for one key, fetching through FetchFunc at
// most once at a time (per process, and per store when the store locks).
type Cache struct {
	key   string
	store Store
	fetch FetchFunc
	ahead time.Duration
	now   func() time.Time

	mu     sync.Mutex
	flight *call
	life   lifetime // of the token last seen, to refresh short ones at half life
}

// lifetime remembers a token by its fingerprint, never its value, so that
// no printable field of the cache holds a credential.
type lifetime struct {
	token uint64
	life  time.Duration
}

func fingerprint(v string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(v))
	return h.Sum64()
}

type call struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int
	value   string
	err     error
}

// NewCache returns a cache for key. ahead is the most a token is refreshed
// before its expiry (0 means DefaultRefreshAhead); a token that lives less
// than 2×ahead is refreshed at half its life. now may be nil for time.Now;
// store may be nil for a private in-memory store.
func NewCache(key string, store Store, fetch FetchFunc, ahead time.Duration, now func() time.Time) *Cache {
	if store == nil {
		store = NewMemoryStore()
	}
	if now == nil {
		now = time.Now
	}
	if ahead <= 0 {
		ahead = DefaultRefreshAhead
	}
	return &Cache{key: key, store: store, fetch: fetch, ahead: ahead, now: now}
}

// Key returns the store key of this cache.
func (c *Cache) Key() string { return c.key }

// Token returns a cached token that is not within the refresh window of its
// expiry, or fetches a new one. Concurrent callers share one fetch; a
// caller whose ctx ends stops waiting, and the fetch stops when no caller
// waits any more.
func (c *Cache) Token(ctx context.Context) (string, error) {
	if v, ok := c.cached(ctx); ok {
		return v, nil
	}
	c.mu.Lock()
	f := c.flight
	if f == nil {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
		f = &call{done: make(chan struct{}), cancel: cancel}
		c.flight = f
		go c.run(fctx, f)
	}
	f.waiters++
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		c.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel() // nobody wants this token any more
		}
		c.mu.Unlock()
		return "", ctx.Err()
	}
}

func (c *Cache) run(ctx context.Context, f *call) {
	v, err := c.obtain(ctx)
	f.cancel()
	c.mu.Lock()
	f.value, f.err = v, err
	c.flight = nil
	c.mu.Unlock()
	close(f.done)
}

// obtain returns a token another process stored meanwhile, or takes the
// store's fetch lock and fetches; without the lock it waits for the
// holder's token.
func (c *Cache) obtain(ctx context.Context) (string, error) {
	for {
		if v, ok := c.cached(ctx); ok {
			return v, nil
		}
		release, acquired, err := c.store.TryLock(ctx, c.key, lockTTL)
		if err != nil {
			return "", err
		}
		if acquired {
			defer func() { _ = release(context.WithoutCancel(ctx)) }()
			if v, ok := c.cached(ctx); ok { // stored while we took the lock
				return v, nil
			}
			return c.fetchAndStore(ctx)
		}
		if err := sleep(ctx, pollEvery/2+time.Duration(rand.Int64N(int64(pollEvery)))); err != nil {
			return "", err
		}
	}
}

func (c *Cache) fetchAndStore(ctx context.Context) (string, error) {
	start := c.now()
	v, exp, err := c.fetch(ctx)
	if err == nil && v == "" {
		err = errors.New("token: fetch returned an empty token")
	}
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.life = lifetime{token: fingerprint(v), life: exp.Sub(start)}
	c.mu.Unlock()
	if err := c.store.Set(ctx, c.key, v, exp); err != nil {
		return "", err
	}
	return v, nil
}

func (c *Cache) cached(ctx context.Context) (string, bool) {
	v, exp, err := c.store.Get(ctx, c.key)
	if err != nil || v == "" {
		return "", false
	}
	if exp.IsZero() {
		return v, true
	}
	left := exp.Sub(c.now())
	return v, left > c.refreshAhead(v, left)
}

// refreshAhead is min(ahead, half the token's life). A token fetched by
// another process counts its life from when this one first saw it.
func (c *Cache) refreshAhead(v string, left time.Duration) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := fingerprint(v); c.life.token != f {
		c.life = lifetime{token: f, life: left}
	}
	return min(c.ahead, c.life.life/2)
}

// Invalidate drops the cached token if it still equals bad, so that the next
// Token call fetches a fresh one. Passing the rejected value avoids dropping
// a token another goroutine has just refreshed. It holds the store's fetch
// lock while it compares and deletes, so that it cannot delete the token
// another process has just fetched in its place.
func (c *Cache) Invalidate(ctx context.Context, bad string) error {
	release, err := c.lock(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = release(context.WithoutCancel(ctx)) }()
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

// lock waits for the store's fetch lock (a holder frees it, or it expires
// after lockTTL) or for ctx to end.
func (c *Cache) lock(ctx context.Context) (func(context.Context) error, error) {
	for {
		release, acquired, err := c.store.TryLock(ctx, c.key, lockTTL)
		if err != nil {
			return nil, err
		}
		if acquired {
			return release, nil
		}
		if err := sleep(ctx, pollEvery/2+time.Duration(rand.Int64N(int64(pollEvery)))); err != nil {
			return nil, err
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
