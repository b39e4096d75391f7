package testkit

import (
	"errors"
	"sync/atomic"
	"testing"
)

type recorder struct {
	testing.TB
	failed atomic.Bool
}

func (r *recorder) Errorf(string, ...any) { r.failed.Store(true) }
func (r *recorder) Helper()               {}

func TestRunCountsAndReports(t *testing.T) {
	var n atomic.Int64
	res := Run(t, 1000, 16, func(int) error { n.Add(1); return nil })
	if n.Load() != 1000 || res.Errors != 0 {
		t.Fatalf("calls %d errors %d", n.Load(), res.Errors)
	}
	r := &recorder{TB: t}
	res = Run(r, 100, 4, func(i int) error {
		if i%10 == 0 {
			return errors.New("boom")
		}
		return nil
	})
	if res.Errors != 10 || !r.failed.Load() {
		t.Fatalf("errors %d reported %v", res.Errors, r.failed.Load())
	}
}

func TestRunDetectsLeak(t *testing.T) {
	r := &recorder{TB: t}
	stop := make(chan struct{})
	defer close(stop)
	Run(r, 1, 1, func(int) error { go func() { <-stop }(); return nil })
	if !r.failed.Load() {
		t.Fatal("a goroutine left running must fail the run")
	}
}

func TestLogBufferConcurrentWrites(t *testing.T) {
	var b LogBuffer
	Run(t, 100, 8, func(int) error { _, err := b.Write([]byte("x")); return err })
	if got := len(b.String()); got != 100 {
		t.Fatalf("wrote 100 bytes, read %d", got)
	}
}
