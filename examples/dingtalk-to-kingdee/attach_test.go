package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/kingdee/kingdeetest"
)

func newSyncer(t *testing.T) (*syncer, *dingtalktest.Server, *kingdeetest.Server) {
	t.Helper()
	dsrv, ksrv := dingtalktest.NewServer(), kingdeetest.NewServer()
	t.Cleanup(func() { dsrv.Close(); ksrv.Close() })
	from := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, seedClaims(dsrv, demoProcessCode, 3, from))
	return &syncer{dt: dsrv.Client(), kd: ksrv.Client(), m: defaultMapping(), batchSize: 10, progress: io.Discard}, dsrv, ksrv
}

// TestInvoicesFollowTheClaim: each approved claim's invoice file reaches
// its Kingdee bill byte for byte.
func TestInvoicesFollowTheClaim(t *testing.T) {
	s, _, ksrv := newSyncer(t)
	from := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	rep, err := s.run(context.Background(), demoProcessCode, from, from.AddDate(0, 0, 7))
	require.NoError(t, err)
	require.Equal(t, 3, rep.Saved)
	assert.Equal(t, 3, rep.Attached)
	for _, l := range rep.Links {
		require.Len(t, l.Files, 1, l.InstanceID)
		b, ok := ksrv.File(l.Files[0])
		require.True(t, ok, "the fake ERP holds the file")
		assert.True(t, bytes.HasPrefix(b, []byte("%PDF-1.4 invoice ")), "%q", b)
	}
}

// TestFailedInvoiceUploadIsReported: the bill stands, and the report says
// which invoice is missing (never silently dropped).
func TestFailedInvoiceUploadIsReported(t *testing.T) {
	s, _, ksrv := newSyncer(t)
	ksrv.FailNext(kingdeetest.Fault{Match: "AttachmentUpLoad", Status: 500, Body: "upload refused", Times: 100})
	from := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	rep, err := s.run(context.Background(), demoProcessCode, from, from.AddDate(0, 0, 7))
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Saved)
	assert.Zero(t, rep.Attached)
	for _, l := range rep.Links {
		assert.Equal(t, "created", l.State)
		assert.True(t, strings.Contains(l.Reason, "attaching 发票-"), "reason: %q", l.Reason)
	}
}
