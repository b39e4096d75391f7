package dingtalktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// openStream calls the fake's gateway with body and decodes the answer.
func openStream(t *testing.T, srv *dingtalktest.Server, body any) (int, map[string]string) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(srv.URL+dingtalktest.StreamOpenPath, "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func goodOpen() map[string]any {
	return map[string]any{"clientId": dingtalktest.AppKey, "clientSecret": dingtalktest.AppSecret,
		"subscriptions": []map[string]string{{"type": "EVENT", "topic": "*"}}}
}

func TestStreamGatewayChecksCredentialsAndSubscriptions(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	for name, mutate := range map[string]func(map[string]any){
		"wrong secret":      func(b map[string]any) { b["clientSecret"] = "nope" },
		"no client id":      func(b map[string]any) { delete(b, "clientId") },
		"no subscriptions":  func(b map[string]any) { delete(b, "subscriptions") },
		"EVENT topic not *": func(b map[string]any) { b["subscriptions"] = []map[string]string{{"type": "EVENT", "topic": "x"}} },
		"unknown type":      func(b map[string]any) { b["subscriptions"] = []map[string]string{{"type": "FOO", "topic": "*"}} },
	} {
		body := goodOpen()
		mutate(body)
		status, out := openStream(t, srv, body)
		assert.Equal(t, http.StatusBadRequest, status, name)
		assert.NotEmpty(t, out["code"], name)
	}
	status, out := openStream(t, srv, goodOpen())
	assert.Equal(t, http.StatusOK, status)
	assert.Regexp(t, `^ws://127\.0\.0\.1:\d+/connect$`, out["endpoint"])
	assert.NotEmpty(t, out["ticket"])
	tickets, _, _ := srv.StreamStats()
	assert.Equal(t, 1, tickets)
}

func TestStreamTicketsAreOneTimeAndExpire(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dial := func(ticket string) (int, error) {
		_, out := openStream(t, srv, goodOpen())
		if ticket == "" {
			ticket = out["ticket"]
		}
		conn, resp, err := websocket.Dial(ctx, out["endpoint"]+"?ticket="+ticket, nil)
		if conn != nil {
			defer conn.CloseNow()
		}
		if resp == nil {
			return 0, err
		}
		return resp.StatusCode, err
	}
	status, err := dial("")
	require.NoError(t, err)
	assert.Equal(t, http.StatusSwitchingProtocols, status)

	_, first := openStream(t, srv, goodOpen())
	status, _ = dial(first["ticket"]) // first use
	assert.Equal(t, http.StatusSwitchingProtocols, status)
	status, _ = dial(first["ticket"]) // second use
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = dial("made-up-ticket")
	assert.Equal(t, http.StatusUnauthorized, status)

	_, stale := openStream(t, srv, goodOpen())
	srv.SetClock(func() time.Time { return time.Now().Add(dingtalktest.StreamTicketTTL + time.Second) })
	status, _ = dial(stale["ticket"])
	assert.Equal(t, http.StatusUnauthorized, status)
	_, accepted, refused := srv.StreamStats()
	assert.Equal(t, []int{2, 3}, []int{accepted, refused})
}

func TestStreamPushNeedsAnEventType(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	_, err := srv.PushStreamEvent(context.Background(), dingtalktest.StreamEvent{Data: "{}"})
	assert.ErrorContains(t, err, "StreamEvent.EventType: required")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = srv.PingStream(ctx) // nobody connected
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, srv.DropStream())
}
