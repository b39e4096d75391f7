package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// TokenStore keeps access tokens and login sessions in Redis, so that every
// replica of a service uses the same token and only one of them fetches a
// new one. It has the method set of the SDK's TokenStore (dingtalk,
// zhenling, kingdee: pass it to WithTokenStore).
//
// A token lives at <prefix>:token:<key> as "<expiry in Unix ns>:<token>"
// with a Redis TTL that ends at the token's expiry; the fetch lock lives
// at <prefix>:lock:<key>.
type TokenStore struct {
	rdb redis.UniversalClient
	s   *settings
}

// NewTokenStore returns a token store on rdb. rdb is shared, not owned:
// close it yourself when the last user is done.
func NewTokenStore(rdb redis.UniversalClient, opts ...Option) (*TokenStore, error) {
	s, err := newSettings("NewTokenStore", rdb, opts)
	if err != nil {
		return nil, err
	}
	return &TokenStore{rdb: rdb, s: s}, nil
}

// Get returns the token stored under key and its expiry (zero when it
// never expires). A miss is "", zero time and a nil error.
func (t *TokenStore) Get(ctx context.Context, key string) (value string, expiry time.Time, err error) {
	if err := checkKey("Get", key); err != nil {
		return "", time.Time{}, err
	}
	k := t.s.key(purposeToken, key)
	raw, err := t.rdb.Get(ctx, k).Result()
	if errors.Is(err, redis.Nil) {
		return "", time.Time{}, nil
	}
	if err != nil {
		return "", time.Time{}, wrap("Get", k, err)
	}
	value, expiry, ok := decodeToken(raw)
	if !ok {
		// Never echo raw: it may hold a token.
		return "", time.Time{}, &Error{Op: "Get", Key: k, Message: "stored value is not in this package's format"}
	}
	return value, expiry, nil
}

// Set stores value under key until expiry (a zero expiry never expires).
// An empty value, or an expiry already past, deletes the key.
func (t *TokenStore) Set(ctx context.Context, key, value string, expiry time.Time) error {
	if err := checkKey("Set", key); err != nil {
		return err
	}
	k := t.s.key(purposeToken, key)
	var ttl time.Duration
	if !expiry.IsZero() {
		ttl = expiry.Sub(t.s.now())
		if ttl < time.Millisecond {
			value = "" // already expired: nothing worth keeping
		}
	}
	if value == "" {
		return wrap("Set", k, t.rdb.Del(ctx, k).Err())
	}
	return wrap("Set", k, t.rdb.Set(ctx, k, encodeToken(value, expiry), ttl).Err())
}

// compareAndDelete deletes KEYS[1] only while it holds ARGV[1]: a lock
// holder whose lock expired cannot release its successor's, and releasing
// a dedup reservation leaves a committed key alone.
var compareAndDelete = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// TryLock takes the short cross-process fetch lock for key: SET NX with a
// random owner value and a TTL, so a replica that dies while holding it
// blocks the others for at most ttl. acquired is false (with a nil error)
// when another holder has it. release deletes the lock only if this caller
// still owns it; calling it more than once is harmless.
func (t *TokenStore) TryLock(ctx context.Context, key string, ttl time.Duration) (release func(context.Context) error, acquired bool, err error) {
	if err := checkKey("TryLock", key); err != nil {
		return nil, false, err
	}
	if ttl < time.Millisecond {
		return nil, false, invalid("TryLock", "ttl", "at least 1ms")
	}
	k := t.s.key(purposeLock, key)
	owner, err := newOwner()
	if err != nil {
		return nil, false, wrap("TryLock", k, err)
	}
	ok, err := t.rdb.SetNX(ctx, k, owner, ttl).Result()
	if err != nil {
		return nil, false, wrap("TryLock", k, err)
	}
	if !ok {
		return nil, false, nil
	}
	release = func(ctx context.Context) error {
		return wrap("Unlock", k, compareAndDelete.Run(ctx, t.rdb, []string{k}, owner).Err())
	}
	return release, true, nil
}

func newOwner() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

func encodeToken(value string, expiry time.Time) string {
	var ns int64
	if !expiry.IsZero() {
		ns = expiry.UnixNano()
	}
	return strconv.FormatInt(ns, 10) + ":" + value
}

func decodeToken(raw string) (string, time.Time, bool) {
	head, value, ok := strings.Cut(raw, ":")
	if !ok || value == "" {
		return "", time.Time{}, false
	}
	ns, err := strconv.ParseInt(head, 10, 64)
	if err != nil || ns < 0 {
		return "", time.Time{}, false
	}
	if ns == 0 {
		return value, time.Time{}, true
	}
	return value, time.Unix(0, ns), true
}
