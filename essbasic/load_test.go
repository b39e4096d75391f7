package essbasic_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
	"github.com/hetong-go/hetong/internal/testkit"
)

// TestLoad drives 10,000 DescribeFlowDetailInfo calls from 64 goroutines
// through one client: every call is TC3-signed and verified by the fake, no
// call fails, and no goroutine is left behind.
func TestLoad(t *testing.T) {
	fake := essbasictest.NewServer()
	defer fake.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c := fake.Client(essbasic.WithHTTPClient(&http.Client{Transport: tr}), essbasic.WithRateLimit(0, 0))
	ctx := context.Background()
	up, err := c.UploadFromReader(ctx, &essbasic.UploadFromReaderRequest{BusinessType: "DOCUMENT",
		Files: []essbasic.UploadSource{{Name: "a.pdf", Reader: strings.NewReader("%PDF-1.4\n%%EOF\n")}}})
	require.NoError(t, err)
	flow, err := c.ChannelCreateFlowByFiles(ctx, &essbasic.ChannelCreateFlowByFilesRequest{FlowName: "load", FileIds: up.FileIds,
		FlowApprovers: []essbasic.FlowApproverInfo{{ApproverType: "PERSON", Name: "张三", Mobile: "13800000000"}}})
	require.NoError(t, err)

	res := testkit.Run(t, 10000, 64, func(int) error {
		got, err := c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{flow.FlowId}})
		if err == nil && len(got.FlowInfo) != 1 {
			t.Errorf("want 1 flow, got %d", len(got.FlowInfo))
		}
		return err
	}, tr.CloseIdleConnections)
	assert.Zero(t, res.Errors)
	assert.Equal(t, 10000, fake.Calls("DescribeFlowDetailInfo"))
}
