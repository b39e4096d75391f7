package qiyuesuotest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/qiyuesuo"
)

// pdfFile is one file of an archive, generated while it is written.
type pdfFile struct {
	name, text string
	size       int64
}

var downloadItems = map[string]bool{qiyuesuo.ItemContract: true, qiyuesuo.ItemSignLog: true, qiyuesuo.ItemAttachment: true,
	qiyuesuo.ItemNotary: true, qiyuesuo.ItemEndSignAttachment: true, qiyuesuo.ItemCert: true}

// download is GET /v2/contract/download: a zip of the contract's PDFs (and
// its signing log), or a bare PDF when needCompressForOneFile=false and
// there is one file. The archive is generated while it is sent.
func (s *Server) download(w http.ResponseWriter, p *in) {
	q := p.query
	items := q.Get("downloadItems")
	if items == "" {
		items = qiyuesuo.ItemContract + "," + qiyuesuo.ItemSignLog
	}
	want := map[string]bool{}
	for _, it := range strings.Split(items, ",") {
		if !downloadItems[it] {
			fail(w, errParam("downloadItems"))
			return
		}
		want[it] = true
	}
	s.mu.Lock()
	c, err := s.find(q.Get("contractId"), q.Get("bizId"))
	var files []pdfFile
	var id string
	if err == nil {
		id = string(c.c.ID)
		files = s.archive(c, want)
		s.record(c, "DOWNLOAD", items)
		if len(c.docs) == 0 {
			err = errParam("合同文档不能为空")
		}
	}
	s.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	if q.Get("needCompressForOneFile") == "false" && len(files) == 1 {
		servePDF(w, files[0])
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": id + ".zip"}))
	_ = writeZip(w, files)
}

// archive lists the files of a download; the caller holds s.mu.
func (s *Server) archive(c *contract, want map[string]bool) []pdfFile {
	var files []pdfFile
	if want[qiyuesuo.ItemContract] {
		for _, d := range c.docs {
			files = append(files, pdfFile{name: d.title + ".pdf", text: "Contract " + string(c.c.ID) + " document " + d.id + " " + c.c.Status, size: s.pdfSize})
		}
	}
	if want[qiyuesuo.ItemSignLog] {
		files = append(files, pdfFile{name: "签署日志.pdf", text: "Signing log of contract " + string(c.c.ID)})
	}
	return files
}

// documentDownload is GET /v2/document/download: one document's PDF.
func (s *Server) documentDownload(w http.ResponseWriter, p *in) {
	s.mu.Lock()
	d, ok := s.docs[p.get("documentId")]
	var f pdfFile
	if ok {
		f = pdfFile{name: d.title + ".pdf", text: "Document " + d.id, size: s.pdfSize}
	}
	s.mu.Unlock()
	if !ok {
		fail(w, errParam("文档不存在"))
		return
	}
	servePDF(w, f)
}

// attachmentDownload is GET /v2/attachment/download: a zip of the files
// signatories attached; the fake's contracts carry one each once signed.
func (s *Server) attachmentDownload(w http.ResponseWriter, p *in) {
	s.mu.Lock()
	c, err := s.find(p.get("contractId"), p.get("bizId"))
	var files []pdfFile
	if err == nil {
		if c.c.Status == qiyuesuo.StatusDraft {
			err = errStatus
		}
		for _, sg := range c.c.Signatories {
			files = append(files, pdfFile{name: sg.TenantName + "-附件.pdf", text: "Attachment of signatory " + string(sg.ID)})
		}
		s.record(c, "DOWNLOAD", "ATTACHMENT")
	}
	s.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	_ = writeZip(w, files)
}

func servePDF(w http.ResponseWriter, f pdfFile) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.name}))
	_ = writePDF(w, f.text, f.size)
}

// writeZip streams a zip whose entries are stored (not compressed), so a
// large archive costs no CPU and no memory beyond fixed buffers.
func writeZip(w io.Writer, files []pdfFile) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if err := writePDF(fw, f.text, f.size); err != nil {
			return err
		}
	}
	return zw.Close()
}

// counter tracks the offset of each PDF object for the xref table.
type counter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *counter) printf(format string, args ...any) {
	if c.err != nil {
		return
	}
	n, err := fmt.Fprintf(c.w, format, args...)
	c.n += int64(n)
	c.err = err
}

// padChunk fills the padding stream of large PDFs.
var padChunk = bytes.Repeat([]byte("0123456789abcdef"), 2048)

// writePDF writes a valid one-page PDF showing text, padded with an
// unreferenced stream so the file is at least minSize bytes.
func writePDF(w io.Writer, text string, minSize int64) error {
	c := &counter{w: w}
	var offsets []int64
	obj := func(body string, args ...any) {
		offsets = append(offsets, c.n)
		c.printf("%d 0 obj\n"+body+"\nendobj\n", append([]any{len(offsets)}, args...)...)
	}
	content := fmt.Sprintf("BT /F1 14 Tf 72 760 Td (%s) Tj ET", pdfEscape(text))
	c.printf("%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	if pad := minSize - c.n; pad > 0 {
		offsets = append(offsets, c.n)
		c.printf("%d 0 obj\n<< /Length %d >>\nstream\n", len(offsets), pad)
		for left := pad; left > 0 && c.err == nil; {
			chunk := padChunk[:min(int64(len(padChunk)), left)]
			n, err := c.w.Write(chunk)
			c.n, c.err, left = c.n+int64(n), err, left-int64(n)
		}
		c.printf("\nendstream\nendobj\n")
	}
	xref := c.n
	c.printf("xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		c.printf("%010d 00000 n \n", off)
	}
	c.printf("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return c.err
}

func pdfEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7e:
			b.WriteByte('?') // Helvetica has no CJK glyphs
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
