package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/redis/go-redis/v9"
)

// report is what demo measured, for main_test.go to check.
type report struct {
	tokenFetches   int   // at the fake, during the first calls
	rateCalls      int   // that reached the fake during the rate phase
	rateBudget     int   // rate × duration + burst
	handled        int64 // events handled, summed over the replicas
	events         int
	replicaHandled []int64
}

func demo(ctx context.Context, f *flags, rdb *redis.Client, stdout io.Writer) (*report, error) {
	fake := dingtalktest.NewServer()
	defer fake.Close()
	id := fake.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-REPLICAS", Title: "出差申请"})
	replicas := make([]*replica, f.replicas)
	for i := range replicas {
		rp, err := newReplica(i+1, rdb, fake, f)
		if err != nil {
			return nil, err
		}
		defer rp.close()
		replicas[i] = rp
	}
	rep := &report{events: f.events}

	// 1. Tokens.
	fmt.Fprintf(stdout, "\n1. tokens: %d concurrent first calls spread over %d replicas\n", f.calls, f.replicas)
	if err := spread(ctx, replicas, f.calls, func(ctx context.Context, rp *replica) error {
		_, err := rp.client.ListInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: "PROC-REPLICAS",
			StartTime: time.Now().Add(-24 * time.Hour)})
		return err
	}); err != nil {
		return nil, err
	}
	rep.tokenFetches = fake.TokenFetches()
	table(stdout, replicas, "token fetches\tcalls", func(rp *replica) string {
		return fmt.Sprintf("%d\t%d", rp.wire.tokens.Load(), rp.wire.calls.Load())
	})
	fmt.Fprintf(stdout, "   the fake issued %d token(s)\n", rep.tokenFetches)

	// 2. Rate budget.
	fmt.Fprintf(stdout, "\n2. rate: every replica calls processinstance/get as fast as it may for %v; shared budget %g/s, burst %d\n",
		f.duration, f.rate, f.burst)
	before := make([]int64, len(replicas))
	for i, rp := range replicas {
		before[i] = rp.wire.calls.Load()
	}
	served := fake.Calls("/topapi/processinstance/get")
	if err := saturate(ctx, replicas, f.duration, func(ctx context.Context, rp *replica) error {
		_, err := rp.client.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
		return err
	}); err != nil {
		return nil, err
	}
	rep.rateCalls = fake.Calls("/topapi/processinstance/get") - served
	rep.rateBudget = int(f.rate*f.duration.Seconds()) + f.burst
	table(stdout, replicas, "requests\tper second", func(rp *replica) string {
		n := rp.wire.calls.Load() - before[rp.n-1]
		return fmt.Sprintf("%d\t%.1f", n, float64(n)/f.duration.Seconds())
	})
	fmt.Fprintf(stdout, "   together: %d requests, %.1f/s (budget: at most %d)\n",
		rep.rateCalls, float64(rep.rateCalls)/f.duration.Seconds(), rep.rateBudget)

	// 3. Callbacks.
	fmt.Fprintf(stdout, "\n3. events: %d approval events, each pushed to all %d replicas at once, then again later\n", f.events, f.replicas)
	retried, err := deliver(ctx, fake, replicas, f.events)
	if err != nil {
		return nil, err
	}
	table(stdout, replicas, "handled\tasked to retry", func(rp *replica) string {
		return fmt.Sprintf("%d\t%d", rp.handled.Load(), retried[rp.n-1])
	})
	for _, rp := range replicas {
		rep.replicaHandled = append(rep.replicaHandled, rp.handled.Load())
		rep.handled += rp.handled.Load()
	}
	fmt.Fprintf(stdout, "   together: %d events handled (each once)\n", rep.handled)
	return rep, nil
}

// spread makes n calls at once, spread over the replicas.
func spread(ctx context.Context, replicas []*replica, n int, call func(context.Context, *replica) error) error {
	errs := make(chan error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- call(ctx, replicas[i%len(replicas)])
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// saturate runs workers per replica that call in a loop until d is over.
func saturate(ctx context.Context, replicas []*replica, d time.Duration, call func(context.Context, *replica) error) error {
	const workers = 8
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var first atomic.Value
	var wg sync.WaitGroup
	for _, rp := range replicas {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					err := call(ctx, rp)
					// The limiter refuses at once a slot past the deadline.
					if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
						return
					}
					if err != nil {
						first.CompareAndSwap(nil, err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	if err, ok := first.Load().(error); ok {
		return err
	}
	return nil
}

// deliver pushes each event to every replica at once, as DingTalk's
// re-pushes landing on different replicas would, then once more to each.
// It returns how many pushes each replica asked to retry (HTTP 503: the
// event was being handled elsewhere); DingTalk would push those again.
func deliver(ctx context.Context, fake *dingtalktest.Server, replicas []*replica, events int) ([]int, error) {
	urls := make([]string, len(replicas))
	for i, rp := range replicas {
		srv := httptest.NewServer(rp.client.NewCallbackHandler(dingtalktest.CallbackConfig(), rp.handle))
		defer srv.Close()
		urls[i] = srv.URL
	}
	retried := make([]int, len(replicas))
	var mu sync.Mutex
	for e := range events {
		id := fake.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-REPLICAS", Title: fmt.Sprintf("付款申请 %d", e+1)})
		ev, err := fake.InstanceEvent(id, "finish")
		if err != nil {
			return nil, err
		}
		var wg sync.WaitGroup
		for i, u := range urls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := fake.PostEvent(ctx, u, ev); err != nil {
					mu.Lock()
					retried[i]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for _, u := range urls { // later re-pushes: acknowledged, not handled again
			if err := fake.PostEvent(ctx, u, ev); err != nil {
				return nil, fmt.Errorf("re-push of a handled event: %w", err)
			}
		}
	}
	return retried, nil
}

// handle is the application's event handler; it takes a moment, as real
// work would, so that the simultaneous pushes overlap.
func (rp *replica) handle(ctx context.Context, ev *dingtalk.Event) error {
	select {
	case <-time.After(50 * time.Millisecond):
	case <-ctx.Done():
		return ctx.Err()
	}
	rp.handled.Add(1)
	return nil
}

func table(w io.Writer, replicas []*replica, header string, row func(*replica) string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "   replica\t%s\t\n", header)
	for _, rp := range replicas {
		fmt.Fprintf(tw, "   %d\t%s\t\n", rp.n, row(rp))
	}
	tw.Flush()
}
