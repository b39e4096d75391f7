package qiyuesuo_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

// peakWriter discards bytes but samples the live heap (after a GC, so
// garbage does not count) every 16 MiB: a client that buffered the
// download would hold it live.
type peakWriter struct {
	n, next int64
	peak    uint64
}

func (w *peakWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if w.n >= w.next {
		w.next += 16 << 20
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		w.peak = max(w.peak, ms.HeapAlloc)
	}
	return len(p), nil
}

// heapGrowthOfDownload downloads a contract whose PDF is size bytes and
// returns the bytes written and the peak live-heap growth during it (live
// heap sampled after a GC, minus the live heap before; it may be negative
// when setup garbage was collected).
func heapGrowthOfDownload(t testing.TB, size int64) (int64, int64) {
	srv, c := newFake(t)
	ct := draftWithAudit(t, c, "")
	srv.SetPDFSize(size)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	w := &peakWriter{}
	_, err := c.ContractDownload(context.Background(), &qiyuesuo.ContractDownloadRequest{ContractID: ct.ID, DownloadItems: []string{qiyuesuo.ItemContract}}, w)
	require.NoError(t, err)
	return w.n, int64(w.peak) - int64(ms.HeapAlloc)
}

func TestDownload200MBHeapGrowth(t *testing.T) {
	const size = 200 << 20
	n, growth := heapGrowthOfDownload(t, size)
	t.Logf("downloaded %d bytes; peak heap growth %d bytes (%.2f MiB)", n, growth, float64(growth)/(1<<20))
	assert.Greater(t, n, int64(size))
	assert.Less(t, growth, int64(8<<20), "a download must stream, not buffer")
}

func TestDownloadVariants(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	ct := draftWithAudit(t, c, "dl-1")

	// One file without compression comes as a bare PDF.
	var pdf bytes.Buffer
	res, err := c.ContractDownload(ctx, &qiyuesuo.ContractDownloadRequest{BizID: "dl-1", DownloadItems: []string{qiyuesuo.ItemContract}, NeedCompressForOneFile: hetong.Ptr(false)}, &pdf)
	require.NoError(t, err)
	assert.Equal(t, "application/pdf", res.ContentType)
	assert.Equal(t, "合同正文.pdf", res.FileName)
	assert.True(t, bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")))
	assert.Equal(t, int64(pdf.Len()), res.Bytes)

	var doc bytes.Buffer
	det, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: ct.ID})
	require.NoError(t, err)
	require.Len(t, det.Result.Documents, 1)
	_, err = c.DocumentDownload(ctx, &qiyuesuo.DocumentDownloadRequest{DocumentID: det.Result.Documents[0].ID}, &doc)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(doc.Bytes(), []byte("%PDF-")))

	// A JSON error body is detected by its Content-Type and nothing is written.
	var out bytes.Buffer
	_, err = c.ContractDownload(ctx, &qiyuesuo.ContractDownloadRequest{ContractID: "3999999999999999999"}, &out)
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeContractNotFound), "%v", err)
	assert.Zero(t, out.Len())

	var zipped bytes.Buffer
	_, err = c.ContractDownload(ctx, &qiyuesuo.ContractDownloadRequest{ContractID: ct.ID}, &zipped)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(zipped.Bytes()), int64(zipped.Len()))
	require.NoError(t, err)
	assert.Equal(t, "签署日志.pdf", zr.File[1].Name)
}

// failingWriter fails after some bytes, like a full disk.
type failingWriter struct{ left int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.left <= 0 {
		return 0, errors.New("disk full")
	}
	w.left -= len(p)
	return len(p), nil
}

func TestDownloadWriterFails(t *testing.T) {
	srv, c := newFake(t)
	ct := draftWithAudit(t, c, "")
	srv.SetPDFSize(4 << 20)
	_, err := c.ContractDownload(context.Background(), &qiyuesuo.ContractDownloadRequest{ContractID: ct.ID}, &failingWriter{left: 1 << 20})
	var e *qiyuesuo.Error
	require.True(t, errors.As(err, &e))
	assert.Contains(t, err.Error(), "disk full")
}

func TestUploadTooLargeWhileStreaming(t *testing.T) {
	srv, c := newFake(t)
	ct := draftWithAudit(t, c, "")
	// A reader of unknown size: the limit is enforced while streaming.
	r := io.MultiReader(strings.NewReader(strings.Repeat("x", qiyuesuo.MaxFileSize)), strings.NewReader("y"))
	_, err := c.DocumentAddByFile(context.Background(), &qiyuesuo.DocumentAddByFileRequest{ContractID: ct.ID, Title: "big",
		FileSuffix: "pdf", File: qiyuesuo.File{Name: "big.pdf", Reader: r}})
	require.Error(t, err)
	assert.ErrorIs(t, err, qiyuesuo.ErrFileTooLarge)
	got, ok := srv.Contract(ct.ID)
	require.True(t, ok)
	assert.Len(t, got.Documents, 1, "the oversize upload must not create a document")
}

func TestAddDocumentByFilesAndTemplate(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	ct := draftWithAudit(t, c, "")
	res, err := c.DocumentAddByFiles(ctx, &qiyuesuo.DocumentAddByFilesRequest{ContractID: ct.ID, Title: "附件",
		Files: []qiyuesuo.File{{Name: "a.pdf", Reader: strings.NewReader("a")}, {Name: `C:\docs\b.png`, Reader: bytes.NewReader([]byte("b"))}}})
	require.NoError(t, err)
	assert.Len(t, res.Result.DocumentID, 19)
	_, err = c.DocumentAddByTemplate(ctx, &qiyuesuo.DocumentAddByTemplateRequest{ContractID: ct.ID, Title: "模板文档", TemplateID: qiyuesuotest.TemplateID,
		TemplateParams: []qiyuesuo.TemplateParam{{Name: "甲方", Value: "甲公司"}, {Name: "合同金额", Value: "100.00"}}})
	require.NoError(t, err)
	_, err = c.DocumentAddByTemplate(ctx, &qiyuesuo.DocumentAddByTemplateRequest{ContractID: ct.ID, Title: "x", TemplateID: "1"})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidParameter))
}
