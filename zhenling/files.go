package zhenling

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-querystring/query"

	"github.com/hetong-go/hetong/internal/transport"
)

// FileService covers the contract files: 3.4 upload, 3.5 preview link,
// 3.7 contract text and attachments, 3.11 download by fileKey, 3.15
// general attachment upload, 3.26 clearing a source's uploads.
//
// Zhenling has not published these endpoints' codes, paths or multipart
// field names. Configure each with WithOperation, or with
// WithOperationPath when your tenant serves files outside HITF (e.g. its
// file service); the form fields used here are documented per type.
type FileService service

// DefaultFileField is the multipart field that carries the file.
const DefaultFileField = "file"

// FileUploadRequest is one file to upload. Body is read once, while the
// request is sent, and never held in memory; an upload is not re-sent
// after it may have reached the server (unless Body is an io.Seeker and
// the token was rejected, which happens before the server reads it).
type FileUploadRequest struct {
	// SourceDocumentNumber is the 来源单据号: your system's unique contract
	// id, which 3.40 must repeat as SourceCode. Required for 3.4.
	SourceDocumentNumber string
	FileName             string    // required
	ContentType          string    // default application/octet-stream
	Body                 io.Reader // required
	// FileField names the file's multipart field (default DefaultFileField).
	FileField string
	// Fields are further form fields your tenant documents (e.g. whether
	// the file is the main file or an attachment).
	Fields map[string]string
	UserContext
}

// UploadResponse is an uploaded file: its fileKey when the answer names
// one, and the raw result.
type UploadResponse struct {
	FileKey string
	Result  *Result
}

// Upload runs 3.4 合同文件上传 (configure OpFileUpload).
func (s *FileService) Upload(ctx context.Context, req *FileUploadRequest) (*UploadResponse, error) {
	if req != nil && strings.TrimSpace(req.SourceDocumentNumber) == "" {
		return nil, withOp(OpFileUpload, invalid("FileUploadRequest.SourceDocumentNumber", required+" (your system's unique contract id, 来源单据号)"))
	}
	return s.upload(ctx, OpFileUpload, req)
}

// UploadAttachment runs 3.15 通用附件上传接口 (configure OpAttachmentUpload).
func (s *FileService) UploadAttachment(ctx context.Context, req *FileUploadRequest) (*UploadResponse, error) {
	return s.upload(ctx, OpAttachmentUpload, req)
}

func (s *FileService) upload(ctx context.Context, op string, req *FileUploadRequest) (*UploadResponse, error) {
	const where = "FileUploadRequest"
	if req == nil {
		return nil, nilRequest(where)
	}
	switch {
	case strings.TrimSpace(req.FileName) == "":
		return nil, withOp(op, invalid("FileUploadRequest.FileName", required))
	case req.Body == nil:
		return nil, withOp(op, invalid("FileUploadRequest.Body", required))
	}
	if err := req.UserContext.validate(where); err != nil {
		return nil, err
	}
	res, err := s.c.runOp(ctx, &call{op: op, stream: req.multipart})
	if err != nil {
		return nil, err
	}
	return &UploadResponse{FileKey: pickString(res.Data, "fileKey", "fileUrl", "key"), Result: res}, nil
}

// multipart builds the streamed body for one try; a second try rewinds a
// seekable Body and refuses any other.
func (r *FileUploadRequest) multipart(attempt int) (func() (io.Reader, error), string, error) {
	if attempt > 1 {
		sk, ok := r.Body.(io.Seeker)
		if !ok {
			return nil, "", invalid("FileUploadRequest.Body", "must be an io.ReadSeeker to be sent again after the token was rejected")
		}
		if _, err := sk.Seek(0, io.SeekStart); err != nil {
			return nil, "", &Error{Message: "FileUploadRequest.Body: rewind: " + err.Error(), Err: err}
		}
	}
	var parts []transport.Part
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, transport.Part{Field: k, Value: v})
		}
	}
	add("sourceDocumentNumber", r.SourceDocumentNumber)
	add("userIdType", string(r.UserIDType))
	add("userId", r.UserID)
	for _, k := range sortedKeys(r.Fields) {
		add(k, r.Fields[k])
	}
	field := r.FileField
	if field == "" {
		field = DefaultFileField
	}
	parts = append(parts, transport.Part{Field: field, FileName: r.FileName, ContentType: r.ContentType, Reader: r.Body})
	nb, ct := transport.Multipart(parts)
	return nb, ct, nil
}

// FileKeyRequest names a stored file by its fileKey. It travels as a JSON
// body (3.5) or as the query string of a GET (3.11).
type FileKeyRequest struct {
	FileKey string `json:"fileKey" url:"fileKey"`
	UserContext
	Extra map[string]any `json:"-" url:"-"`
}

// query encodes r for a GET: its tagged fields, then Extra (a key that a
// field already sets is an error).
func (r *FileKeyRequest) query(where string) (url.Values, error) {
	q, err := query.Values(r)
	if err != nil {
		return nil, unencodable(where, err)
	}
	for _, k := range sortedKeys(r.Extra) {
		if q.Has(k) {
			return nil, invalid(fmt.Sprintf("%s.Extra[%q]", where, k), "must not repeat a typed field")
		}
		q.Set(k, fmt.Sprint(r.Extra[k]))
	}
	return q, nil
}

func (r *FileKeyRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if strings.TrimSpace(r.FileKey) == "" {
		return nil, invalid(where+".FileKey", required)
	}
	return encodeRequest(where, r, r.UserContext, r.Extra)
}

// PreviewResponse is a preview link: open URL in a browser window.
type PreviewResponse struct {
	URL    string
	Result *Result
}

