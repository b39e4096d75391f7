package dingtalk

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/hetong-go/hetong/internal/callback"
)

// handle decodes an EVENT frame and runs the user's handler on it; it
// returns the ACK status. ctx has Run's values but not its cancellation,
// so a handler in flight at shutdown finishes.
func (s *StreamClient) handle(ctx context.Context, f *streamFrame) string {
	ctx, cancel := context.WithTimeout(ctx, s.opts.handlerTimeout)
	defer cancel()
	ev, err := streamEvent(f)
	if err != nil {
		s.log.LogAttrs(ctx, slog.LevelError, "dingtalk: stream: undecodable event; asking DingTalk to push it again",
			slog.String("eventType", f.Headers.EventType), slog.String("eventId", f.Headers.EventID), slog.String("error", err.Error()))
		return StreamAckLater
	}
	return s.deliver(ctx, ev)
}

// deliver runs the handler through the same callback.Handler the HTTP
// callback endpoint uses, so dedup and panic recovery have one
// implementation: reserve the event id (handled before → SUCCESS without
// running the handler; in flight elsewhere → LATER), recover a panic,
// commit on success, release on failure. The handler's HTTP status maps
// to the ACK: 200 is SUCCESS, anything else LATER.
func (s *StreamClient) deliver(ctx context.Context, ev *Event) string {
	h := callback.Handler[*Event]{
		Parse:      func(*http.Request) (*Event, error) { return ev, nil },
		Key:        func(*Event) string { return s.dedupKey(ev.ID) },
		Dedup:      s.dedup,
		Handle:     s.handler,
		Ack:        func(*Event) (callback.Ack, error) { return callback.Ack{}, nil },
		Log:        s.log,
		PendingTTL: s.opts.handlerTimeout,
		OnError: func(r *http.Request, err error) {
			s.log.LogAttrs(r.Context(), slog.LevelWarn, "dingtalk: stream: event not handled; DingTalk will push it again",
				slog.String("eventType", ev.Type), slog.String("eventId", ev.ID), slog.String("error", err.Error()))
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/", http.NoBody)
	if err != nil {
		return StreamAckLater
	}
	var w statusWriter
	h.ServeHTTP(&w, req)
	if w.status == http.StatusOK {
		return StreamAckSuccess
	}
	return StreamAckLater
}

// dedupKey is "dingtalk:<AppKey>:<event ID>", the key the HTTP callback
// handler uses for an internal app (its owner key is the AppKey), so an
// event is handled once whichever way it arrives.
func (s *StreamClient) dedupKey(id string) string {
	return "dingtalk:" + s.c.appKey + ":" + id
}

// statusWriter is the http.ResponseWriter deliver hands to
// callback.Handler: it keeps the status and drops the body.
type statusWriter struct {
	status int
	header http.Header
}

func (w *statusWriter) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}
