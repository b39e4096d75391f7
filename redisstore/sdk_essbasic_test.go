package redisstore_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
	"github.com/hetong-go/hetong/redisstore"
	"github.com/redis/go-redis/v9"
)

// TestEssbasicRateBudgetFourReplicas: 4 essbasic clients share the
// platform's 20/s per action budget (burst 20) through Redis and call one
// action as fast as they may for 5 s. The fake receives at most 20×5+20
// calls, and at least 90% of that.
func TestEssbasicRateBudgetFourReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for 5 s")
	}
	const (
		replicas, workers = 4, 4
		perSecond, burst  = 20, 20
		window            = 5 * time.Second
	)
	fake := essbasictest.NewServer()
	defer fake.Close()
	prefix := testPrefix(t, newClient(t))
	clients := make([]*essbasic.Client, replicas)
	for i := range clients {
		lim, err := redisstore.NewLimiter(newClient(t), redisstore.Limit{PerSecond: perSecond, Burst: burst}, redisstore.WithPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = fake.Client(essbasic.WithRateLimiter(lim))
	}
	req := &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{"yDflowRedisBudget"}}

	ctx, cancel := context.WithTimeout(context.Background(), window)
	defer cancel()
	sent := make([]int, replicas)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for r, c := range clients {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					if _, err := c.DescribeFlowDetailInfo(ctx, req); err != nil {
						if ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
							t.Errorf("replica %d: %v", r, err)
						}
						return
					}
					mu.Lock()
					sent[r]++
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	total := fake.Calls("DescribeFlowDetailInfo")
	budget := perSecond*int(window/time.Second) + burst
	floor := (budget*9 + 9) / 10
	keys, _ := newClient(t).Keys(context.Background(), prefix+":rate:*").Result()
	t.Logf("4 essbasic replicas sharing %d/s (burst %d) for %v on %v: %v answered per replica, %d reached the fake (ceiling %d, floor %d)",
		perSecond, burst, window, keys, sent, total, budget, floor)
	if total > budget {
		t.Errorf("%d calls reached the fake > %d: the budget is not shared", total, budget)
	}
	if total < floor {
		t.Errorf("%d calls < 90%% of %d", total, budget)
	}
}

// essbasicReplica is one replica's callback endpoint with its own Redis
// pool and Deduper, counting the events its handler accepted.
type essbasicReplica struct {
	handler http.Handler
	handled atomic.Int64
	runs    atomic.Int64
	fail    atomic.Bool // the next run fails
}

// balancer is the load balancer in front of the replicas: each delivery
// goes to the next replica in turn.
type balancer struct {
	replicas []*essbasicReplica
	next     atomic.Int64
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rp := b.replicas[int(b.next.Add(1)-1)%len(b.replicas)]
	rp.handler.ServeHTTP(w, r)
}

// essbasicEndpoints starts n replicas behind a balancer and points the
// fake's callbacks at it. started receives once per handler run; a run
// then waits for hold, when hold is not nil.
func essbasicEndpoints(t *testing.T, fake *essbasictest.Server, n int, started chan<- int, hold <-chan struct{}) []*essbasicReplica {
	t.Helper()
	return essbasicEndpointsOn(t, fake, n, newClientTB, testPrefix(t, newClient(t)), started, hold)
}

func newClientTB(t testing.TB) *redis.Client { return newClient(t) }

