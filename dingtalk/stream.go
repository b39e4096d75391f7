package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
)

// Stream defaults. DingTalk's own SDK backs off from 3 s to 60 s and runs
// at most 100 handlers at once.
const (
	defaultStreamMinBackoff  = time.Second
	defaultStreamMaxBackoff  = time.Minute
	defaultStreamKeepalive   = time.Minute
	defaultStreamMaxHandlers = 100
)

// StreamClient receives DingTalk's events over Stream mode (Stream 模式):
// a WebSocket the app opens itself, so it needs no public callback URL and
// no callback crypto. Events are handed to the same handler type as
// [NewCallbackHandler] takes. Select the events, with Stream as the push
// mode, in the developer console (事件订阅 → Stream 模式推送).
//
// Build one with [NewStreamClient] and call [StreamClient.Run].
type StreamClient struct {
	c       *Client
	handler EventHandler
	opts    streamOptions
	dedup   callback.Deduper
	log     *slog.Logger
	running atomic.Bool
}

// StreamOption configures a [StreamClient].
type StreamOption func(*streamOptions) error

type streamOptions struct {
	minBackoff     time.Duration
	maxBackoff     time.Duration
	keepalive      time.Duration
	maxHandlers    int
	handlerTimeout time.Duration
	httpClient     *http.Client
}

// WithStreamBackoff sets the wait between reconnection attempts: it starts
// at minWait, doubles per failed attempt up to maxWait, and is jittered
// (default 1 s to 1 min).
func WithStreamBackoff(minWait, maxWait time.Duration) StreamOption {
	return func(o *streamOptions) error {
		if minWait <= 0 || maxWait < minWait {
			return errors.New("WithStreamBackoff: want 0 < minWait <= maxWait")
		}
		o.minBackoff, o.maxBackoff = minWait, maxWait
		return nil
	}
}

// WithStreamKeepalive sends a WebSocket ping every d and reconnects when
// no pong comes back within d, so a silently dead connection (a laptop
// that slept, a NAT that forgot it) is noticed. Default 1 min; 0 disables.
func WithStreamKeepalive(d time.Duration) StreamOption {
	return func(o *streamOptions) error {
		if d < 0 {
			return errors.New("WithStreamKeepalive: must not be negative")
		}
		o.keepalive = d
		return nil
	}
}

// WithStreamMaxHandlers caps how many events are handled at once (default
// 100); further frames wait until a handler returns.
func WithStreamMaxHandlers(n int) StreamOption {
	return func(o *streamOptions) error {
		if n < 1 {
			return errors.New("WithStreamMaxHandlers: must be at least 1")
		}
		o.maxHandlers = n
		return nil
	}
}

// WithStreamHandlerTimeout bounds one run of the handler (default 5 min,
// which is also how long an event stays reserved against redeliveries).
func WithStreamHandlerTimeout(d time.Duration) StreamOption {
	return func(o *streamOptions) error {
		if d <= 0 {
			return errors.New("WithStreamHandlerTimeout: must be positive")
		}
		o.handlerTimeout = d
		return nil
	}
}

// WithStreamHTTPClient dials the WebSocket through hc (proxies, TLS
// settings); the gateway call itself goes through the Client's transport.
func WithStreamHTTPClient(hc *http.Client) StreamOption {
	return func(o *streamOptions) error {
		if hc == nil {
			return errors.New("WithStreamHTTPClient: nil client")
		}
		o.httpClient = hc
		return nil
	}
}

