package dingtalk

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// streamSession is one WebSocket connection: a reader that answers SYSTEM
// frames and starts a handler per EVENT frame, and the handlers' ACKs.
type streamSession struct {
	s     *StreamClient
	conn  *websocket.Conn
	slots chan struct{} // Run's handler budget, shared by all sessions

	mu       sync.Mutex
	stopping chan struct{}   // closed by drain: no new events are started
	handlers *sync.WaitGroup // Run's: the handlers of every session
	mine     sync.WaitGroup  // this connection's handlers

	disconnect     chan struct{} // closed on a SYSTEM disconnect
	disconnectOnce sync.Once
	readDone       chan struct{} // closed when the reader ends
	readErr        error         // why it ended; read after readDone
	framed         atomic.Bool   // a frame arrived: the connection works
}

func newStreamSession(s *StreamClient, conn *websocket.Conn, handlers *sync.WaitGroup, slots chan struct{}) *streamSession {
	return &streamSession{s: s, conn: conn, slots: slots, handlers: handlers,
		stopping: make(chan struct{}), disconnect: make(chan struct{}), readDone: make(chan struct{})}
}

// read handles frames until the connection ends. ctx carries the values
// of Run's context but not its cancellation: closing the connection ends
// the reader, so that in-flight handlers can still send their ACKs.
func (ss *streamSession) read(ctx context.Context) {
	defer close(ss.readDone)
	for {
		typ, b, err := ss.conn.Read(ctx)
		if err != nil {
			ss.readErr = err
			return
		}
		if typ == websocket.MessageText {
			ss.onFrame(ctx, b)
		}
	}
}

func (ss *streamSession) onFrame(ctx context.Context, b []byte) {
	ss.framed.Store(true)
	f, err := parseStreamFrame(b)
	if err != nil {
		ss.s.log.LogAttrs(ctx, slog.LevelWarn, "dingtalk: stream: unreadable frame skipped", slog.String("error", err.Error()))
		return
	}
	switch {
	case f.Type == streamTypeEvent:
		ss.dispatch(ctx, f)
	case f.Type == streamTypeSystem && f.Headers.Topic == streamTopicPing:
		ss.reply(ctx, systemAck(f))
	case f.Type == streamTypeSystem && f.Headers.Topic == streamTopicDisconnect:
		ss.reply(ctx, systemAck(f))
		ss.disconnectOnce.Do(func() { close(ss.disconnect) })
	default: // a topic this client did not subscribe to
		ss.reply(ctx, notHandledAck(f))
	}
}

// dispatch runs the handler for an EVENT frame in its own goroutine once a
// slot is free. After drain started, events are left unacknowledged:
// DingTalk pushes them again on the next connection.
func (ss *streamSession) dispatch(ctx context.Context, f *streamFrame) {
	select {
	case ss.slots <- struct{}{}:
	case <-ss.stopping:
		return
	}
	ss.mu.Lock()
	select {
	case <-ss.stopping:
		ss.mu.Unlock()
		<-ss.slots
		return
	default:
	}
	ss.handlers.Add(1)
	ss.mine.Add(1)
	ss.mu.Unlock()
	go func() {
		defer func() {
			<-ss.slots
			ss.mine.Done()
			ss.handlers.Done()
		}()
		status := ss.s.handle(ctx, f)
		ss.reply(ctx, eventAck(f.Headers.MessageID, status))
	}()
}

// reply writes one ACK. A write that fails means the connection is gone;
// DingTalk then pushes the frame again, and dedup answers it.
func (ss *streamSession) reply(ctx context.Context, b []byte) {
	wctx, cancel := context.WithTimeout(ctx, streamWriteTimeout)
	defer cancel()
	if err := ss.conn.Write(wctx, websocket.MessageText, b); err != nil {
		ss.s.log.LogAttrs(ctx, slog.LevelDebug, "dingtalk: stream: ACK not sent", slog.String("error", err.Error()))
	}
}

// drain stops starting handlers and waits until this connection's
// handlers have sent their ACKs, or the connection is gone.
func (ss *streamSession) drain() {
	ss.mu.Lock()
	close(ss.stopping)
	ss.mu.Unlock()
	idle := make(chan struct{})
	go func() {
		ss.mine.Wait()
		close(idle)
	}()
	select {
	case <-idle:
	case <-ss.readDone:
	}
}

// keepalive pings every d and closes the connection when a pong does not
// come back within d; the reader then ends and Run reconnects. It returns
// a func that stops it and waits for it.
func (ss *streamSession) keepalive(d time.Duration) (stop func()) {
	if d <= 0 {
		return func() {}
	}
	ctx, cancelAll := context.WithCancel(context.Background())
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ss.readDone:
				return
			case <-t.C:
			}
			pctx, cancel := context.WithTimeout(ctx, d)
			err := ss.conn.Ping(pctx)
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					ss.s.log.LogAttrs(ctx, slog.LevelWarn, "dingtalk: stream: keepalive ping unanswered; reconnecting")
				}
				_ = ss.conn.CloseNow()
				return
			}
		}
	}()
	return func() {
		cancelAll() // also ends a ping in flight
		<-exited
	}
}
