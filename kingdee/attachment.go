package kingdee

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
)

// DefaultChunkSize is the upload chunk: Kingdee asks for files above 4 MiB
// to be sent in chunks.
const DefaultChunkSize = 4 << 20

// AttachmentUploadRequest attaches a file to a bill (AttachmentUpLoad).
type AttachmentUploadRequest struct {
	// FormID is the bill's business object.
	FormID string
	// InterID is the bill's internal id (FID).
	InterID string
	// BillNo is the bill number.
	BillNo string
	// FileName is the file's name, with extension.
	FileName string
	// AliasFileName is an optional display name.
	AliasFileName string
	// EntryKey names the entry table when the file belongs to an entry row.
	EntryKey string
	// EntryInterID is that entry row's id; empty (or -1) for the header.
	EntryInterID string
	// Body is read once, one chunk at a time; it is never held in memory whole.
	Body io.Reader
	// ChunkSize is the raw bytes per call (DefaultChunkSize when 0).
	ChunkSize int
}

// AttachmentUploadResponse identifies the stored file.
type AttachmentUploadResponse struct {
	// FileID identifies the file for AttachmentDownload.
	FileID string
	// AttachmentID is the attachment record's id, when the server sends it.
	AttachmentID string
	// Size is the number of bytes sent.
	Size int64
}

type uploadData struct {
	FileName      string `json:"FileName"`
	FormID        string `json:"FormId"`
	IsLast        bool   `json:"IsLast"`
	InterID       string `json:"InterId"`
	EntryKey      string `json:"Entrykey,omitempty"`
	EntryInterID  string `json:"EntryinterId,omitempty"`
	BillNo        string `json:"BillNO"`
	AliasFileName string `json:"AliasFileName,omitempty"`
	FileID        string `json:"FileId,omitempty"`
	SendByte      string `json:"SendByte"`
}

func (r *AttachmentUploadRequest) check() error {
	const op = "AttachmentUpLoad"
	switch {
	case r == nil:
		return inputError(op, "AttachmentUploadRequest", "required")
	case strings.TrimSpace(r.FormID) == "":
		return inputError(op, "AttachmentUploadRequest.FormID", "required")
	case strings.TrimSpace(r.InterID) == "":
		return inputError(op, "AttachmentUploadRequest.InterID", "required (the bill's FID)")
	case strings.TrimSpace(r.BillNo) == "":
		return inputError(op, "AttachmentUploadRequest.BillNo", "required")
	case strings.TrimSpace(r.FileName) == "":
		return inputError(op, "AttachmentUploadRequest.FileName", "required")
	case r.Body == nil:
		return inputError(op, "AttachmentUploadRequest.Body", "required")
	case r.ChunkSize < 0:
		return inputError(op, "AttachmentUploadRequest.ChunkSize", "must not be negative")
	}
	return nil
}

// UploadAttachment streams Body to the server in base64 chunks, one call
// per chunk, reading one chunk ahead so the last one is flagged IsLast.
// Chunks are writes and are never retried.
func (c *Client) UploadAttachment(ctx context.Context, req *AttachmentUploadRequest) (*AttachmentUploadResponse, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	size := req.ChunkSize
	if size == 0 {
		size = DefaultChunkSize
	}
	cur, next := make([]byte, size), make([]byte, size)
	n, err := io.ReadFull(req.Body, cur)
	out := &AttachmentUploadResponse{}
	for {
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return nil, &Error{Op: "AttachmentUpLoad", Message: "cannot read Body", Err: err, red: c.tc.Redactor()}
		}
		last := err != nil
		var m int
		var nerr error
		if !last {
			m, nerr = io.ReadFull(req.Body, next)
			last = m == 0 && errors.Is(nerr, io.EOF)
		}
		if err := c.uploadChunk(ctx, req, out, cur[:n], last); err != nil {
			return nil, err
		}
		if last {
			return out, nil
		}
		cur, next, n, err = next, cur, m, nerr
	}
}

