package dingtalk_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// BenchmarkStreamEventRoundTrip pushes approval events through the fake's
// WebSocket and waits for each ACK: decode, dedup reserve/commit, handler,
// ACK, one event at a time.
func BenchmarkStreamEventRoundTrip(b *testing.B) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	sc, err := dingtalk.NewStreamClient(srv.Client(), func(context.Context, *dingtalk.Event) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sc.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	data := `{"processInstanceId":"pi-1","processCode":"PROC-BX-0001","type":"finish","result":"agree","createTime":1763254800000}`
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		ack, err := srv.PushStreamEvent(ctx, dingtalktest.StreamEvent{EventID: "ev-" + strconv.Itoa(i),
			EventType: dingtalk.EventInstanceChange, Data: data})
		if err != nil || ack.Status != dingtalk.StreamAckSuccess {
			b.Fatal(ack, err)
		}
	}
}
