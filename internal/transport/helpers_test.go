package transport

import (
	"runtime"
	"time"
)

func runtimeGoroutines() int { return runtime.NumGoroutine() }

// settleGoroutines waits up to 2 s for goroutines to drop to target.
func settleGoroutines(target int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > target; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}