// PreviewURL runs 3.5 获取文件预览链接 (configure OpFilePreview).
func (s *FileService) PreviewURL(ctx context.Context, req *FileKeyRequest) (*PreviewResponse, error) {
	res, err := s.c.rawCall(ctx, OpFilePreview, "FileKeyRequest", req)
	if err != nil {
		return nil, err
	}
	return &PreviewResponse{URL: pickString(res.Data, "url", "previewUrl", "link"), Result: res}, nil
}

// DownloadResponse describes a download. When the server answered with a
// JSON result instead of a file (e.g. links), nothing was written and
// Result holds it.
type DownloadResponse struct {
	Written     int64
	ContentType string
	FileName    string
	Result      *Result
}

// Download runs 3.11 通过fileKey下载文件 (a GET, configure OpFileDownload),
// streaming the file into w.
func (s *FileService) Download(ctx context.Context, req *FileKeyRequest, w io.Writer) (*DownloadResponse, error) {
	const where = "FileKeyRequest"
	if _, err := req.body(where); err != nil {
		return nil, withOp(OpFileDownload, err)
	}
	q, err := req.query(where)
	if err != nil {
		return nil, withOp(OpFileDownload, err)
	}
	return s.c.download(ctx, &call{op: OpFileDownload, method: http.MethodGet, query: q}, w, false)
}

// ContractFiles runs 3.7 合同正文及附件下载 (configure OpContractFiles),
// streaming a file answer into w.
func (s *FileService) ContractFiles(ctx context.Context, req *ContractActionRequest, w io.Writer) (*DownloadResponse, error) {
	b, err := req.body("ContractActionRequest")
	if err != nil {
		return nil, withOp(OpContractFiles, err)
	}
	return s.c.download(ctx, &call{op: OpContractFiles, body: b, ctype: "application/json"}, w, true)
}

// SourceFilesRequest names the uploads of one source document.
type SourceFilesRequest struct {
	SourceDocumentNumber string `json:"sourceDocumentNumber"`
	UserContext
	Extra map[string]any `json:"-"`
}

func (r *SourceFilesRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if strings.TrimSpace(r.SourceDocumentNumber) == "" {
		return nil, invalid(where+".SourceDocumentNumber", required)
	}
	return encodeRequest(where, r, r.UserContext, r.Extra)
}

// ClearSourceFiles runs 3.26 来源创建上传文件清空: it drops the files
// uploaded for a source document before the contract is created
// (raw Result; configure OpSourceFilesClear).
func (s *FileService) ClearSourceFiles(ctx context.Context, req *SourceFilesRequest) (*Result, error) {
	return s.c.rawCall(ctx, OpSourceFilesClear, "SourceFilesRequest", req)
}

// isFile says whether a 2xx response is the file itself rather than JSON.
func isFile(r *http.Response) bool {
	return !strings.Contains(strings.ToLower(r.Header.Get("Content-Type")), "json")
}

// download opens cl as a stream and copies a file answer into w. The
// core looks at the first bytes before any reaches w: an HTML page or a
// JSON envelope that came instead of the file is decoded as the
// platform's error, never saved. A JSON answer sent as JSON is returned
// as Result when jsonOK, and is an error otherwise (a download must
// return the file).
func (c *Client) download(ctx context.Context, cl *call, w io.Writer, jsonOK bool) (*DownloadResponse, error) {
	if w == nil {
		return nil, withOp(cl.op, invalid("w", required))
	}
	op, path, q, err := c.resolveCall(cl)
	if err != nil {
		return nil, err
	}
	out := &DownloadResponse{}
	err = c.withToken(ctx, func(tok string) error {
		req, err := c.request(op, path, q, cl, tok, 1)
		if err != nil {
			return err
		}
		req.Check = func(r *transport.Response) (transport.Verdict, error) {
			res, v, err := decodeResponse(r)
			out.Result = res
			return v, err
		}
		st, err := c.t.Open(ctx, req, isFile)
		if err != nil {
			return c.wrapErr(op.Name, err)
		}
		defer st.Body.Close()
		if out.Result != nil {
			if !jsonOK {
				return &Error{Op: op.Name, HTTPStatus: st.StatusCode, Message: "answered JSON instead of the file", Raw: excerpt(out.Result.Data)}
			}
			return nil
		}
		out.ContentType = st.Header.Get("Content-Type")
		out.FileName = fileName(st.Header.Get("Content-Disposition"))
		out.Written, err = io.Copy(w, st.Body)
		if err != nil {
			return &Error{Op: op.Name, HTTPStatus: st.StatusCode, Message: "download interrupted", Err: err}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func fileName(cd string) string {
	if _, params, err := mime.ParseMediaType(cd); err == nil {
		return params["filename"]
	}
	return ""
}

// pickString finds a string in data: data itself when it is a JSON
// string, else the first of keys present in the object (or its first
// element, for an array).
func pickString(data json.RawMessage, keys ...string) string {
	var s string
	if json.Unmarshal(data, &s) == nil {
		return s
	}
	var arr []json.RawMessage
	if json.Unmarshal(data, &arr) == nil && len(arr) > 0 {
		return pickString(arr[0], keys...)
	}
	var m map[string]String
	if json.Unmarshal(data, &m) != nil {
		var loose map[string]json.RawMessage
		if json.Unmarshal(data, &loose) != nil {
			return ""
		}
		m = map[string]String{}
		for k, v := range loose {
			var x String
			if json.Unmarshal(v, &x) == nil {
				m[k] = x
			}
		}
	}
	for _, k := range keys {
		if v := m[k]; v != "" {
			return string(v)
		}
	}
	return ""
}
