// Command replicas runs several replicas of one DingTalk client against
// the offline fake, sharing their state through Redis with
// github.com/hetong-go/hetong/redisstore, and prints per replica what they
// did:
//
//   - tokens: many concurrent first calls on every replica, one token fetch
//     in total;
//   - rate: every replica calls as fast as it may for a while; together
//     they stay within one shared budget;
//   - events: each approval event is pushed to every replica at once and
//     pushed again later; it is handled once in total.
//
// It needs a Redis: REDIS_URL (redis://[:password@]host:port/db) when set,
// otherwise a redis-server of its own started from PATH on a free
// 127.0.0.1 port without persistence, and stopped at exit. Nothing else
// leaves the machine.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "replicas:", err)
		os.Exit(1)
	}
}

type flags struct {
	replicas int
	calls    int
	rate     float64
	burst    int
	duration time.Duration
	events   int
	prefix   string
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{}
	fs := flag.NewFlagSet("replicas", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&f.replicas, "replicas", 4, "number of replicas (separate clients, Redis pools and caches)")
	fs.IntVar(&f.calls, "calls", 1000, "concurrent first calls, spread over the replicas")
	fs.Float64Var(&f.rate, "rate", 20, "shared budget in requests per second")
	fs.IntVar(&f.burst, "burst", 5, "shared burst")
	fs.DurationVar(&f.duration, "duration", 3*time.Second, "how long the replicas call as fast as the budget allows")
	fs.IntVar(&f.events, "events", 5, "approval events, each pushed to every replica at once and once more later")
	fs.StringVar(&f.prefix, "prefix", "", "Redis key prefix (default: a fresh one per run, its keys deleted at exit)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: replicas [flags]\n\nRuns replicas of one DingTalk client against the offline fake, sharing tokens,")
		fmt.Fprintln(stderr, "the rate budget and callback dedup through Redis, and prints what each replica did.\n\nenvironment:")
		fmt.Fprintln(stderr, "  REDIS_URL   Redis to use, redis://[:password@]host:port/db (default: start redis-server")
		fmt.Fprintln(stderr, "              from PATH on a free 127.0.0.1 port, without persistence, stopped at exit)\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case f.replicas < 1:
		return nil, fmt.Errorf("-replicas must be at least 1, got %d", f.replicas)
	case f.calls < 1:
		return nil, fmt.Errorf("-calls must be at least 1, got %d", f.calls)
	case f.rate <= 0:
		return nil, fmt.Errorf("-rate must be positive, got %v", f.rate)
	case f.burst < 1:
		return nil, fmt.Errorf("-burst must be at least 1, got %d", f.burst)
	case f.duration <= 0:
		return nil, fmt.Errorf("-duration must be positive, got %v", f.duration)
	case f.events < 0:
		return nil, fmt.Errorf("-events must not be negative, got %d", f.events)
	}
	return f, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stdout, format+"\n", a...) }
	rdb, stop, err := connectRedis(ctx, logf)
	if err != nil {
		return err
	}
	defer stop()
	if f.prefix == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		f.prefix = "hetong-example-" + hex.EncodeToString(b[:])
		defer deleteKeys(rdb, f.prefix)
	}
	_, err = demo(ctx, f, rdb, stdout)
	return err
}
