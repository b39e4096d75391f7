package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// connectRedis returns a client on REDIS_URL, or on a redis-server of its
// own (127.0.0.1, a free port, no persistence) when REDIS_URL is unset and
// redis-server is on PATH. stop closes the client and ends that server.
func connectRedis(ctx context.Context, logf func(string, ...any)) (rdb *redis.Client, stop func(), err error) {
	url := os.Getenv("REDIS_URL")
	stopServer := func() {}
	if url == "" {
		addr, stopFn, err := startRedisServer(ctx)
		if err != nil {
			return nil, nil, err
		}
		stopServer = stopFn
		url = "redis://" + addr + "/0"
		logf("started redis-server on %s (no persistence; stopped at exit)", addr)
	} else {
		logf("using REDIS_URL")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		stopServer()
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb = redis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		stopServer()
		return nil, nil, fmt.Errorf("redis does not answer: %w", err)
	}
	return rdb, func() { rdb.Close(); stopServer() }, nil
}

func startRedisServer(ctx context.Context) (addr string, stop func(), err error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", nil, errors.New("needs REDIS_URL or redis-server on PATH (e.g. apt-get install redis-server)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("", "replicas-redis")
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", dir, "--logfile", dir+"/redis.log")
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		os.RemoveAll(dir)
	}
	addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return addr, stop, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			stop()
			return "", nil, fmt.Errorf("redis-server did not start on %s: %w", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
