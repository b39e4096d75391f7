package dingtalktest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/hetong-go/hetong/internal/sign"
)

// streamHub is the Stream side of one fake: tickets, the live connection,
// frames awaiting their ACK, events not yet consumed, and the ACKs seen.
type streamHub struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change
	tickets  map[string]time.Time
	live     *streamConn
	sent     map[string]*frame // messageId → frame, until answered
	pending  []*frame          // events without a SUCCESS, in push order
	acks     []ackRecord
	issued   int
	accepted int
	refused  int
}

// ackRecord is an ACK and the connection that carried it.
type ackRecord struct {
	StreamAck
	conn *streamConn
}

type streamConn struct {
	ws   *websocket.Conn
	done chan struct{} // closed when its reader ends
}

// frame is a frame the fake sends (StreamDataFrame).
type frame struct {
	SpecVersion string            `json:"specVersion"`
	Type        string            `json:"type"`
	Headers     map[string]string `json:"headers"`
	Data        string            `json:"data"`
}

func newStreamHub() *streamHub {
	return &streamHub{changed: make(chan struct{}), tickets: map[string]time.Time{}, sent: map[string]*frame{}}
}

// notify wakes every waiter; call with mu held.
func (h *streamHub) notify() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// wait blocks until cond (called with mu held) is true or ctx ends.
func (h *streamHub) wait(ctx context.Context, cond func() bool) error {
	for {
		h.mu.Lock()
		ok, ch := cond(), h.changed
		h.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// issue records a ticket valid until expiry, dropping those that expired
// unused.
func (h *streamHub) issue(ticket string, expiry time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	issuedAt := expiry.Add(-StreamTicketTTL)
	for t, e := range h.tickets {
		if !issuedAt.Before(e) {
			delete(h.tickets, t)
		}
	}
	h.tickets[ticket] = expiry
	h.issued++
}

// useTicket consumes a ticket: each is good for one connection, until it
// expires.
func (h *streamHub) useTicket(ticket string, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	expiry, ok := h.tickets[ticket]
	delete(h.tickets, ticket)
	if !ok || !now.Before(expiry) {
		h.refused++
		h.notify()
		return false
	}
	return true
}

// accept upgrades a connection that brings a valid ticket, re-pushes the
// events not yet consumed, then reads ACKs until the connection ends.
func (h *streamHub) accept(w http.ResponseWriter, r *http.Request, now time.Time) {
	if !h.useTicket(r.URL.Query().Get("ticket"), now) {
		newErr(w, http.StatusUnauthorized, "InvalidTicket", "ticket is invalid, used or expired")
		return
	}
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(1 << 20)
	c := &streamConn{ws: ws, done: make(chan struct{})}
	ctx := context.Background()
	for _, f := range h.attach(c) {
		_, _ = h.write(ctx, c, f)
	}
	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			break
		}
		h.record(c, b)
	}
	h.detach(c)
}

// attach makes c the live connection and returns the events to push again.
func (h *streamHub) attach(c *streamConn) []*frame {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.live = c // the newest connection gets the pushes
	h.accepted++
	h.notify()
	return append([]*frame(nil), h.pending...)
}

func (h *streamHub) detach(c *streamConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	close(c.done)
	if h.live == c {
		h.live = nil
	}
	h.notify()
}

func (h *streamHub) drop() bool {
	h.mu.Lock()
	c := h.live
	h.mu.Unlock()
	if c == nil {
		return false
	}
	_ = c.ws.CloseNow()
	<-c.done
	return true
}

// repush sends the pending events again on the live connection.
func (h *streamHub) repush(ctx context.Context) (int, error) {
	h.mu.Lock()
	c, pending := h.live, append([]*frame(nil), h.pending...)
	h.mu.Unlock()
	if c == nil {
		return 0, nil
	}
	for i, f := range pending {
		if _, err := h.write(ctx, c, f); err != nil {
			return i, err
		}
	}
	return len(pending), nil
}

// write sends f with a fresh messageId (a re-push is a new message) and
// returns the id.
func (h *streamHub) write(ctx context.Context, c *streamConn, f *frame) (string, error) {
	g := *f
	g.Headers = map[string]string{}
	for k, v := range f.Headers {
		g.Headers[k] = v
	}
	id, _ := sign.Nonce(sign.Alnum, 20)
	g.Headers["messageId"] = id
	g.Headers["time"] = strconv.FormatInt(time.Now().UnixMilli(), 10)
	h.mu.Lock()
	h.sent[id] = &g
	h.mu.Unlock()
	b, _ := json.Marshal(&g)
	return id, c.ws.Write(ctx, websocket.MessageText, b)
}

