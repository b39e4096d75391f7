package dingtalk_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// seedWithFile stores an instance with one attachment and returns both.
func seedWithFile(t *testing.T, srv *dingtalktest.Server, f dingtalktest.File) (string, dingtalk.Attachment) {
	t.Helper()
	id := srv.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-EXPENSE", OriginatorUserID: "u1", ApproverUserIDs: []string{"boss"}})
	a, err := srv.AddAttachment(id, f)
	require.NoError(t, err)
	return id, a
}

// TestAttachmentFromFormFieldToBytes goes from an instance's DDAttachment
// field to the file's bytes through both families.
func TestAttachmentFromFormFieldToBytes(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	content := []byte("%PDF-1.7 invoice 发票 #42")
	id, _ := seedWithFile(t, srv, dingtalktest.File{Name: "invoice.pdf", Content: content})

	res, err := c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err)
	files, err := res.Instance.FormComponentValues.Attachments(dingtalktest.AttachmentField)
	require.NoError(t, err)
	require.Len(t, files, 1)
	assert.Equal(t, "invoice.pdf", files[0].FileName)
	assert.Equal(t, int64(len(content)), files[0].FileSize)

	for _, old := range []bool{false, true} {
		var buf bytes.Buffer
		n, err := c.DownloadAttachment(ctx, &dingtalk.DownloadAttachmentRequest{ProcessInstanceID: id, FileID: files[0].FileID, OldAPI: old}, &buf)
		require.NoError(t, err, "old API %t", old)
		assert.Equal(t, int64(len(content)), n)
		assert.Equal(t, content, buf.Bytes())
	}

	// The storage API: download info, then the URL with its headers.
	info, err := c.GetFileDownloadInfo(ctx, &dingtalk.GetFileDownloadInfoRequest{SpaceID: files[0].SpaceID, DentryID: files[0].FileID, UnionID: "union-1"})
	require.NoError(t, err)
	require.NotNil(t, info.HeaderSignatureInfo)
	var buf bytes.Buffer
	_, err = c.DownloadFile(ctx, info.HeaderSignatureInfo.ResourceURLs[0], info.HeaderSignatureInfo.Headers, &buf)
	require.NoError(t, err)
	assert.Equal(t, content, buf.Bytes())

	// Without the signature header the file host refuses: a typed error.
	_, err = c.DownloadFile(ctx, info.HeaderSignatureInfo.ResourceURLs[0], nil, io.Discard)
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, 403, e.HTTPStatus)
}

func TestAttachmentOfAnotherInstanceIsRefused(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	_, a := seedWithFile(t, srv, dingtalktest.File{Name: "a.pdf", Content: []byte("x")})
	other := srv.AddInstance(dingtalktest.Instance{ProcessCode: "PROC-EXPENSE", OriginatorUserID: "u2"})
	_, err := c.DownloadAttachment(context.Background(), &dingtalk.DownloadAttachmentRequest{ProcessInstanceID: other, FileID: a.FileID}, io.Discard)
	var e *dingtalk.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, "GrantProcessInstanceForDownloadFile", e.Op)
}

func TestDownloadAttachmentValidates(t *testing.T) {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	_, err := c.DownloadAttachment(context.Background(), &dingtalk.DownloadAttachmentRequest{ProcessInstanceID: "p"}, io.Discard)
	assert.ErrorIs(t, err, dingtalk.ErrInvalidRequest)
	assert.ErrorContains(t, err, "DownloadAttachmentRequest.FileID: required")
	assert.Equal(t, 0, srv.Calls("/v1.0/workflow/processInstances/spaces/files/urls/download"), "nothing sent")
}

// TestLargeAttachmentStreamsWithFlatHeap downloads 64 MiB and checks that
// the process allocated a small fraction of that: the file went from the
// socket to the writer in chunks, never whole in memory.
func TestLargeAttachmentStreamsWithFlatHeap(t *testing.T) {
	const size = 64 << 20
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	id, a := seedWithFile(t, srv, dingtalktest.File{Name: "scan.tiff", Size: size})
	// Warm up the token and connections so they do not count.
	_, err := c.GetWorkflowInstance(ctx, &dingtalk.GetWorkflowInstanceRequest{ProcessInstanceID: id})
	require.NoError(t, err)

	h := sha256.New()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n, err := c.DownloadAttachment(ctx, &dingtalk.DownloadAttachmentRequest{ProcessInstanceID: id, FileID: a.FileID}, h)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Equal(t, int64(size), n)

	want := sha256.New()
	_, _ = io.Copy(want, dingtalktest.Pattern(size))
	assert.Equal(t, want.Sum(nil), h.Sum(nil), "the bytes differ")
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("downloaded %d bytes, allocated %d bytes", size, allocated)
	assert.Less(t, allocated, uint64(size/4), "allocated %d bytes for a %d byte download", allocated, size)
}

// TestDownloadNeverSavesAnErrorPage: a 200 HTML page (a WAF or login page)
// or a JSON error instead of the file is an error, and nothing reaches the
// writer; a body that stalls fails after the idle timeout.
func TestDownloadNeverSavesAnErrorPage(t *testing.T) {
	stall := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<!DOCTYPE html><html><body>请登录</body></html>")
		case "/json":
			_, _ = io.WriteString(w, `{"code":"AccessDenied","message":"expired"}`)
		case "/stall":
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = io.WriteString(w, "first bytes")
			w.(http.Flusher).Flush()
			<-stall
		}
	}))
	defer srv.Close()
	defer close(stall) // before srv.Close, which waits for the stalled handler
	fake := dingtalktest.NewServer()
	defer fake.Close()
	c := fake.Client(dingtalk.WithIdleTimeout(200 * time.Millisecond))
	for _, p := range []string{"/html", "/json"} {
		var buf bytes.Buffer
		_, err := c.DownloadFile(context.Background(), srv.URL+p+"?sig=abc", nil, &buf)
		require.Error(t, err, p)
		assert.Zero(t, buf.Len(), "%s: nothing written", p)
		assert.NotContains(t, err.Error(), "sig=abc", "the URL's signature stays out of errors")
	}
	_, err := c.DownloadFile(context.Background(), srv.URL+"/stall", nil, io.Discard)
	require.Error(t, err, "a stalled body fails")
}
