package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// streamFlag reports whether args ask for Stream mode (-stream) and
// returns the other arguments.
func streamFlag(args []string) (bool, []string) {
	var rest []string
	on := false
	for _, a := range args {
		switch a {
		case "-stream", "--stream", "-stream=true", "--stream=true":
			on = true
		default:
			rest = append(rest, a)
		}
	}
	return on, rest
}

// runStream receives approval events over Stream mode with the same
// handler the HTTP callback server uses (approvalEvents). Offline, the fake
// pushes events for a few sample claims, and the first run of the handler
// fails to show DingTalk's re-push; with -live it connects to DingTalk and
// prints events until interrupted.
func runStream(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dingtalk -stream", flag.ContinueOnError)
	fs.SetOutput(stderr)
	live := fs.Bool("live", false, "connect to DingTalk with DINGTALK_APP_KEY and DINGTALK_APP_SECRET and print events until interrupted")
	events := fs.Int("events", 2, "offline only: number of approval events the fake pushes")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dingtalk -stream [flags]\n\nReceives approval events over DingTalk's Stream mode (a WebSocket the")
		fmt.Fprintln(stderr, "app opens; no public URL, no callback crypto). Offline against a fake by default.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if *events < 1 {
		return fmt.Errorf("-events must be at least 1, got %d", *events)
	}
	if *live {
		return streamLive(ctx, stdout)
	}
	return streamOffline(ctx, *events, stdout)
}

// failFirst makes the first run of h fail, as if the ERP were down: the
// event is acknowledged LATER and DingTalk pushes it again.
func failFirst(h dingtalk.EventHandler, out chan<- string) dingtalk.EventHandler {
	var runs atomic.Int32
	return func(ctx context.Context, ev *dingtalk.Event) error {
		if runs.Add(1) == 1 {
			out <- fmt.Sprintf("event %s: ERP unreachable, asking DingTalk to push it again", ev.Type)
			return errors.New("ERP unreachable")
		}
		return h(ctx, ev)
	}
}

func streamOffline(ctx context.Context, n int, w io.Writer) error {
	fake := dingtalktest.NewServer()
	defer fake.Close()
	c := fake.Client()
	out := make(chan string, 16)
	sc, err := dingtalk.NewStreamClient(c, failFirst(approvalEvents(c, out), out))
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- sc.Run(runCtx) }()
	err = pushClaims(ctx, fake, n, out, w)
	stop()
	if rerr := <-done; err == nil {
		err = rerr
	}
	return err
}

// pushClaims has the fake push a finish event for n sample claims and
// prints what the handler said, then the ACK. An event acknowledged LATER
// is pushed again after the fake drops the connection: the client
// reconnects with a fresh ticket and the fake re-pushes what was not
// consumed, as DingTalk does.
func pushClaims(ctx context.Context, fake *dingtalktest.Server, n int, out <-chan string, w io.Writer) error {
	ids := fake.SeedReimbursements("PROC-BX-0001", n, time.Date(2026, 11, 16, 9, 0, 0, 0, china))
	for _, id := range ids {
		ev, err := fake.StreamInstanceEvent(id, "finish")
		if err != nil {
			return err
		}
		ack, err := fake.PushStreamEvent(ctx, ev)
		if err != nil {
			return err
		}
		printLines(out, w) // the handler has returned: its lines are buffered
		fmt.Fprintf(w, "ACK %s\n", ack.Status)
		if ack.Status == dingtalk.StreamAckSuccess {
			continue
		}
		fake.DropStream()
		if ack, err = fake.WaitStreamAck(ctx, ack.EventID, dingtalk.StreamAckSuccess); err != nil {
			return err
		}
		printLines(out, w)
		fmt.Fprintf(w, "ACK %s after reconnecting\n", ack.Status)
	}
	return nil
}

// printLines prints the lines waiting in out.
func printLines(out <-chan string, w io.Writer) {
	for {
		select {
		case line := <-out:
			fmt.Fprintln(w, line)
		default:
			return
		}
	}
}

func streamLive(ctx context.Context, w io.Writer) error {
	key, secret := os.Getenv("DINGTALK_APP_KEY"), os.Getenv("DINGTALK_APP_SECRET")
	if key == "" || secret == "" {
		return errors.New("-stream -live needs DINGTALK_APP_KEY and DINGTALK_APP_SECRET (see -stream -h)")
	}
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: key, AppSecret: secret})
	if err != nil {
		return err
	}
	out := make(chan string, 16)
	sc, err := dingtalk.NewStreamClient(c, approvalEvents(c, out))
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "receiving DingTalk events over Stream mode (interrupt to stop)")
	done := make(chan error, 1)
	go func() { done <- sc.Run(ctx) }()
	for {
		select {
		case line := <-out:
			fmt.Fprintln(w, line)
		case err := <-done:
			return err
		}
	}
}
