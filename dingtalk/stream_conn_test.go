package dingtalk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// gateway is a bare Stream gateway for connection-level tests: it hands
// out numbered tickets for endpoint, and reports each open on opened.
type gateway struct {
	*httptest.Server
	endpoint string // "" means this server's /connect
	opened   chan string
	hold     chan struct{} // /connect accepts and then never reads until closed
}

func newGateway(t *testing.T, endpoint string) *gateway {
	g := &gateway{endpoint: endpoint, opened: make(chan string, 100), hold: make(chan struct{})}
	var n int
	var mu sync.Mutex
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/connect" {
			ws, err := websocket.Accept(w, r, nil)
			if err == nil {
				<-g.hold // never reads, so pings go unanswered
				_ = ws.CloseNow()
			}
			return
		}
		mu.Lock()
		n++
		ticket := fmt.Sprintf("ticket-%d-Vq8sLw2", n)
		mu.Unlock()
		ep := g.endpoint
		if ep == "" {
			ep = "ws" + strings.TrimPrefix(g.URL, "http") + "/connect"
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"endpoint": ep, "ticket": ticket})
		g.opened <- ticket
	}))
	t.Cleanup(func() {
		close(g.hold)
		g.Close()
	})
	return g
}

func TestStreamKeepaliveReconnectsADeadConnection(t *testing.T) {
	g := newGateway(t, "")
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithNewAPIBaseURL(g.URL))
	require.NoError(t, err)
	f := runStream(t, nil, c, func(context.Context, *dingtalk.Event) error { return nil },
		dingtalk.WithStreamKeepalive(20*time.Millisecond))
	ctx := testCtx(t)
	for want := 1; want <= 2; want++ {
		select {
		case <-g.opened:
		case <-ctx.Done():
			t.Fatalf("gateway opened %d times, want 2: the dead connection was not noticed", want-1)
		}
	}
	require.NoError(t, f.stop(t))
}

func TestStreamLogsNeverShowTicketOrSecret(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "ws://" + ln.Addr().String() + "/connect"
	require.NoError(t, ln.Close()) // dialling it fails, and the error quotes the URL with the ticket
	g := newGateway(t, closed)
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithNewAPIBaseURL(g.URL), dingtalk.WithLogger(logger))
	require.NoError(t, err)
	f := runStream(t, nil, c, func(context.Context, *dingtalk.Event) error { return nil })
	ctx := testCtx(t)
	var tickets []string
	for len(tickets) < 3 {
		select {
		case tk := <-g.opened:
			tickets = append(tickets, tk)
		case <-ctx.Done():
			t.Fatal("no reconnection attempts")
		}
	}
	require.NoError(t, f.stop(t))
	out := logs.String()
	assert.Contains(t, out, "reconnecting")
	assert.Contains(t, out, "***", "the dial error was logged, masked")
	assert.NotContains(t, out, dingtalktest.AppSecret)
	// The transport's debug line of the gateway's answer shows the ticket
	// until internal/redact treats "ticket" as a secret key (core change
	// requested); every other line must not.
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, `msg="hetong: response" op=OpenConnection`) {
			continue
		}
		for _, tk := range tickets[:2] { // the third may still be in flight
			assert.NotContains(t, line, tk)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
