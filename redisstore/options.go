package redisstore

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix starts every key this package writes unless [WithPrefix]
// says otherwise.
const DefaultPrefix = "hetong"

// The purposes that make up the middle part of every key:
// <prefix>:<purpose>:<key given by the SDK>.
const (
	purposeToken = "token"
	purposeLock  = "lock"
	purposeRate  = "rate"
	purposeDedup = "dedup"
)

// Option configures a [TokenStore], [Limiter] or [Deduper].
type Option func(*settings) error

type settings struct {
	prefix    string
	now       func() time.Time
	keyLimits []keyLimit // limiter only
}

// WithPrefix sets the first part of every key (default "hetong"), so that
// several applications can share one Redis, or so that a Redis ACL key
// pattern such as ~myapp:* covers everything this package touches. It must
// not be empty and must not contain spaces or control characters.
func WithPrefix(prefix string) Option {
	return func(s *settings) error {
		if err := checkKeyPart(prefix); err != nil {
			return invalid("WithPrefix", "prefix", err.Error())
		}
		s.prefix = strings.TrimSuffix(prefix, ":")
		return nil
	}
}

// WithClock sets the clock used to turn a token's absolute expiry into a
// Redis TTL (default time.Now). Give the same clock as the SDK client's
// WithClock.
func WithClock(now func() time.Time) Option {
	return func(s *settings) error {
		if now == nil {
			return invalid("WithClock", "now", "required")
		}
		s.now = now
		return nil
	}
}

func newSettings(op string, rdb redis.UniversalClient, opts []Option) (*settings, error) {
	if rdb == nil {
		return nil, invalid(op, "rdb", "required")
	}
	s := &settings{prefix: DefaultPrefix, now: time.Now}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// key builds <prefix>:<purpose>:<key>. The SDK's keys are
// <platform>:<app id>[:...] and never contain a secret.
func (s *settings) key(purpose, key string) string {
	return s.prefix + ":" + purpose + ":" + key
}

// checkKey refuses an empty key. Any other is taken as the SDK gives it
// (Redis keys are binary-safe): kingdee's session keys hold the account's
// user name, which may contain spaces.
func checkKey(op, key string) error {
	if key == "" {
		return invalid(op, "key", "required")
	}
	return nil
}

func checkKeyPart(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("required")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("must not contain spaces or control characters")
		}
	}
	return nil
}