// essbasicEndpointsOn is essbasicEndpoints with each replica's Redis
// client made by rdb, and keys under prefix.
func essbasicEndpointsOn(t *testing.T, fake *essbasictest.Server, n int, rdb func(testing.TB) *redis.Client, prefix string,
	started chan<- int, hold <-chan struct{}) []*essbasicReplica {
	t.Helper()
	b := &balancer{}
	for i := range n {
		rp := &essbasicReplica{}
		dd, err := redisstore.NewDeduper(rdb(t), redisstore.WithPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		rp.handler = essbasic.NewCallbackHandler(
			essbasic.CallbackConfig{Key: essbasictest.CallbackKey, Token: essbasictest.CallbackToken},
			func(ctx context.Context, ev *essbasic.CallbackEvent) error {
				rp.runs.Add(1)
				if started != nil {
					started <- i
				}
				if hold != nil {
					select {
					case <-hold:
					case <-time.After(10 * time.Second): // the assertions will tell
					}
				}
				if rp.fail.CompareAndSwap(true, false) {
					return errors.New("handler failed")
				}
				rp.handled.Add(1)
				return nil
			}, essbasic.WithDeduper(dd))
		b.replicas = append(b.replicas, rp)
	}
	lb := httptest.NewServer(b)
	t.Cleanup(lb.Close)
	fake.SetCallback(lb.URL, essbasictest.CallbackKey, essbasictest.CallbackToken)
	return b.replicas
}

func flowDone(id string) essbasic.FlowStatusChange {
	return essbasic.FlowStatusChange{ApplicationID: essbasictest.AppID, FlowID: id, FlowName: "采购合同",
		CallbackType: "sign", FlowCallbackStatus: int64(essbasic.FlowCallbackCompleted), Operate: "finish"}
}

func essbasicHandled(rps []*essbasicReplica) (total int64, each []int64) {
	for _, rp := range rps {
		each = append(each, rp.handled.Load())
		total += rp.handled.Load()
	}
	return total, each
}

// TestEssbasicCallbackOnceAcrossReplicas: one FlowStatusChange reaches 3
// replicas at once (the platform's delivery and two re-deliveries, spread
// by the load balancer) and all 3 again later: the handler runs once.
func TestEssbasicCallbackOnceAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	fake := essbasictest.NewServer()
	defer fake.Close()
	started, hold := make(chan int, 3), make(chan struct{})
	replicas := essbasicEndpoints(t, fake, 3, started, hold)

	statuses := make(chan int, 3)
	go func() {
		status, _, err := fake.PostCallback(ctx, essbasic.MsgTypeFlowStatusChange, flowDone("yDflowRedisOnce"))
		if err != nil {
			t.Error(err)
		}
		statuses <- status
	}()
	select { // replica 0 is handling it now
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the first delivery never reached a handler")
	}
	var wg sync.WaitGroup
	for range 2 { // re-deliveries land on replicas 1 and 2 meanwhile
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, err := fake.Redeliver(ctx)
			if err != nil {
				t.Error(err)
			}
			statuses <- status
		}()
	}
	wg.Wait()
	close(hold)
	got := map[int]int{}
	for range 3 {
		got[<-statuses]++
	}
	total, each := essbasicHandled(replicas)
	t.Logf("one callback to 3 replicas at once: handled %v (total %d); answers %v", each, total, got)
	if total != 1 || got[http.StatusOK] != 1 || got[http.StatusServiceUnavailable] != 2 {
		t.Fatalf("handled %d, answers %v; want handled once, one 200 and two 503", total, got)
	}

	for i := range replicas { // the platform delivers again later
		status, body, err := fake.Redeliver(ctx)
		if err != nil || status != http.StatusOK {
			t.Fatalf("later re-delivery %d: %d %s %v; want 200", i, status, body, err)
		}
	}
	total, each = essbasicHandled(replicas)
	t.Logf("re-delivered to all 3 later: handled %v (total %d), every delivery answered 200", each, total)
	if total != 1 {
		t.Fatalf("handled %d times, want once", total)
	}
}

// TestEssbasicCallbackFailureLetsNextDeliveryRun: the handler fails on the
// replica that got the delivery; the re-delivery, on the next replica, is
// handled; the one after that is acknowledged without running it.
func TestEssbasicCallbackFailureLetsNextDeliveryRun(t *testing.T) {
	ctx := context.Background()
	fake := essbasictest.NewServer()
	defer fake.Close()
	replicas := essbasicEndpoints(t, fake, 3, nil, nil)
	replicas[0].fail.Store(true)

	status, _, err := fake.PostCallback(ctx, essbasic.MsgTypeFlowStatusChange, flowDone("yDflowRedisFail"))
	if err != nil || status == http.StatusOK {
		t.Fatalf("delivery to the failing replica: %d, %v; want a retryable error status", status, err)
	}
	for i := 1; i <= 2; i++ {
		if status, body, err := fake.Redeliver(ctx); err != nil || status != http.StatusOK {
			t.Fatalf("re-delivery %d: %d %s %v; want 200", i, status, body, err)
		}
	}
	total, each := essbasicHandled(replicas)
	t.Logf("failure on replica 0 (answered %d), re-deliveries to replicas 1 and 2: handled %v, handler runs %d/%d/%d",
		status, each, replicas[0].runs.Load(), replicas[1].runs.Load(), replicas[2].runs.Load())
	if total != 1 || replicas[1].handled.Load() != 1 || replicas[2].runs.Load() != 0 {
		t.Fatalf("handled %v; want once, by replica 1, and replica 2 never running the handler", each)
	}
}

// TestEssbasicCallbackWhileRedisDown: with Redis down a delivery is
// answered with a retryable 503 and the handler does not run; once Redis
// is back the platform's next delivery is handled, once.
func TestEssbasicCallbackWhileRedisDown(t *testing.T) {
	ctx := context.Background()
	srv := startRedisServer(t)
	fake := essbasictest.NewServer()
	defer fake.Close()
	private := func(t testing.TB) *redis.Client {
		rdb := redis.NewClient(&redis.Options{Addr: srv.addr(), DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
		t.Cleanup(func() { rdb.Close() })
		return rdb
	}
	replicas := essbasicEndpointsOn(t, fake, 2, private, redisstore.DefaultPrefix, nil, nil)
	srv.stop()
	status, _, err := fake.PostCallback(ctx, essbasic.MsgTypeFlowStatusChange, flowDone("yDflowRedisDown"))
	t.Logf("delivery while Redis is down: HTTP %d", status)
	if err != nil || status != http.StatusServiceUnavailable {
		t.Fatalf("delivery while Redis is down: %d, %v; want 503 (retry later)", status, err)
	}
	if n, _ := essbasicHandled(replicas); n != 0 {
		t.Fatal("the handler ran without a reservation")
	}
	srv.start()
	deadline := time.Now().Add(15 * time.Second)
	for {
		status, _, err := fake.Redeliver(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries still answered %d after Redis came back", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status, _, err := fake.Redeliver(ctx); err != nil || status != http.StatusOK {
		t.Fatalf("re-delivery after it was handled: %d, %v", status, err)
	}
	total, each := essbasicHandled(replicas)
	t.Logf("Redis back: handled %v (total %d)", each, total)
	if total != 1 {
		t.Fatalf("handled %d times, want once", total)
	}
}
