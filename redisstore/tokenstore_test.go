package redisstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hetong-go/hetong/redisstore"
)

func newTokenStore(t *testing.T) (*redisstore.TokenStore, string, func(string) string) {
	t.Helper()
	rdb := newClient(t)
	prefix := testPrefix(t, rdb)
	ts, err := redisstore.NewTokenStore(rdb, redisstore.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	raw := func(k string) string { v, _ := rdb.Get(context.Background(), k).Result(); return v }
	return ts, prefix, raw
}

func TestTokenStoreGetSet(t *testing.T) {
	ctx := context.Background()
	ts, prefix, raw := newTokenStore(t)
	rdb := newClient(t)

	if v, exp, err := ts.Get(ctx, "dingtalk:dingapp"); err != nil || v != "" || !exp.IsZero() {
		t.Fatalf("miss = %q, %v, %v; want empty, zero, nil", v, exp, err)
	}
	expiry := time.Now().Add(time.Hour).Round(0)
	if err := ts.Set(ctx, "dingtalk:dingapp", "tok-1", expiry); err != nil {
		t.Fatal(err)
	}
	v, exp, err := ts.Get(ctx, "dingtalk:dingapp")
	if err != nil || v != "tok-1" || !exp.Equal(expiry) {
		t.Fatalf("Get = %q, %v, %v; want tok-1, %v", v, exp, err, expiry)
	}
	key := prefix + ":token:dingtalk:dingapp"
	if raw(key) == "" {
		t.Fatalf("token not stored at %s", key)
	}
	ttl := rdb.PTTL(ctx, key).Val()
	if ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("Redis TTL = %v; want the token's remaining hour", ttl)
	}

	// No expiry: kept without a Redis TTL.
	if err := ts.Set(ctx, "zhenling:app", "tok-2", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if v, exp, _ := ts.Get(ctx, "zhenling:app"); v != "tok-2" || !exp.IsZero() {
		t.Fatalf("Get = %q, %v; want tok-2, zero expiry", v, exp)
	}
	if ttl := rdb.PTTL(ctx, prefix+":token:zhenling:app").Val(); ttl != -1 {
		t.Fatalf("TTL of a token without expiry = %v, want none (-1)", ttl)
	}

	// "" deletes; an expiry in the past deletes too.
	if err := ts.Set(ctx, "dingtalk:dingapp", "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := ts.Get(ctx, "dingtalk:dingapp"); v != "" {
		t.Fatalf("after Set \"\": %q, want a miss", v)
	}
	if err := ts.Set(ctx, "zhenling:app", "old", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := ts.Get(ctx, "zhenling:app"); v != "" {
		t.Fatalf("after Set with a past expiry: %q, want a miss", v)
	}
}

func TestTokenStoreValueWithColons(t *testing.T) {
	ctx := context.Background()
	ts, _, _ := newTokenStore(t)
	const session = "kdservice-sessionid=abc:def:ghi"
	const key = "kingdee:session:https://erp.example.com/k3cloud/|acct|Zhang San|LoginBySign" // a user name with a space
	if err := ts.Set(ctx, key, session, time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if v, _, err := ts.Get(ctx, key); err != nil || v != session {
		t.Fatalf("Get = %q, %v; want %q", v, err, session)
	}
}

func TestTokenStoreForeignValue(t *testing.T) {
	ctx := context.Background()
	ts, prefix, _ := newTokenStore(t)
	rdb := newClient(t)
	rdb.Set(ctx, prefix+":token:dingtalk:x", "secret-looking-garbage", 0)
	_, _, err := ts.Get(ctx, "dingtalk:x")
	var e *redisstore.Error
	if !errors.As(err, &e) || e.Op != "Get" {
		t.Fatalf("err = %v; want a *redisstore.Error for Get", err)
	}
	if strings.Contains(err.Error(), "garbage") {
		t.Fatalf("error shows the stored value: %v", err)
	}
}

func TestTokenStoreTryLock(t *testing.T) {
	ctx := context.Background()
	ts, prefix, raw := newTokenStore(t)

	release, ok, err := ts.TryLock(ctx, "dingtalk:app", time.Minute)
	if err != nil || !ok {
		t.Fatalf("first TryLock = %v, %v; want acquired", ok, err)
	}
	lockKey := prefix + ":lock:dingtalk:app"
	if raw(lockKey) == "" {
		t.Fatalf("no lock at %s", lockKey)
	}
	if _, ok, err := ts.TryLock(ctx, "dingtalk:app", time.Minute); err != nil || ok {
		t.Fatalf("second TryLock = %v, %v; want not acquired, nil", ok, err)
	}
	if err := release(ctx); err != nil {
		t.Fatal(err)
	}
	if err := release(ctx); err != nil { // twice is harmless
		t.Fatal(err)
	}
	if _, ok, _ := ts.TryLock(ctx, "dingtalk:app", time.Minute); !ok {
		t.Fatal("TryLock after release: not acquired")
	}
}

func TestTokenStoreStaleReleaseKeepsSuccessorsLock(t *testing.T) {
	ctx := context.Background()
	ts, prefix, raw := newTokenStore(t)

	stale, ok, err := ts.TryLock(ctx, "kingdee:acct", 20*time.Millisecond)
	if err != nil || !ok {
		t.Fatalf("TryLock = %v, %v", ok, err)
	}
	var successor func(context.Context) error
	for successor == nil { // the first lock expires by itself
		time.Sleep(10 * time.Millisecond)
		if rel, ok, err := ts.TryLock(ctx, "kingdee:acct", time.Minute); err != nil {
			t.Fatal(err)
		} else if ok {
			successor = rel
		}
	}
	held := raw(prefix + ":lock:kingdee:acct")
	if err := stale(ctx); err != nil {
		t.Fatal(err)
	}
	if got := raw(prefix + ":lock:kingdee:acct"); got == "" || got != held {
		t.Fatal("the expired holder's release deleted its successor's lock")
	}
	if _, ok, _ := ts.TryLock(ctx, "kingdee:acct", time.Minute); ok {
		t.Fatal("lock free while the successor holds it")
	}
	if err := successor(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestValidation(t *testing.T) {
	ctx := context.Background()
	ts, _, _ := newTokenStore(t)
	rdb := newClient(t)
	for name, err := range map[string]error{
		"nil client":   func() error { _, err := redisstore.NewTokenStore(nil); return err }(),
		"empty prefix": func() error { _, err := redisstore.NewDeduper(rdb, redisstore.WithPrefix(" ")); return err }(),
		"prefix space": func() error { _, err := redisstore.NewDeduper(rdb, redisstore.WithPrefix("my app")); return err }(),
		"nil clock":    func() error { _, err := redisstore.NewTokenStore(rdb, redisstore.WithClock(nil)); return err }(),
		"zero rate":    func() error { _, err := redisstore.NewLimiter(rdb, redisstore.Limit{}); return err }(),
		"negative burst": func() error {
			_, err := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: 1, Burst: -1})
			return err
		}(),
		"bad key limit": func() error {
			_, err := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: 1}, redisstore.WithKeyLimit("a:*", redisstore.Limit{}))
			return err
		}(),
		"empty key":   func() error { _, _, err := ts.Get(ctx, ""); return err }(),
		"lock ttl 0":  func() error { _, _, err := ts.TryLock(ctx, "a", 0); return err }(),
		"reserve ttl": func() error { d, _ := redisstore.NewDeduper(rdb); _, _, err := d.Reserve(ctx, "a", 0); return err }(),
		"commit ttl":  func() error { d, _ := redisstore.NewDeduper(rdb); return d.Commit(ctx, "a", -time.Second) }(),
		"wait no key": func() error {
			l, _ := redisstore.NewLimiter(rdb, redisstore.Limit{PerSecond: 1})
			return l.Wait(ctx, "")
		}(),
	} {
		var e *redisstore.Error
		if !errors.Is(err, redisstore.ErrInvalidArgument) || !errors.As(err, &e) || e.Message == "" {
			t.Errorf("%s: err = %v; want a *redisstore.Error wrapping ErrInvalidArgument", name, err)
		}
	}
}
