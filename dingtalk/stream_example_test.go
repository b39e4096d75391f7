package dingtalk_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// Approval events over Stream mode: no public URL, no callback crypto. The
// handler is the one an HTTP callback endpoint takes; an error asks
// DingTalk to push the event again.
func ExampleNewStreamClient() {
	srv := dingtalktest.NewServer() // an in-process fake
	defer srv.Close()
	c := srv.Client() // for DingTalk itself: dingtalk.NewClient(dingtalk.Config{AppKey: …, AppSecret: …})
	failOnce := true
	handle := func(ctx context.Context, ev *dingtalk.Event) error {
		if ev.InstanceChange == nil {
			return nil // other events pass through raw in ev.Raw
		}
		if failOnce {
			failOnce = false
			return errors.New("ERP unreachable") // ACK LATER: DingTalk pushes it again
		}
		fmt.Println("handled", ev.InstanceChange.Type, ev.InstanceChange.Result, ev.InstanceChange.Title)
		return nil
	}
	sc, err := dingtalk.NewStreamClient(c, handle, dingtalk.WithStreamMaxHandlers(1))
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- sc.Run(ctx) }()

	id := srv.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-BX-0001", Title: "张三的报销", Status: "COMPLETED", Result: "agree"})
	ev, err := srv.StreamInstanceEvent(id, "finish")
	if err != nil {
		log.Fatal(err)
	}
	for range 3 { // the platform may push an event more than once
		ack, err := srv.PushStreamEvent(ctx, ev)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("ACK", ack.Status)
		ev.EventID = ack.EventID
	}
	stop()
	fmt.Println("Run:", <-done)
	// Output:
	// ACK LATER
	// handled finish agree 张三的报销
	// ACK SUCCESS
	// ACK SUCCESS
	// Run: <nil>
}
