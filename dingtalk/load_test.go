package dingtalk_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/internal/testkit"
)

// TestLoad drives 10,000 processinstance/get calls from 64 goroutines
// through one client: no call fails, the access token is fetched once for
// its whole lifetime, and no goroutine is left behind.
func TestLoad(t *testing.T) {
	fake := dingtalktest.NewServer()
	defer fake.Close()
	ids := fake.SeedReimbursements("PROC-LOAD", 20, time.Now().Add(-24*time.Hour))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithBaseURL(fake.URL), dingtalk.WithNewAPIBaseURL(fake.URL),
		dingtalk.WithHTTPClient(&http.Client{Transport: tr}), dingtalk.WithRateLimit(0, 0))
	require.NoError(t, err)
	ctx := context.Background()
	res := testkit.Run(t, 10000, 64, func(i int) error {
		_, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: ids[i%len(ids)]})
		return err
	}, tr.CloseIdleConnections)
	assert.Zero(t, res.Errors)
	assert.Equal(t, 1, fake.TokenFetches(), "one token fetch for the token's lifetime")
}