func (c *Client) uploadChunk(ctx context.Context, req *AttachmentUploadRequest, out *AttachmentUploadResponse, chunk []byte, last bool) error {
	data := uploadData{FileName: req.FileName, FormID: req.FormID, IsLast: last, InterID: req.InterID,
		EntryKey: req.EntryKey, EntryInterID: req.EntryInterID, BillNo: req.BillNo,
		AliasFileName: req.AliasFileName, FileID: out.FileID, SendByte: base64.StdEncoding.EncodeToString(chunk)}
	k := dfs("AttachmentUpLoad", formData{Data: data}, false)
	body, err := c.exec(ctx, k)
	if err != nil {
		return err
	}
	var res struct {
		Result struct {
			ResponseStatus *status     `json:"ResponseStatus"`
			FileID         flex.String `json:"FileId"`
		} `json:"Result"`
	}
	if err := c.decode(k.op, body, &res); err != nil {
		return err
	}
	if res.Result.FileID != "" {
		out.FileID = string(res.Result.FileID)
	}
	if out.FileID == "" {
		return &Error{Op: k.op, HTTPStatus: 200, Message: "server returned no FileId", red: c.tc.Redactor()}
	}
	if st := res.Result.ResponseStatus; st != nil && len(st.SuccessEntitys) > 0 {
		out.AttachmentID = string(st.SuccessEntitys[0].ID)
	}
	out.Size += int64(len(chunk))
	return nil
}

// AttachmentDownloadRequest names the file to download.
type AttachmentDownloadRequest struct {
	// FileID comes from UploadAttachment or the bill's attachment list.
	FileID string
}

// AttachmentDownloadResponse describes the downloaded file.
type AttachmentDownloadResponse struct {
	// FileName is the stored file name.
	FileName string
	// FileSize is the size the server announced.
	FileSize int64
	// Written is the number of bytes written to w.
	Written int64
}

// DownloadAttachment streams a file into w, one base64 chunk per call
// (StartIndex paging), never holding the whole file. Each chunk is a read
// and may be retried.
func (c *Client) DownloadAttachment(ctx context.Context, req *AttachmentDownloadRequest, w io.Writer) (*AttachmentDownloadResponse, error) {
	if req == nil || strings.TrimSpace(req.FileID) == "" {
		return nil, inputError("AttachmentDownLoad", "AttachmentDownloadRequest.FileID", "required")
	}
	if w == nil {
		return nil, inputError("AttachmentDownLoad", "DownloadAttachment w", "required")
	}
	out := &AttachmentDownloadResponse{}
	for start := int64(0); ; {
		part, err := c.downloadChunk(ctx, req.FileID, start)
		if err != nil {
			return nil, err
		}
		if out.FileSize == 0 {
			out.FileName, out.FileSize = string(part.FileName), int64(part.FileSize)
		}
		data, derr := base64.StdEncoding.DecodeString(string(part.FilePart))
		if derr != nil {
			return nil, c.downloadErr("FilePart is not base64", derr)
		}
		if out.FileSize > 0 && out.Written+int64(len(data)) > out.FileSize {
			return nil, c.downloadErr(fmt.Sprintf("server sent more than the announced FileSize %d", out.FileSize), nil)
		}
		if _, err := w.Write(data); err != nil {
			return nil, &Error{Op: "AttachmentDownLoad", Message: "cannot write the file", Err: err, red: c.tc.Redactor()}
		}
		out.Written += int64(len(data))
		// FileSize ends the loop even when IsLast never comes.
		full := out.FileSize > 0 && out.Written == out.FileSize
		if bool(part.IsLast) || full {
			if out.FileSize > 0 && !full {
				return nil, c.downloadErr(fmt.Sprintf("file ended after %d bytes of the announced FileSize %d", out.Written, out.FileSize), nil)
			}
			return out, nil
		}
		if int64(part.StartIndex) <= start || len(data) == 0 {
			return nil, c.downloadErr("server did not advance StartIndex", nil)
		}
		start = int64(part.StartIndex)
	}
}

func (c *Client) downloadErr(msg string, err error) error {
	return &Error{Op: "AttachmentDownLoad", HTTPStatus: 200, Message: msg, Err: err, red: c.tc.Redactor()}
}

type downloadPart struct {
	StartIndex flex.Int64  `json:"StartIndex"`
	IsLast     flex.Bool   `json:"IsLast"`
	FileSize   flex.Int64  `json:"FileSize"`
	FileName   flex.String `json:"FileName"`
	FilePart   flex.String `json:"FilePart"`
}

func (c *Client) downloadChunk(ctx context.Context, fileID string, start int64) (*downloadPart, error) {
	data := struct {
		FileID     string `json:"FileId"`
		StartIndex int64  `json:"StartIndex"`
	}{fileID, start}
	k := dfs("AttachmentDownLoad", formData{Data: data}, true)
	body, err := c.exec(ctx, k)
	if err != nil {
		return nil, err
	}
	var res struct {
		Result downloadPart `json:"Result"`
	}
	if err := c.decode(k.op, body, &res); err != nil {
		return nil, err
	}
	return &res.Result, nil
}
