package redisstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hetong-go/hetong/redisstore"
)

func newDeduper(t *testing.T, prefix string) *redisstore.Deduper {
	t.Helper()
	d, err := redisstore.NewDeduper(newClient(t), redisstore.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeduperOneOfThreeReplicas(t *testing.T) {
	ctx := context.Background()
	rdb := newClient(t)
	prefix := testPrefix(t, rdb)
	replicas := []*redisstore.Deduper{newDeduper(t, prefix), newDeduper(t, prefix), newDeduper(t, prefix)}
	const key = "essbasic:app:msg-1"

	var mu sync.Mutex
	var reserved, pending int
	var wg sync.WaitGroup
	for _, d := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, done, err := d.Reserve(ctx, key, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r:
				reserved++
			case !done:
				pending++
			default:
				t.Error("done before anyone committed")
			}
		}()
	}
	wg.Wait()
	t.Logf("3 replicas at once: %d reserved, %d saw it pending", reserved, pending)
	if reserved != 1 || pending != 2 {
		t.Fatalf("reserved %d, pending %d; want 1 and 2", reserved, pending)
	}
	if v := rdb.Get(ctx, prefix+":dedup:"+key).Val(); v != "pending" {
		t.Fatalf("stored %q, want pending", v)
	}
	if err := replicas[0].Commit(ctx, key, time.Hour); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, prefix+":dedup:"+key).Val(); ttl <= time.Minute {
		t.Fatalf("committed TTL %v; want the longer commit TTL", ttl)
	}
	for i, d := range replicas {
		r, done, err := d.Reserve(ctx, key, time.Minute)
		if err != nil || r || !done {
			t.Fatalf("replica %d re-delivery: reserved=%v done=%v err=%v; want done", i, r, done, err)
		}
	}
	// Release after commit leaves the key committed.
	if err := replicas[2].Release(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, done, _ := replicas[1].Reserve(ctx, key, time.Minute); !done {
		t.Fatal("Release undid a commit")
	}
}

func TestDeduperReleaseLetsNextDeliveryRun(t *testing.T) {
	ctx := context.Background()
	rdb := newClient(t)
	prefix := testPrefix(t, rdb)
	a, b := newDeduper(t, prefix), newDeduper(t, prefix)
	const key = "qiyuesuo:app:contract-9"
	if r, _, _ := a.Reserve(ctx, key, time.Minute); !r {
		t.Fatal("first delivery not reserved")
	}
	if err := a.Release(ctx, key); err != nil { // handler failed
		t.Fatal(err)
	}
	if r, done, err := b.Reserve(ctx, key, time.Minute); !r || done || err != nil {
		t.Fatalf("next delivery: reserved=%v done=%v err=%v; want reserved", r, done, err)
	}
}

func TestDeduperPendingExpires(t *testing.T) {
	ctx := context.Background()
	rdb := newClient(t)
	prefix := testPrefix(t, rdb)
	a, b := newDeduper(t, prefix), newDeduper(t, prefix)
	if r, _, _ := a.Reserve(ctx, "zeyi:app:e", 20*time.Millisecond); !r {
		t.Fatal("not reserved")
	}
	for { // the replica holding it died: the reservation expires
		r, done, err := b.Reserve(ctx, "zeyi:app:e", time.Minute)
		if err != nil || done {
			t.Fatalf("reserved=%v done=%v err=%v", r, done, err)
		}
		if r {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
