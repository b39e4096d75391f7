// Package fakekit is the fault injection every platform fake shares: one
// vocabulary (an HTTP status and body, a platform error code, a connection
// reset, a delay) queued with FailNext and applied by one middleware, so
// that tests of all six packages break the platforms the same way.
package fakekit

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Fault is what the next matching request gets instead of (or before) the
// fake's normal answer. Set one kind: Status (+Body, ContentType), Code
// (+Message, rendered in the platform's envelope, with Status as the HTTP
// status when set) or Reset; Delay may go with any of them, or alone to
// slow the normal answer down.
type Fault struct {
	// Match limits the fault to one endpoint: a URL path or the
	// platform's action/operation name. Empty matches every request.
	Match string
	// Times is how many matching requests get the fault (default 1).
	Times int

	Status      int
	Body        string
	ContentType string
	Code        string
	Message     string
	Reset       bool
	Delay       time.Duration
}

// Render writes a platform error envelope for f.Code and f.Message.
type Render func(w http.ResponseWriter, r *http.Request, f Fault)

// Faults is a queue of faults; the zero value is empty and ready.
type Faults struct {
	mu    sync.Mutex
	queue []Fault
}

// FailNext queues f.
func (q *Faults) FailNext(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, f)
}

// Reset drops every queued fault.
func (q *Faults) Reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = nil
}

// take returns the first queued fault matching names, using up one of its Times.
func (q *Faults) take(names ...string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.queue {
		if !matches(f.Match, names) {
			continue
		}
		f.Times--
		if f.Times == 0 {
			q.queue = append(q.queue[:i:i], q.queue[i+1:]...)
		} else {
			q.queue[i] = f
		}
		return f, true
	}
	return Fault{}, false
}

func matches(match string, names []string) bool {
	if match == "" {
		return true
	}
	for _, n := range names {
		if n == match {
			return true
		}
	}
	return false
}

// Middleware applies queued faults before next. name gives the request's
// action name (nil: the path only); render writes a platform error code.
func (q *Faults) Middleware(next http.Handler, name func(*http.Request) string, render Render) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		names := []string{r.URL.Path}
		if name != nil {
			names = append(names, name(r))
		}
		f, ok := q.take(names...)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		switch {
		case f.Reset:
			reset(w)
		case f.Code != "":
			render(w, r, f)
		case f.Status != 0:
			if f.ContentType != "" {
				w.Header().Set("Content-Type", f.ContentType)
			}
			w.WriteHeader(f.Status)
			_, _ = w.Write([]byte(f.Body))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// reset closes the connection abruptly (TCP RST), as a crashed proxy does.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakekit: connection reset needs an http.Hijacker") // a test server always is one
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
