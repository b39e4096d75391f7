package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOffline(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-remark", "测试付款"}, &out, &errOut))
	assert.Equal(t, `kingdee: offline against the in-process fake (use -live for a real site)
saved FKSQ00000001 (FID 100001)
submitted FKSQ00000001
audited FKSQ00000001
queried FKSQ00000001: status C, pay org 100, amount 1250.50, remark "测试付款"
`, out.String())
	assert.Empty(t, errOut.String())
}

func TestOfflineMissingRequiredField(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-date", ""}, &out, &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "row 0 field FDATE")
}

func TestLiveNeedsEnvironment(t *testing.T) {
	for _, k := range liveEnv {
		t.Setenv(k, "")
	}
	t.Setenv("KINGDEE_SERVER_URL", "https://erp.example.com/k3cloud/")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-live"}, &out, &out)
	require.Error(t, err)
	assert.Equal(t, "-live needs these environment variables: KINGDEE_ACCT_ID, KINGDEE_USERNAME, KINGDEE_APP_ID, KINGDEE_APP_SECRET", err.Error())
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &out, &errOut)
	require.True(t, errors.Is(err, flag.ErrHelp))
	for _, f := range []string{"-live", "-bill-type", "-pay-org", "-date", "-remark", "-hksx", "-amount", "-timeout", "KINGDEE_SERVER_URL", "KINGDEE_APP_SECRET"} {
		assert.Contains(t, errOut.String(), f)
	}
}

// The amount crosses the SDK with its digits: 0.10 stays 0.10.
func TestAmountKeepsItsDigits(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-amount", "0.10"}, &out, &out))
	assert.Contains(t, out.String(), "amount 0.10,")
	err := run(context.Background(), []string{"-amount", "1e3"}, &out, &out)
	assert.ErrorContains(t, err, "invalid amount")
}
