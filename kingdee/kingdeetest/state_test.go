package kingdeetest_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/kingdee"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

func TestStateSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	first := kingdeetest.NewServer()
	c, err := kingdee.NewClient(kingdee.Config{BaseURL: first.URL, AcctID: kingdeetest.AcctID,
		Username: kingdeetest.Username, AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret})
	require.NoError(t, err)
	_, err = c.Save(ctx, &kingdee.SaveRequest{FormID: "CN_PAYAPPLY", Model: map[string]any{
		"FBILLTYPEID": map[string]any{"FNumber": "FKSQ01_SYS"}, "FDATE": "2024-03-01", "F_SRC": "inst-1"}})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, first.SaveState(&buf))
	first.Close()

	second := kingdeetest.NewServer()
	defer second.Close()
	require.NoError(t, second.LoadState(&buf))
	bills := second.Bills("CN_PAYAPPLY")
	require.Len(t, bills, 1)
	assert.Equal(t, "inst-1", bills[0].Field("F_SRC"))

	// New bills keep counting after the restored ones.
	c2, _ := kingdee.NewClient(kingdee.Config{BaseURL: second.URL, AcctID: kingdeetest.AcctID,
		Username: kingdeetest.Username, AppID: kingdeetest.AppID, AppSecret: kingdeetest.AppSecret})
	_, err = c2.Save(ctx, &kingdee.SaveRequest{FormID: "CN_PAYAPPLY", Model: map[string]any{
		"FBILLTYPEID": map[string]any{"FNumber": "FKSQ01_SYS"}, "FDATE": "2024-03-02"}})
	require.NoError(t, err)
	bills = second.Bills("CN_PAYAPPLY")
	require.Len(t, bills, 2)
	assert.NotEqual(t, bills[0].Number, bills[1].Number)
	assert.NotEqual(t, bills[0].ID, bills[1].ID)

	assert.Error(t, second.LoadState(bytes.NewReader([]byte("not json"))))
}
