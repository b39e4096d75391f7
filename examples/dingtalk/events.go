package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// approvalEvents treats approval events as triggers: it re-reads the
// instance (events repeat and arrive out of order) and reports it on out.
// It is a dingtalk.EventHandler, the type both ways of receiving events
// take: the HTTP callback server below, and Stream mode (hook: a -stream
// flag hands this same function to the package's stream client).
func approvalEvents(c *dingtalk.Client, out chan<- string) dingtalk.EventHandler {
	return func(ctx context.Context, ev *dingtalk.Event) error {
		say := func(line string) {
			select {
			case out <- line:
			case <-ctx.Done(): // the server is shutting down
			}
		}
		ic := ev.InstanceChange
		if ic == nil {
			say(fmt.Sprintf("event %s (not an instance change), ignored", ev.Type))
			return nil
		}
		res, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: ic.ProcessInstanceID})
		if err != nil {
			return err // answered with 500: DingTalk pushes again
		}
		say(fmt.Sprintf("event %s %s for %s → instance %s is %s/%s", ev.Type, ic.Type, ic.BusinessID,
			res.Instance.Title, res.Instance.Status, res.Instance.Result))
		return nil
	}
}

// eventHandler serves approvalEvents at EventPath over HTTP (事件订阅 →
// HTTP 推送).
func eventHandler(cfg dingtalk.CallbackConfig, c *dingtalk.Client, out chan<- string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+EventPath, c.NewCallbackHandler(cfg, approvalEvents(c, out)))
	return mux
}

// listen starts an HTTP server for h on addr; stop shuts it down.
func listen(addr string, h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + EventPath, func() { _ = srv.Close() }, nil
}

// serveEvents prints DingTalk's pushes until ctx ends.
func serveEvents(ctx context.Context, addr string, cfg dingtalk.CallbackConfig, c *dingtalk.Client, w io.Writer) error {
	out := make(chan string, 16)
	url, stop, err := listen(addr, eventHandler(cfg, c, out))
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(w, "listening for DingTalk events on %s (interrupt to stop)\n", url)
	for {
		select {
		case line := <-out:
			fmt.Fprintln(w, line)
		case <-ctx.Done():
			return nil
		}
	}
}

// runOffline seeds the fake, prints the report, then has the fake push a
// check_url and a bpms_instance_change event to a local callback server.
func runOffline(ctx context.Context, f *flags, w io.Writer) error {
	fake := dingtalktest.NewServer()
	defer fake.Close()
	const code = "PROC-BX-0001"
	from, to := f.window()
	ids := fake.SeedReimbursements(code, f.seed, from.Add(9*time.Hour))
	c := fake.Client()
	if err := report(ctx, c, code, from, to, w); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	out := make(chan string, 4)
	url, stop, err := listen("127.0.0.1:0", eventHandler(dingtalktest.CallbackConfig(), c, out))
	if err != nil {
		return err
	}
	defer stop()
	if err := fake.CheckURL(ctx, url); err != nil {
		return fmt.Errorf("check_url: %w", err)
	}
	fmt.Fprintln(w, "callback URL verified (check_url answered with an encrypted success)")
	ev, err := fake.InstanceEvent(ids[len(ids)-1], "finish")
	if err != nil {
		return err
	}
	if err := fake.PostEvent(ctx, url, ev); err != nil {
		return err
	}
	select {
	case line := <-out:
		fmt.Fprintln(w, line)
	case <-ctx.Done():
		return errors.New("no event arrived")
	}
	return nil
}
