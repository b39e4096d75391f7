package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
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

// runStream receives approval events over Stream mode: offline, the fake
// pushes events for a few sample claims (one handler run fails, to show
// DingTalk's re-push); with -live it connects to DingTalk and prints
// events until interrupted.
func runStream(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dingtalk -stream", flag.ContinueOnError)
	fs.SetOutput(stderr)
	live := fs.Bool("live", false, "connect to DingTalk with DINGTALK_APP_KEY and DINGTALK_APP_SECRET and print events until interrupted")
	events := fs.Int("events", 2, "offline only: number of approval events the fake pushes")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dingtalk -stream [flags]\n\nReceives approval events over DingTalk's Stream mode (a WebSocket the")
		fmt.Fprintln(stderr, "app opens; no public URL). Offline against a fake by default.\n\nflags:")
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

// streamHandler re-reads the instance of each approval event (events are
// triggers: they repeat and arrive out of order) and prints it. failFirst
// makes its first run fail, so the event is acknowledged LATER.
func streamHandler(c *dingtalk.Client, w io.Writer, failFirst bool) func(context.Context, *dingtalk.Event) error {
	var runs atomic.Int32
	return func(ctx context.Context, ev *dingtalk.Event) error {
		ic := ev.InstanceChange
		if ic == nil {
			fmt.Fprintf(w, "event %s (not an instance change), ignored\n", ev.Type)
			return nil
		}
		if runs.Add(1) == 1 && failFirst {
			fmt.Fprintf(w, "event %s %s: ERP unreachable, asking DingTalk to push it again\n", ev.Type, ic.Type)
			return errors.New("ERP unreachable")
		}
		res, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: ic.ProcessInstanceID})
		if err != nil {
			return err // ACK LATER: DingTalk pushes again
		}
		fmt.Fprintf(w, "event %s %s → instance %s is %s/%s\n", ev.Type, ic.Type, res.Instance.Title,
			res.Instance.Status, res.Instance.Result)
		return nil
	}
}

func streamOffline(ctx context.Context, n int, out io.Writer) error {
	w := &lockedWriter{w: out} // the handler prints from its own goroutine
	fake := dingtalktest.New()
	defer fake.Close()
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithBaseURL(fake.URL), dingtalk.WithNewAPIBaseURL(fake.URL))
	if err != nil {
		return err
	}
	sc, err := dingtalk.NewStreamClient(c, streamHandler(c, w, true), dingtalk.WithStreamMaxHandlers(1))
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- sc.Run(runCtx) }()
	err = pushClaims(ctx, fake, n, w)
	stop()
	if rerr := <-done; err == nil {
		err = rerr
	}
	return err
}

// pushClaims has the fake push a finish event for n sample claims; an
// event acknowledged LATER is pushed again after the fake drops the
// connection, as DingTalk re-pushes unconsumed events.
func pushClaims(ctx context.Context, fake *dingtalktest.Server, n int, w io.Writer) error {
	ids := fake.SeedReimbursements("PROC-BX-0001", n, time.Date(2026, 11, 16, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	for _, id := range ids {
		ev, err := fake.StreamInstanceEvent(id, "finish")
		if err != nil {
			return err
		}
		ack, err := fake.PushStreamEvent(ctx, ev)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "ACK %s\n", ack.Status)
		if ack.Status == dingtalk.StreamAckSuccess {
			continue
		}
		fake.DropStream() // the client reconnects with a fresh ticket; the fake pushes the event again
		if ack, err = fake.WaitStreamAck(ctx, ack.EventID, dingtalk.StreamAckSuccess); err != nil {
			return err
		}
		fmt.Fprintf(w, "ACK %s after reconnecting\n", ack.Status)
	}
	return nil
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
	sc, err := dingtalk.NewStreamClient(c, streamHandler(c, w, false))
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "receiving DingTalk events over Stream mode (interrupt to stop)")
	return sc.Run(ctx)
}

// lockedWriter serialises writes from the handler and the main goroutine.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
