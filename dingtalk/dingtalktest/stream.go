package dingtalktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/internal/sign"
)

// Stream paths the fake serves: DingTalk's gateway, and the WebSocket
// endpoint the gateway hands out (the real one is on another host).
const (
	StreamOpenPath    = "/v1.0/gateway/connections/open"
	StreamConnectPath = "/connect"
	// StreamTicketTTL is how long a ticket may wait for its connection.
	StreamTicketTTL = 90 * time.Second
)

// ErrStreamClosed is returned when the connection ended before the client
// answered a SYSTEM frame.
var ErrStreamClosed = errors.New("dingtalktest: stream connection closed before the ACK")

// StreamEvent is an event to push over Stream (an EVENT frame).
type StreamEvent struct {
	EventID   string // eventId; minted when empty. Push the same ID again to re-deliver.
	EventType string // eventType, e.g. dingtalk.EventInstanceChange (required)
	CorpID    string // eventCorpId; CorpID when empty
	// Data is the frame's data: a string, []byte or json.RawMessage is sent
	// as the JSON text it holds, anything else is marshalled.
	Data any
}

// StreamAck is one answer the fake received from the client.
type StreamAck struct {
	MessageID string // the frame it answers
	Topic     string // the frame's topic: "*" for events, "ping", "disconnect"
	EventID   string // for events
	Code      int    // 200, or 500 for LATER, 404 for a topic not handled
	Status    string // events: SUCCESS or LATER
	Data      string // the ACK's data (JSON text)
}

// streamHubs holds each Server's Stream state; it lives outside Server so
// this file adds no field to it.
var streamHubs sync.Map // *Server → *streamHub

func (s *Server) stream() *streamHub {
	if h, ok := streamHubs.Load(s); ok {
		return h.(*streamHub)
	}
	h, _ := streamHubs.LoadOrStore(s, newStreamHub())
	return h.(*streamHub)
}

// serveStream answers the gateway and the WebSocket endpoint; it reports
// whether r was one of them.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request) bool {
	switch r.URL.Path {
	case StreamOpenPath:
		s.openStream(w, r)
	case StreamConnectPath:
		s.stream().accept(w, r, s.clock())
	default:
		return false
	}
	return true
}

// openStream checks the app's credentials and subscriptions as DingTalk's
// gateway does and issues a one-time ticket.
func (s *Server) openStream(w http.ResponseWriter, r *http.Request) {
	var in dingtalk.OpenConnectionRequest
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil {
		newErr(w, http.StatusBadRequest, "MissingParameter", "缺少参数")
		return
	}
	if msg := checkSubscriptions(in.Subscriptions); in.ClientID == "" || in.ClientSecret == "" || msg != "" {
		newErr(w, http.StatusBadRequest, "MissingParameter", "缺少参数 clientId, clientSecret or subscriptions"+msg)
		return
	}
	if in.ClientID != AppKey || in.ClientSecret != AppSecret {
		newErr(w, http.StatusBadRequest, "invalidClientIdOrSecret", "无效的clientId或者clientSecret")
		return
	}
	ticket, _ := sign.Nonce(sign.Alnum, 32)
	s.stream().issue(ticket, s.clock().Add(StreamTicketTTL))
	endpoint := "ws" + strings.TrimPrefix(s.URL, "http") + StreamConnectPath
	writeJSON(w, http.StatusOK, map[string]string{"endpoint": endpoint, "ticket": ticket})
}

func checkSubscriptions(subs []dingtalk.OpenConnectionRequestSubscriptions) string {
	if len(subs) == 0 {
		return ": no subscriptions"
	}
	for _, sub := range subs {
		switch {
		case sub.Type == "EVENT" && sub.Topic != "*":
			return ": EVENT topic must be *"
		case sub.Type != "EVENT" && sub.Type != "SYSTEM" && sub.Type != "CALLBACK", sub.Topic == "":
			return fmt.Sprintf(": bad subscription {type %q, topic %q}", sub.Type, sub.Topic)
		}
	}
	return ""
}

