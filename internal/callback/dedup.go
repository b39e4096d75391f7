package callback

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Deduper makes a callback handled once across redeliveries, replicas and
// crashes: reserve the message's key before the handler runs, commit it
// after the handler succeeded, release it after a failure or panic so the
// platform's next delivery runs the handler again. Implementations must be
// safe for concurrent use; a shared one (Redis) spans processes.
type Deduper interface {
	// Reserve claims key for ttl (the longest a handler may take). It
	// reports reserved=true when this delivery should run the handler;
	// reserved=false, done=true when the message was handled already; and
	// both false when another delivery holds the reservation right now.
	Reserve(ctx context.Context, key string, ttl time.Duration) (reserved, done bool, err error)
	// Commit marks key handled, remembered for ttl.
	Commit(ctx context.Context, key string, ttl time.Duration) error
	// Release drops a reservation that was not committed.
	Release(ctx context.Context, key string) error
}

// Default lifetimes of dedup keys.
const (
	// DefaultPendingTTL bounds a reservation: a handler that crashed the
	// process frees its message after this long.
	DefaultPendingTTL = 5 * time.Minute
	// DefaultDoneTTL is how long a handled message is remembered; the
	// platforms stop re-pushing well within it.
	DefaultDoneTTL = 72 * time.Hour
)

// MemoryDeduper is an in-process [Deduper]. It forgets keys after their ttl.
type MemoryDeduper struct {
	mu   sync.Mutex
	keys map[string]memEntry
	now  func() time.Time
}

type memEntry struct {
	done   bool
	expiry time.Time
}

// NewMemoryDeduper returns an empty deduper; now may be nil for time.Now.
func NewMemoryDeduper(now func() time.Time) *MemoryDeduper {
	if now == nil {
		now = time.Now
	}
	return &MemoryDeduper{keys: map[string]memEntry{}, now: now}
}

// Reserve implements Deduper.
func (d *MemoryDeduper) Reserve(_ context.Context, key string, ttl time.Duration) (reserved, done bool, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	d.sweep(now)
	if e, ok := d.keys[key]; ok && now.Before(e.expiry) {
		return false, e.done, nil
	}
	d.keys[key] = memEntry{expiry: now.Add(ttl)}
	return true, false, nil
}

// Commit implements Deduper.
func (d *MemoryDeduper) Commit(_ context.Context, key string, ttl time.Duration) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.keys[key] = memEntry{done: true, expiry: d.now().Add(ttl)}
	return nil
}

// Release implements Deduper. A committed key stays.
func (d *MemoryDeduper) Release(_ context.Context, key string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, ok := d.keys[key]; ok && !e.done {
		delete(d.keys, key)
	}
	return nil
}

// sweep drops expired keys once the map has grown, bounding memory.
func (d *MemoryDeduper) sweep(now time.Time) {
	if len(d.keys) <= 4096 {
		return
	}
	for k, e := range d.keys {
		if !now.Before(e.expiry) {
			delete(d.keys, k)
		}
	}
}

// CheckReplay reserves key and returns a 409 *Error wrapping ErrReplay
// when it was reserved or handled before. It serves verification steps
// that refuse a repeated nonce; message dedup goes through [Handler].
func CheckReplay(ctx context.Context, d Deduper, key string, ttl time.Duration) error {
	if d == nil || key == "" {
		return nil
	}
	reserved, _, err := d.Reserve(ctx, key, ttl)
	if err != nil {
		return &Error{Status: http.StatusServiceUnavailable, Reason: "replay store unavailable", Err: err}
	}
	if !reserved {
		return &Error{Status: http.StatusConflict, Reason: "replayed callback", Err: ErrReplay}
	}
	return nil
}

// Forget releases key, so that a callback whose handler failed is
// accepted when the platform delivers it again.
func Forget(d Deduper, key string) {
	if d != nil && key != "" {
		_ = d.Release(context.Background(), key)
	}
}
