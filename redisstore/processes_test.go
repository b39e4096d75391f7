package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/redisstore"
	"github.com/redis/go-redis/v9"
)

// Environment of a replica process (the test binary started again).
const (
	replicaEnv       = "HETONG_REDISSTORE_REPLICA" // its number
	replicaFakeEnv   = "HETONG_REDISSTORE_FAKE_URL"
	replicaPrefixEnv = "HETONG_REDISSTORE_PREFIX"
	replicaCallsEnv  = "HETONG_REDISSTORE_CALLS"
	replicaIDEnv     = "HETONG_REDISSTORE_INSTANCE"
)

// TestTokensReplicaProcesses: 8 separate OS processes, each one dingtalk
// client on the shared Redis, make 1000 concurrent first calls between
// them (released together through a Redis barrier): one token fetch.
func TestTokensReplicaProcesses(t *testing.T) {
	const processes, calls = 8, 1000
	rdb := newClient(t)
	prefix := testPrefix(t, rdb)
	fake := dingtalktest.NewServer()
	defer fake.Close()
	id := fake.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-REDIS", Title: "processes"})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type proc struct {
		cmd *exec.Cmd
		out bytes.Buffer
	}
	procs := make([]*proc, processes)
	for i := range procs {
		p := &proc{cmd: exec.CommandContext(ctx, os.Args[0], "-test.run=^$")}
		p.cmd.Env = append(os.Environ(),
			replicaEnv+"="+strconv.Itoa(i), replicaFakeEnv+"="+fake.URL, replicaPrefixEnv+"="+prefix,
			replicaCallsEnv+"="+strconv.Itoa(calls/processes), replicaIDEnv+"="+id)
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs[i] = p
	}
	// Release them together once all are ready.
	for rdb.Get(ctx, prefix+":test:ready").Val() != strconv.Itoa(processes) {
		if ctx.Err() != nil {
			t.Fatal("replica processes did not get ready")
		}
		time.Sleep(5 * time.Millisecond)
	}
	rdb.Set(ctx, prefix+":test:go", "1", time.Minute)
	for i, p := range procs {
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("replica process %d: %v\n%s", i, err, p.out.String())
		}
	}
	t.Logf("%d OS processes, %d concurrent first calls: %d token fetch(es) at the fake, %d calls served",
		processes, calls, fake.TokenFetches(), fake.Calls("/topapi/processinstance/get"))
	if got := fake.Calls("/topapi/processinstance/get"); got != calls {
		t.Fatalf("calls served = %d, want %d", got, calls)
	}
	if got := fake.TokenFetches(); got != 1 {
		t.Fatalf("token fetches = %d, want exactly 1", got)
	}
}

// runReplicaProcess is the body of one replica process.
func runReplicaProcess() error {
	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
	if err != nil {
		return err
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	prefix := os.Getenv(replicaPrefixEnv)
	calls, err := strconv.Atoi(os.Getenv(replicaCallsEnv))
	if err != nil {
		return err
	}
	ts, err := redisstore.NewTokenStore(rdb, redisstore.WithPrefix(prefix))
	if err != nil {
		return err
	}
	url := os.Getenv(replicaFakeEnv)
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithBaseURL(url), dingtalk.WithNewAPIBaseURL(url), dingtalk.WithTokenStore(ts), dingtalk.WithRateLimit(1e6, 1e6))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rdb.Incr(ctx, prefix+":test:ready").Err(); err != nil {
		return err
	}
	for rdb.Exists(ctx, prefix+":test:go").Val() == 0 {
		if ctx.Err() != nil {
			return errors.New("never released")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := callAll(ctx, []*dingtalk.Client{c}, calls, os.Getenv(replicaIDEnv)); err != nil {
		return fmt.Errorf("replica %s: %w", os.Getenv(replicaEnv), err)
	}
	return nil
}
