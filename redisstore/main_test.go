package redisstore_test

import (
	"context"
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
	os.Exit(m.Run())
}
