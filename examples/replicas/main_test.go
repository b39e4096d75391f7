package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func needRedis(t *testing.T) {
	t.Helper()
	if os.Getenv("REDIS_URL") != "" {
		return
	}
	if _, err := exec.LookPath("redis-server"); err == nil {
		return
	}
	const why = "needs REDIS_URL or redis-server on PATH (scripts/redis-test.sh provides both)"
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}

func TestDemo(t *testing.T) {
	needRedis(t)
	ctx := context.Background()
	var out bytes.Buffer
	f, err := parseFlags([]string{"-replicas", "3", "-calls", "300", "-duration", "2s", "-rate", "20", "-burst", "5", "-events", "3",
		"-prefix", "hetong-example-test-" + strings.ReplaceAll(t.Name(), "/", "-")}, &out)
	if err != nil {
		t.Fatal(err)
	}
	rdb, stop, err := connectRedis(ctx, func(string, ...any) {})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	defer deleteKeys(rdb, f.prefix)
	rep, err := demo(ctx, f, rdb, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	if rep.tokenFetches != 1 {
		t.Errorf("token fetches = %d, want 1", rep.tokenFetches)
	}
	if rep.rateCalls > rep.rateBudget || rep.rateCalls == 0 {
		t.Errorf("rate phase sent %d, want 1..%d", rep.rateCalls, rep.rateBudget)
	}
	if rep.handled != int64(rep.events) {
		t.Errorf("handled %d events (%v per replica), want %d", rep.handled, rep.replicaHandled, rep.events)
	}
}

func TestHelpListsVariables(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &out, &out); err != nil {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{"REDIS_URL", "-replicas", "-rate", "-events"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-h does not mention %s:\n%s", want, out.String())
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-replicas", "0"}, {"-rate", "0"}, {"-burst", "0"}, {"-duration", "0s"}, {"-events", "-1"}, {"-calls", "0"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, &out, &out); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: err = %v; want one naming %s", args, err, args[0])
		}
	}
}
