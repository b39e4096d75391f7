package qiyuesuo

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// MaxFileSize is the platform's documented limit for one uploaded file (30 MB).
const MaxFileSize = 30 << 20

// ErrFileTooLarge is wrapped when an upload exceeds [MaxFileSize], whether
// found before sending (a known size) or while streaming.
var ErrFileTooLarge = errors.New("qiyuesuo: file larger than 30 MB")

// File is one file to upload. The reader is streamed, never buffered.
type File struct {
	// Name is the file name sent to the platform (its base name is used).
	Name string
	// Reader supplies the content; it is read once.
	Reader io.Reader
	// Size is the length in bytes when known (0 = unknown). *os.File,
	// *bytes.Reader, *strings.Reader and *bytes.Buffer report their size
	// themselves.
	Size int64
}

func (f File) size() int64 {
	if f.Size > 0 {
		return f.Size
	}
	switch r := f.Reader.(type) {
	case interface{ Len() int }:
		return int64(r.Len())
	case *os.File:
		if st, err := r.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size()
		}
	}
	return 0
}

func (f File) check(field string) error {
	if f.Reader == nil {
		return invalid(field+".Reader", "must not be nil")
	}
	if strings.TrimSpace(f.Name) == "" {
		return invalid(field+".Name", "must not be empty")
	}
	if f.size() > MaxFileSize {
		return &fieldError{field: field, msg: "larger than 30 MB", err: ErrFileTooLarge}
	}
	return nil
}

// AddDocumentByFileRequest uploads one file into a draft (用文件添加合同文档).
type AddDocumentByFileRequest struct {
	ContractID ID
	BizID      ID
	TenantName string
	// Title is the document title (required).
	Title string
	// File is the content (≤30 MB).
	File File
	// FileSuffix is pdf, doc, docx, jpg, png, ...; derived from File.Name when empty.
	FileSuffix string
	// DocumentSort orders documents (the platform's own numbering).
	DocumentSort *int
	// Stampers are sent as a JSON string field.
	Stampers []Stamper
}

// DocumentResponse carries the new document's id.
type DocumentResponse struct {
	Meta       `json:"-"`
	DocumentID ID `json:"documentId"`
}

// AddDocumentByFile streams a multipart upload: POST /v2/document/addbyfile.
// An upload is never retried once it may have reached the server.
func (c *Client) AddDocumentByFile(ctx context.Context, req *AddDocumentByFileRequest) (*DocumentResponse, error) {
	const typ = "AddDocumentByFileRequest"
	if err := checkContract(typ, req); err != nil {
		return nil, err
	}
	if err := checkTitle(typ, req.Title); err != nil {
		return nil, err
	}
	if err := req.File.check(typ + ".File"); err != nil {
		return nil, err
	}
	suffix := req.FileSuffix
	if suffix == "" {
		suffix = strings.TrimPrefix(path.Ext(req.File.Name), ".")
	}
	if suffix == "" {
		return nil, invalid(typ+".FileSuffix", "must not be empty when File.Name has no extension")
	}
	fields, err := docFields(req.ContractID, req.BizID, req.TenantName, req.Title, req.DocumentSort, req.Stampers)
	if err != nil {
		return nil, err
	}
	fields = append(fields, transport.Part{Field: "fileSuffix", Value: suffix})
	parts := append(fields, filePart("file", req.File))
	return c.upload(ctx, "/v2/document/addbyfile", parts)
}

func checkTitle(typ, title string) error {
	if strings.TrimSpace(title) == "" {
		return invalid(typ+".Title", "must not be empty")
	}
	return nil
}

// AddDocumentByFilesRequest uploads several files as one document.
type AddDocumentByFilesRequest struct {
	ContractID   ID
	BizID        ID
	TenantName   string
	Title        string
	Files        []File
	DocumentSort *int
	Stampers     []Stamper
}

