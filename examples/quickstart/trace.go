package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"time"
)

// traceHandler prints the clients' request and response log records as one
// short line each ("→ POST /path", "← 200 in 1ms"), so the quickstart shows
// what every client does without the full debug output of -v.
type traceHandler struct {
	mu *sync.Mutex
	w  io.Writer
}

func newTraceLogger(w io.Writer) *slog.Logger {
	return slog.New(traceHandler{mu: &sync.Mutex{}, w: w})
}

func (h traceHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h traceHandler) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]slog.Value{}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value; return true })
	var line string
	switch r.Message {
	case "hetong: request":
		path := attrs["url"].String()
		if u, err := url.Parse(path); err == nil {
			path = u.Path
			if u.RawQuery != "" {
				path += "?" + u.RawQuery
			}
		}
		line = fmt.Sprintf("   → %s %s", attrs["method"], path)
		if op := attrs["op"].String(); op != "" && op != path {
			line += "  (" + op + ")"
		}
	case "hetong: response":
		line = fmt.Sprintf("   ← %s in %s", attrs["status"], attrs["took"].Duration().Round(10*time.Microsecond))
	case "hetong: stream":
		line = fmt.Sprintf("   ← %s (streaming)", attrs["status"])
	default:
		line = "   " + r.Message
		if e, ok := attrs["error"]; ok {
			line += ": " + e.String()
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := fmt.Fprintln(h.w, line)
	return err
}

func (h traceHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h traceHandler) WithGroup(string) slog.Handler      { return h }
