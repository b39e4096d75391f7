package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunStreamOffline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	require.NoError(t, run(ctx, []string{"-stream", "-events", "3"}, &out, &errOut))
	got := out.String()
	assert.Equal(t, 1, strings.Count(got, "ACK LATER"), got)
	assert.Contains(t, got, "ACK SUCCESS after reconnecting")
	assert.Equal(t, 3, strings.Count(got, "event bpms_instance_change finish for "), got)
	assert.Empty(t, errOut.String())
}

func TestRunStreamFlags(t *testing.T) {
	ctx := context.Background()
	var out, errOut bytes.Buffer
	assert.NoError(t, run(ctx, []string{"-stream", "-h"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "-events")
	assert.Error(t, run(ctx, []string{"-stream", "-events", "0"}, &out, &errOut))
	t.Setenv("DINGTALK_APP_KEY", "")
	assert.ErrorContains(t, run(ctx, []string{"-stream", "-live"}, &out, &errOut), "DINGTALK_APP_KEY")
}