// AddDocumentByFiles streams a multipart upload of several files (each
// ≤30 MB): POST /v2/document/addbyfiles.
func (c *Client) AddDocumentByFiles(ctx context.Context, req *AddDocumentByFilesRequest) (*DocumentResponse, error) {
	const typ = "AddDocumentByFilesRequest"
	if err := checkContract(typ, req); err != nil {
		return nil, err
	}
	if err := checkTitle(typ, req.Title); err != nil {
		return nil, err
	}
	if len(req.Files) == 0 {
		return nil, invalid(typ+".Files", "must not be empty")
	}
	parts, err := docFields(req.ContractID, req.BizID, req.TenantName, req.Title, req.DocumentSort, req.Stampers)
	if err != nil {
		return nil, err
	}
	for i, f := range req.Files {
		if err := f.check(typ + ".Files[" + itoa(i) + "]"); err != nil {
			return nil, err
		}
		parts = append(parts, filePart("files", f))
	}
	return c.upload(ctx, "/v2/document/addbyfiles", parts)
}

func docFields(contractID, bizID ID, tenant, title string, sort *int, stampers []Stamper) ([]transport.Part, error) {
	var parts []transport.Part
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, transport.Part{Field: k, Value: v})
		}
	}
	add("contractId", string(contractID))
	add("bizId", string(bizID))
	add("tenantName", tenant)
	add("title", title)
	if sort != nil {
		add("documentSort", strconv.Itoa(*sort))
	}
	if len(stampers) > 0 {
		b, err := json.Marshal(stampers)
		if err != nil {
			return nil, invalid("Stampers", err.Error())
		}
		add("stampers", string(b))
	}
	return parts, nil
}

func filePart(field string, f File) transport.Part {
	name := path.Base(strings.ReplaceAll(f.Name, "\\", "/"))
	ct := mime.TypeByExtension(path.Ext(name))
	return transport.Part{Field: field, FileName: name, ContentType: ct,
		Reader: &capReader{r: f.Reader, left: MaxFileSize}}
}

// capReader fails the upload once more than MaxFileSize bytes were read,
// for readers whose size was unknown up front.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, ErrFileTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, ErrFileTooLarge
	}
	return n, err
}

func (c *Client) upload(ctx context.Context, p string, parts []transport.Part) (*DocumentResponse, error) {
	newBody, ct := transport.Multipart(parts)
	req := &transport.Request{Op: p, Method: http.MethodPost, Path: p, ContentType: ct, NewBody: newBody, Sign: c.sign}
	res := &DocumentResponse{}
	var env envelope
	req.Check = func(r *transport.Response) (transport.Verdict, error) { return c.check(r, &env) }
	resp, err := c.tc.Do(ctx, req)
	if err != nil {
		if errors.Is(err, ErrFileTooLarge) {
			return nil, &Error{Message: ErrFileTooLarge.Error(), Err: ErrFileTooLarge}
		}
		return nil, c.wrapErr(err)
	}
	res.Meta = env.meta(resp.StatusCode)
	if err := c.decodeResult(env.Result, res, resp.StatusCode); err != nil {
		return nil, err
	}
	return res, nil
}

// AddDocumentByTemplateRequest adds a document rendered from a template.
type AddDocumentByTemplateRequest struct {
	ContractID     ID              `json:"contractId,omitempty"`
	BizID          ID              `json:"bizId,omitempty"`
	TenantName     string          `json:"tenantName,omitempty"`
	Title          string          `json:"title"`
	TemplateID     ID              `json:"templateId"`
	TemplateParams []TemplateParam `json:"templateParams,omitempty"`
	DocumentSort   *int            `json:"documentSort,omitempty"`
	Stampers       []Stamper       `json:"stampers,omitempty"`
}

// AddDocumentByTemplate adds a template document: POST /v2/document/addbytemplate.
func (c *Client) AddDocumentByTemplate(ctx context.Context, req *AddDocumentByTemplateRequest) (*DocumentResponse, error) {
	const typ = "AddDocumentByTemplateRequest"
	if err := checkContract(typ, req); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(req.Title) == "":
		return nil, invalid(typ+".Title", "must not be empty")
	case strings.TrimSpace(string(req.TemplateID)) == "":
		return nil, invalid(typ+".TemplateID", "must not be empty")
	}
	return send[DocumentResponse](ctx, c, post("/v2/document/addbytemplate", req), self)
}