// push waits for a live connection, sends f on it and returns the ACK of
// that frame. When the connection is lost first, a SYSTEM frame gets
// ErrStreamClosed, while an event gets the ACK of its re-push on a later
// connection.
func (h *streamHub) push(ctx context.Context, f *frame, event bool) (StreamAck, error) {
	var c *streamConn
	var start int
	err := h.wait(ctx, func() bool {
		if c = h.live; c == nil {
			return false
		}
		start = len(h.acks)
		if event {
			h.remember(f) // with the pick, so a connection attached later re-pushes it
		}
		return true
	})
	if err != nil {
		return StreamAck{}, err
	}
	id, werr := h.write(ctx, c, f)
	if werr != nil && !event {
		return StreamAck{}, errors.Join(ErrStreamClosed, werr)
	}
	eventID := f.Headers["eventId"]
	var ack StreamAck
	found := false
	err = h.wait(ctx, func() bool {
		for _, a := range h.acks[start:] {
			if a.MessageID == id || event && a.EventID == eventID && a.conn != c {
				ack, found = a.StreamAck, true
				return true
			}
		}
		select {
		case <-c.done:
			return !event
		default:
			return false
		}
	})
	if err == nil && !found {
		err = ErrStreamClosed
	}
	return ack, err
}

// record files one ACK from the client. An event's SUCCESS ends its
// re-pushes.
func (h *streamHub) record(c *streamConn, b []byte) {
	var in struct {
		Code    int               `json:"code"`
		Headers map[string]string `json:"headers"`
		Data    string            `json:"data"`
	}
	if json.Unmarshal(b, &in) != nil {
		return
	}
	var status struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal([]byte(in.Data), &status)
	h.mu.Lock()
	defer h.mu.Unlock()
	id := in.Headers["messageId"]
	f, ok := h.sent[id]
	if !ok {
		return // not a frame of ours: DingTalk ignores it
	}
	delete(h.sent, id)
	a := StreamAck{MessageID: id, Topic: f.Headers["topic"], EventID: f.Headers["eventId"], Code: in.Code, Data: in.Data}
	if a.EventID != "" {
		a.Status = status.Status
		if a.Status == "SUCCESS" && in.Code == http.StatusOK {
			h.consumed(a.EventID)
		}
	}
	h.acks = append(h.acks, ackRecord{a, c})
	h.notify()
}

// remember keeps an event for re-pushing until it is consumed; pushing the
// same eventId again keeps one copy. Call with mu held.
func (h *streamHub) remember(f *frame) {
	for _, p := range h.pending {
		if p.Headers["eventId"] == f.Headers["eventId"] {
			return
		}
	}
	h.pending = append(h.pending, f)
}

// consumed drops an event from the re-push list; call with mu held.
func (h *streamHub) consumed(eventID string) {
	kept := h.pending[:0]
	for _, f := range h.pending {
		if f.Headers["eventId"] != eventID {
			kept = append(kept, f)
		}
	}
	h.pending = kept
}

func eventFrame(ev StreamEvent) (*frame, error) {
	if ev.EventType == "" {
		return nil, errors.New("dingtalktest: StreamEvent.EventType: required")
	}
	var data string
	switch d := ev.Data.(type) {
	case string:
		data = d
	case []byte:
		data = string(d)
	case json.RawMessage:
		data = string(d)
	default:
		b, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		data = string(b)
	}
	if ev.EventID == "" {
		ev.EventID, _ = sign.Nonce(sign.Alnum, 24)
	}
	if ev.CorpID == "" {
		ev.CorpID = CorpID
	}
	return &frame{SpecVersion: "1.0", Type: "EVENT", Data: data, Headers: map[string]string{
		"topic": "*", "contentType": "application/json", "eventType": ev.EventType, "eventId": ev.EventID,
		"eventCorpId": ev.CorpID, "eventBornTime": strconv.FormatInt(time.Now().UnixMilli(), 10),
		"eventUnifiedAppId": AppKey,
	}}, nil
}

func systemFrame(topic, data string) *frame {
	return &frame{SpecVersion: "1.0", Type: "SYSTEM", Data: data,
		Headers: map[string]string{"topic": topic, "contentType": "application/json"}}
}
