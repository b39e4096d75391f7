package dingtalk

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Connection limits.
const (
	streamDialTimeout  = 30 * time.Second
	streamWriteTimeout = 10 * time.Second
	streamMaxFrame     = 1 << 20 // approval events are a few hundred bytes
	streamTicketLife   = 90 * time.Second
	streamUserAgent    = "hetong-go/dingtalk-stream"
)

// errDisconnect ends a session after a SYSTEM disconnect frame.
var errDisconnect = errors.New("DingTalk sent disconnect")

// streamSubscriptions are the topics asked for on every connect: all
// events ticked in the developer console, and the two SYSTEM topics.
var streamSubscriptions = []OpenConnectionRequestSubscriptions{
	{Type: streamTypeEvent, Topic: "*"},
	{Type: streamTypeSystem, Topic: streamTopicPing},
	{Type: streamTypeSystem, Topic: streamTopicDisconnect},
}

// connect asks the gateway for an endpoint and a one-time ticket, then
// dials the endpoint with it. The ticket is masked in every log line and
// error from then on.
func (s *StreamClient) connect(ctx context.Context) (*websocket.Conn, error) {
	res, err := s.c.OpenConnection(ctx, &OpenConnectionRequest{ClientID: s.c.appKey, ClientSecret: string(s.c.appSecret),
		Subscriptions: streamSubscriptions, UA: streamUserAgent})
	if err != nil {
		return nil, err
	}
	if res.Endpoint == "" || res.Ticket == "" {
		return nil, s.err("answer without endpoint or ticket", nil)
	}
	s.c.tc.Redactor().Learn(res.Ticket, s.c.tc.Now().Add(streamTicketLife))
	u, err := url.Parse(res.Endpoint)
	if err != nil || (u.Scheme != "wss" && u.Scheme != "ws") || u.Host == "" {
		return nil, s.err("endpoint is not a ws(s):// URL", nil)
	}
	q := u.Query()
	q.Set("ticket", res.Ticket)
	u.RawQuery = q.Encode()
	dctx, cancel := context.WithTimeout(ctx, streamDialTimeout)
	defer cancel()
	conn, resp, err := websocket.Dial(dctx, u.String(), &websocket.DialOptions{HTTPClient: s.opts.httpClient})
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, s.err("cannot open the WebSocket", err)
	}
	conn.SetReadLimit(streamMaxFrame)
	return conn, nil
}

// err is a stream failure as the package's *Error; the cause's text is
// redacted (a dial error quotes the URL with the ticket).
func (s *StreamClient) err(msg string, cause error) error {
	return &Error{Op: "Stream", Message: msg, Err: cause, red: s.c.tc.Redactor()}
}

// session runs one connection until ctx ends, the connection fails or
// DingTalk sends disconnect. It reports whether the connection was
// healthy: it carried at least one frame.
func (s *StreamClient) session(ctx context.Context, handlers *sync.WaitGroup, slots chan struct{}) (bool, error) {
	conn, err := s.connect(ctx)
	if err != nil {
		return false, err
	}
	defer conn.CloseNow()
	ss := newStreamSession(s, conn, handlers, slots)
	s.log.LogAttrs(ctx, slog.LevelInfo, "dingtalk: stream: connected")
	go ss.read(context.WithoutCancel(ctx))
	stopKeepalive := ss.keepalive(s.opts.keepalive)
	defer stopKeepalive()
	select {
	case <-ctx.Done():
		err = ctx.Err()
	case <-ss.disconnect:
		err = errDisconnect
	case <-ss.readDone:
		return ss.framed.Load(), s.err("connection lost", ss.readErr)
	}
	ss.drain()
	_ = conn.Close(websocket.StatusNormalClosure, "")
	<-ss.readDone
	return ss.framed.Load(), err
}
