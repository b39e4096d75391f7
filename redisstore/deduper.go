package redisstore

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Values of a dedup key.
const (
	dedupPending = "pending"
	dedupDone    = "done"
)

// Deduper makes every replica handle a callback once: the first delivery
// reserves its key, the others see it pending (answer a retryable status)
// or done (acknowledge without handling). It has the method set of the
// SDK's Deduper (pass it to WithDeduper). Keys live at
// <prefix>:dedup:<key> with the value "pending" or "done".
type Deduper struct {
	rdb redis.UniversalClient
	s   *settings
}

// NewDeduper returns a deduper on rdb. rdb is shared, not owned.
func NewDeduper(rdb redis.UniversalClient, opts ...Option) (*Deduper, error) {
	s, err := newSettings("NewDeduper", rdb, opts)
	if err != nil {
		return nil, err
	}
	return &Deduper{rdb: rdb, s: s}, nil
}

// reserveScript: 1 = reserved, 2 = done, 0 = pending elsewhere. One script,
// so that a reservation expiring between the SET and the GET cannot be
// misread.
var reserveScript = redis.NewScript(`
if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
	return 1
end
if redis.call("GET", KEYS[1]) == ARGV[3] then
	return 2
end
return 0`)

// Reserve claims key for ttl: SET NX "pending" with that expiry, so a
// replica that dies while handling frees it after ttl. reserved is true
// when this caller must run the handler; done is true when a previous
// delivery was handled and committed; both false means another delivery
// holds the reservation now.
func (d *Deduper) Reserve(ctx context.Context, key string, ttl time.Duration) (reserved, done bool, err error) {
	if err := checkKey("Reserve", key); err != nil {
		return false, false, err
	}
	if ttl < time.Millisecond {
		return false, false, invalid("Reserve", "ttl", "at least 1ms")
	}
	k := d.s.key(purposeDedup, key)
	n, err := reserveScript.Run(ctx, d.rdb, []string{k}, dedupPending, ttl.Milliseconds(), dedupDone).Int()
	if err != nil {
		return false, false, wrap("Reserve", k, err)
	}
	return n == 1, n == 2, nil
}

// Commit marks key handled for ttl (longer than the platform re-delivers),
// whoever holds it: the handler has succeeded, so re-deliveries are
// acknowledged without running it again.
func (d *Deduper) Commit(ctx context.Context, key string, ttl time.Duration) error {
	if err := checkKey("Commit", key); err != nil {
		return err
	}
	if ttl < time.Millisecond {
		return invalid("Commit", "ttl", "at least 1ms")
	}
	k := d.s.key(purposeDedup, key)
	return wrap("Commit", k, d.rdb.Set(ctx, k, dedupDone, ttl).Err())
}

// Release drops a pending reservation after the handler failed or
// panicked, so that the platform's next delivery is handled. A key already
// committed stays committed.
func (d *Deduper) Release(ctx context.Context, key string) error {
	if err := checkKey("Release", key); err != nil {
		return err
	}
	k := d.s.key(purposeDedup, key)
	return wrap("Release", k, compareAndDelete.Run(ctx, d.rdb, []string{k}, dedupPending).Err())
}
