package qiyuesuo

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// Download items (下载项) of a contract archive.
const (
	ItemContract          = "CONTRACT"
	ItemSignLog           = "SIGNLOG"
	ItemAttachment        = "ATTACHMENT"
	ItemNotary            = "NOTARY"
	ItemEndSignAttachment = "ENDSIGN_ATTACHMENT"
	ItemCert              = "CERT"
)

// DownloadRequest selects a contract archive.
type DownloadRequest struct {
	ContractID ID
	BizID      ID
	TenantName string
	// Items are the parts to include (default CONTRACT and SIGNLOG).
	Items []string
	// NoCompressForOneFile asks for a bare PDF instead of a zip when the
	// archive holds a single file (needCompressForOneFile=false).
	NoCompressForOneFile bool
	// FileNameRule is DEFAULT or ORIGINAL.
	FileNameRule string
}

// DownloadResponse describes a file written to the caller's writer.
type DownloadResponse struct {
	// Bytes is the number of bytes written.
	Bytes int64
	// ContentType is the response's type, e.g. application/zip or application/pdf.
	ContentType string
	// FileName is the name from Content-Disposition, when sent.
	FileName string
	// HTTPStatus is the response's HTTP status.
	HTTPStatus int
}

// Download streams a contract's archive (a zip, or a PDF) into w, never
// holding it in memory: GET /v2/contract/download. A JSON body is an error
// the platform sent instead of a file. Mind the platform's lock: the same
// document downloaded 10 times within 25 minutes is locked for 12 hours.
// If the body breaks off, the error comes with the response saying how
// many bytes reached w (a download is not resumed or retried once bytes
// were written).
func (c *Client) Download(ctx context.Context, req *DownloadRequest, w io.Writer) (*DownloadResponse, error) {
	const typ = "DownloadRequest"
	if err := checkContract(typ, req); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, invalid("Download.w", "writer must not be nil")
	}
	q := query{}.ref(req.ContractID, req.BizID, req.TenantName).str("downloadItems", strings.Join(req.Items, ",")).
		str("fileNameRule", req.FileNameRule)
	if req.NoCompressForOneFile {
		q["needCompressForOneFile"] = []string{"false"}
	}
	return c.download(ctx, "/v2/contract/download", q.values(), w)
}

// DocumentDownloadRequest selects one document.
type DocumentDownloadRequest struct {
	// DocumentID is required.
	DocumentID ID
}

// DownloadDocument streams one document's PDF into w:
// GET /v2/document/download.
func (c *Client) DownloadDocument(ctx context.Context, req *DocumentDownloadRequest, w io.Writer) (*DownloadResponse, error) {
	if err := checkNil("DocumentDownloadRequest", req); err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(req.DocumentID)) == "" {
		return nil, invalid("DocumentDownloadRequest.DocumentID", "must not be empty")
	}
	if w == nil {
		return nil, invalid("DownloadDocument.w", "writer must not be nil")
	}
	return c.download(ctx, "/v2/document/download", query{}.str("documentId", string(req.DocumentID)).values(), w)
}

// isFile tells a file stream from a JSON error body by its Content-Type.
func isFile(r *http.Response) bool {
	return !transport.IsJSON(r.Header.Get("Content-Type"), nil)
}

func (c *Client) download(ctx context.Context, p string, q map[string][]string, w io.Writer) (*DownloadResponse, error) {
	req := &transport.Request{Op: p, Method: http.MethodGet, Path: p, Query: q, Idempotent: true, Sign: c.sign}
	var env envelope
	req.Check = func(r *transport.Response) (transport.Verdict, error) { return c.check(r, &env) }
	st, err := c.tc.Open(ctx, req, isFile)
	if err != nil {
		return nil, c.wrapErr(err)
	}
	defer st.Body.Close()
	res := &DownloadResponse{ContentType: st.Header.Get("Content-Type"), FileName: fileName(st.Header), HTTPStatus: st.StatusCode}
	if !isFile(&http.Response{Header: st.Header}) {
		// A 2xx JSON success envelope where a file was expected.
		return nil, &Error{HTTPStatus: st.StatusCode, Message: "expected a file, got a JSON body", ResponseCode: env.meta(0).ResponseCode}
	}
	n, err := io.Copy(w, st.Body)
	res.Bytes = n
	if err != nil {
		kind := transport.KindBody
		if ctx.Err() != nil {
			kind = transport.KindCanceled
		}
		te := &transport.Error{Kind: kind, Method: http.MethodGet, URL: p, StatusCode: st.StatusCode, Sent: true, Err: err}
		return res, &Error{HTTPStatus: st.StatusCode, Message: "download interrupted after " + strconv.FormatInt(n, 10) + " bytes: " + c.tc.Redactor().String(err.Error()), Err: te}
	}
	return res, nil
}

func fileName(h http.Header) string {
	_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil {
		return ""
	}
	return params["filename"]
}

// DownloadURLRequest asks for a temporary download link.
type DownloadURLRequest struct {
	ContractID ID
	BizID      ID
	TenantName string
	// Compress asks for a zip.
	Compress *bool
	Items    []string
}

// DownloadURLResponse carries the link.
type DownloadURLResponse struct {
	Meta        `json:"-"`
	DownloadURL string `json:"downloadUrl"`
}

// DownloadURL returns a temporary download link: GET /v2/contract/downloadurl.
func (c *Client) DownloadURL(ctx context.Context, req *DownloadURLRequest) (*DownloadURLResponse, error) {
	if err := checkContract("DownloadURLRequest", req); err != nil {
		return nil, err
	}
	q := query{}.ref(req.ContractID, req.BizID, req.TenantName).boolp("compress", req.Compress).
		str("downloadItems", strings.Join(req.Items, ","))
	return send[DownloadURLResponse](ctx, c, get("/v2/contract/downloadurl", q.values()), self)
}