// NewStreamClient returns a Stream client for c's app. The gateway
// (POST /v1.0/gateway/connections/open) is called on c's new-API host, so
// a Client pointed at dingtalktest receives the fake's events. handler
// gets every event; its nil return acknowledges the event (SUCCESS), an
// error or a panic asks DingTalk to push it again (LATER). Events are
// deduplicated by eventId: a redelivery of a handled event is acknowledged
// without running handler, one that arrives while the first is still being
// handled gets LATER. Handled events are recorded in the Client's
// [WithDeduper] (in process memory by default): share one (Redis) between
// replicas and with the HTTP callback handler. handler's ctx carries
// Run's values but is not cancelled when Run's ctx ends (Run waits for
// it); it ends after [WithStreamHandlerTimeout].
func NewStreamClient(c *Client, handler EventHandler, opts ...StreamOption) (*StreamClient, error) {
	if c == nil {
		return nil, errors.New("dingtalk: NewStreamClient: nil Client")
	}
	if handler == nil {
		return nil, errors.New("dingtalk: NewStreamClient: nil handler")
	}
	o := streamOptions{minBackoff: defaultStreamMinBackoff, maxBackoff: defaultStreamMaxBackoff,
		keepalive: defaultStreamKeepalive, maxHandlers: defaultStreamMaxHandlers, handlerTimeout: callback.DefaultPendingTTL}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, errors.New("dingtalk: NewStreamClient: " + err.Error())
		}
	}
	dedup := c.deduper
	if dedup == nil {
		dedup = callback.NewMemoryDeduper(c.clock)
	}
	return &StreamClient{c: c, handler: handler, opts: o, dedup: dedup, log: c.tc.Logger()}, nil
}

// Format prints the client as dingtalk.StreamClient{AppKey:…} for every
// verb, so that no credential of the Client inside leaks (fmt cannot call
// the masking methods of unexported fields).
func (s *StreamClient) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "dingtalk.StreamClient{AppKey:%s}", s.c.appKey)
}

// errStreamRunning is returned by a second concurrent Run.
var errStreamRunning = errors.New("dingtalk: StreamClient.Run: already running")

// Run connects and delivers events until ctx ends, then stops reading,
// lets the handlers in flight finish and send their acknowledgements,
// closes the connection and returns nil. A lost connection, a SYSTEM
// disconnect or a failed keepalive reconnects with a fresh ticket after a
// jittered backoff; it starts again from the shortest wait once a
// connection has carried a frame, and grows to the cap while connections
// fail or die before their first frame. Run returns an
// error only when DingTalk refuses the app's credentials or the call
// itself is wrong (a 4xx answer from the gateway).
func (s *StreamClient) Run(ctx context.Context) error {
	if ctx == nil {
		return errors.New("dingtalk: StreamClient.Run: nil context")
	}
	if !s.running.CompareAndSwap(false, true) {
		return errStreamRunning
	}
	defer s.running.Store(false)
	var handlers sync.WaitGroup
	defer handlers.Wait()
	slots := make(chan struct{}, s.opts.maxHandlers)
	failures := 0
	for {
		healthy, err := s.session(ctx, &handlers, slots)
		if ctx.Err() != nil {
			return nil
		}
		if isFatal(err) {
			return err
		}
		if healthy {
			failures = 0
		}
		failures++
		wait := s.backoff(failures)
		if errors.Is(err, errDisconnect) {
			s.log.LogAttrs(ctx, slog.LevelInfo, "dingtalk: stream: DingTalk asked to reconnect", slog.Duration("after", wait))
		} else {
			s.log.LogAttrs(ctx, slog.LevelWarn, "dingtalk: stream: connection lost; reconnecting",
				slog.String("error", errText(err)), slog.Duration("after", wait))
		}
		if !sleep(ctx, wait) {
			return nil
		}
	}
}

// isFatal reports a gateway answer that no retry will change: a 4xx other
// than 429 (wrong clientId/clientSecret, a malformed request).
func isFatal(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.HTTPStatus >= 400 && e.HTTPStatus < 500 && e.HTTPStatus != http.StatusTooManyRequests ||
		errors.Is(err, ErrInvalidRequest)
}

// backoff is the wait before reconnection attempt n (1, 2, ...): doubling
// from minBackoff, capped at maxBackoff, jittered into [d/2, d].
func (s *StreamClient) backoff(n int) time.Duration {
	d := s.opts.maxBackoff
	if n < 32 {
		if v := s.opts.minBackoff << (n - 1); v > 0 && v < d {
			d = v
		}
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// sleep waits d or until ctx ends; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
