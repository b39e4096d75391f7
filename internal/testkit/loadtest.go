// Package testkit holds what the platform packages' tests share: Run
// drives many concurrent calls through a client and checks that none
// failed and no goroutine outlived them, so every package's load test
// measures the same way; LogBuffer captures a shared logger's output.
package testkit

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Result is what a run observed.
type Result struct {
	Calls, Errors int64
	FirstErr      error
	Took          time.Duration
}

// Run makes calls calls of fn from workers goroutines (fn gets the call's
// index) and reports errors on t. Then it runs each cleanup (close idle
// connections there), waits up to 5 s for the goroutine count to settle
// back to what it was before, and fails t if it does not: a leaked
// connection, timer or token fetch shows up here.
func Run(t testing.TB, calls, workers int, fn func(i int) error, cleanup ...func()) Result {
	t.Helper()
	before := runtime.NumGoroutine()
	var next, errs atomic.Int64
	var first atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(calls) {
					return
				}
				if err := fn(int(i)); err != nil {
					errs.Add(1)
					first.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	res := Result{Calls: int64(calls), Errors: errs.Load(), Took: time.Since(start)}
	if e, ok := first.Load().(error); ok {
		res.FirstErr = e
		t.Errorf("%d of %d calls failed; first: %v", res.Errors, calls, e)
	}
	for _, c := range cleanup {
		c()
	}
	if after := Settle(before); after > before {
		t.Errorf("goroutines: %d before the run, %d after it settled", before, after)
	}
	return res
}

// Settle waits up to 5 s for the goroutine count to drop to target (idle
// keep-alive connections are closed first by the caller) and returns it.
func Settle(target int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 500 && n > target; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}
