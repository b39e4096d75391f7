package zeyi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/testkit"
	"github.com/hetong-go/hetong/zeyi"
	"github.com/hetong-go/hetong/zeyi/zeyitest"
)

// TestLoad starts 10,000 approvals from 64 goroutines through one client:
// each is signed over its exact body with a fresh nonce the fake accepts,
// each write reaches the gateway exactly once, and no goroutine is left
// behind.
func TestLoad(t *testing.T) {
	fake := zeyitest.NewServer()
	defer fake.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c, err := zeyi.NewClient(fake.Config(), append(fake.Options(), zeyi.WithHTTPClient(&http.Client{Transport: tr}), zeyi.WithRateLimit(0, 0))...)
	require.NoError(t, err)
	ctx := context.Background()
	res := testkit.Run(t, 10000, 64, func(i int) error {
		_, err := c.SendAudit(ctx, &zeyi.SendAuditRequest{Code: fmt.Sprintf("LOAD-%05d", i), AuditType: "contract",
			OriginatorUsername: "10001", AuditFormList: []zeyi.FormItem{zeyi.TextItem("金额", "100.00")}})
		return err
	}, tr.CloseIdleConnections)
	assert.Zero(t, res.Errors)
	assert.Len(t, fake.Approvals(), 10000, "every approval started exactly once")
}
