package qiyuesuo_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/internal/testkit"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

// TestLoad drives 10,000 contract-detail calls from 64 goroutines through
// one client: every request carries a fresh nonce the fake accepts (it
// refuses reused ones), no call fails, and no goroutine is left behind.
func TestLoad(t *testing.T) {
	fake := qiyuesuotest.NewServer()
	defer fake.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret},
		qiyuesuo.WithBaseURL(fake.URL), qiyuesuo.WithHTTPClient(&http.Client{Transport: tr}), qiyuesuo.WithRateLimit(0, 0))
	require.NoError(t, err)
	ctx := context.Background()
	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{Subject: "load", Signatories: []qiyuesuo.Signatory{
		{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName, SerialNo: hetong.Ptr(1),
			Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionCompany}}}}})
	require.NoError(t, err)

	res := testkit.Run(t, 10000, 64, func(int) error {
		_, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: d.Result.ID})
		return err
	}, tr.CloseIdleConnections)
	assert.Zero(t, res.Errors)
	assert.Equal(t, 10000, fake.Calls("/v2/contract/detail"))
}
