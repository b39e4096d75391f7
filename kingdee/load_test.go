package kingdee_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/testkit"
	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

// TestLoad drives 10,000 bill queries from 64 goroutines through one client
// logged in by LoginByAppSecret: no call fails, the session is opened once
// for its whole lifetime, and no goroutine is left behind.
func TestLoad(t *testing.T) {
	fake := kingdeetest.NewServer()
	defer fake.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c, err := kingdee.NewClient(kingdee.Config{BaseURL: fake.URL, AcctID: kingdeetest.AcctID, Username: kingdeetest.Username,
		AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret, Auth: kingdee.AuthLoginByAppSecret},
		kingdee.WithHTTPClient(&http.Client{Transport: tr}), kingdee.WithRateLimit(0, 0))
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: kingdee.FormPayApply, Model: kingdee.PayApply{
		BillType: kingdee.Number("FKSQ01_SYS"), Date: "2024-05-01", Remark: "load"}})
	require.NoError(t, err)

	res := testkit.Run(t, 10000, 64, func(int) error {
		rows, err := c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: kingdee.FormPayApply,
			FieldKeys: []string{"FID", "FBillNo"}, FilterString: "FREMARK = 'load'"})
		if err == nil && len(rows) != 1 {
			t.Errorf("want 1 row, got %d", len(rows))
		}
		return err
	}, tr.CloseIdleConnections)
	assert.Zero(t, res.Errors)
	assert.Equal(t, 1, fake.Calls("LoginByAppSecret"), "one login for the session's lifetime")
}