// StreamInstanceEvent builds the bpms_instance_change Stream event for a
// stored instance (typ "start", "finish" or "terminate"). Over Stream the
// type and corp travel in the frame headers, not in data.
func (s *Server) StreamInstanceEvent(id, typ string) (StreamEvent, error) {
	data, err := s.InstanceEvent(id, typ)
	if err != nil {
		return StreamEvent{}, err
	}
	delete(data, "EventType")
	delete(data, "corpId")
	return StreamEvent{EventType: dingtalk.EventInstanceChange, Data: data}, nil
}

// PushStreamEvent pushes ev to the connected client (waiting for one to
// connect) and returns its ACK. An event not acknowledged with SUCCESS is
// pushed again on the client's next connection, as DingTalk does; when the
// connection is lost before the ACK, PushStreamEvent returns the ACK of
// that re-push.
func (s *Server) PushStreamEvent(ctx context.Context, ev StreamEvent) (StreamAck, error) {
	f, err := eventFrame(ev)
	if err != nil {
		return StreamAck{}, err
	}
	return s.stream().push(ctx, f, true)
}

// RepushStreamEvents pushes every event not yet acknowledged with SUCCESS
// again on the live connection, as DingTalk does some time after a LATER;
// it returns how many it pushed (0 without a live connection). Wait for
// their ACKs with [Server.WaitStreamAck].
func (s *Server) RepushStreamEvents(ctx context.Context) (int, error) {
	return s.stream().repush(ctx)
}

// PingStream sends a SYSTEM ping and returns the ACK, which must echo the
// ping's opaque data.
func (s *Server) PingStream(ctx context.Context) (StreamAck, error) {
	opaque, _ := sign.Nonce(sign.Alnum, 16)
	data := `{"opaque":"` + opaque + `"}`
	ack, err := s.stream().push(ctx, systemFrame("ping", data), false)
	if err == nil && ack.Data != data {
		err = fmt.Errorf("dingtalktest: ping answered with data %q, want %q", ack.Data, data)
	}
	return ack, err
}

// DisconnectStream sends a SYSTEM disconnect on the live connection and
// returns its ACK. Like DingTalk, the fake leaves the socket open: the
// client is expected to reconnect with a new ticket and close it.
func (s *Server) DisconnectStream(ctx context.Context, reason string) (StreamAck, error) {
	data, _ := json.Marshal(map[string]string{"reason": reason})
	return s.stream().push(ctx, systemFrame("disconnect", string(data)), false)
}

// DropStream closes the live connection abruptly (no close frame); it
// reports whether there was one.
func (s *Server) DropStream() bool { return s.stream().drop() }

// WaitStreamConnections waits until n WebSocket connections have been
// accepted since the fake started.
func (s *Server) WaitStreamConnections(ctx context.Context, n int) error {
	h := s.stream()
	return h.wait(ctx, func() bool { return h.accepted >= n })
}

// WaitStreamAck waits for an ACK of eventID with status (SUCCESS or LATER)
// and returns it, e.g. for an event the fake pushed again by itself.
func (s *Server) WaitStreamAck(ctx context.Context, eventID, status string) (StreamAck, error) {
	h := s.stream()
	var found StreamAck
	err := h.wait(ctx, func() bool {
		for _, a := range h.acks {
			if a.EventID == eventID && a.Status == status {
				found = a.StreamAck
				return true
			}
		}
		return false
	})
	return found, err
}

// StreamAcks returns every ACK received, in order.
func (s *Server) StreamAcks() []StreamAck {
	h := s.stream()
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]StreamAck, len(h.acks))
	for i, a := range h.acks {
		out[i] = a.StreamAck
	}
	return out
}

// StreamStats counts gateway tickets issued, WebSocket connections
// accepted and connections refused for a bad, used or expired ticket.
func (s *Server) StreamStats() (tickets, accepted, refused int) {
	h := s.stream()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.issued, h.accepted, h.refused
}
