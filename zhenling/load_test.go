package zhenling_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/testkit"
	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

// TestLoad drives 10,000 contract-list calls from 64 goroutines through one
// client: no call fails, the token is fetched once for its whole lifetime,
// and no goroutine is left behind.
func TestLoad(t *testing.T) {
	fake := zhenlingtest.NewServer()
	defer fake.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c, err := zhenling.NewClient(zhenling.Config{BaseURL: fake.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret},
		zhenling.WithOperations(zhenlingtest.Operations()...), zhenling.WithHTTPClient(&http.Client{Transport: tr}), zhenling.WithRateLimit(0, 0))
	require.NoError(t, err)
	ctx := context.Background()
	res := testkit.Run(t, 10000, 64, func(int) error {
		_, err := c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Page: 0, Size: 10}})
		return err
	}, tr.CloseIdleConnections)
	assert.Zero(t, res.Errors)
	assert.Equal(t, 1, fake.TokenFetches(), "one token fetch for the token's lifetime")
}
