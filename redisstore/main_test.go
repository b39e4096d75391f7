package redisstore_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	// go-redis logs every failed dial; TestRedisRestart makes hundreds on
	// purpose. The failures themselves are asserted through the errors.
	redis.SetLogger(quietLogger{})
	if os.Getenv(replicaEnv) != "" {
		// This process is a replica started by TestTokensReplicaProcesses.
		if err := runReplicaProcess(); err != nil {
			fmt.Fprintln(os.Stderr, "replica:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
