package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// Attachments parses the files of the DDAttachment field key (by ID, else
// by Name): its Value is a JSON array of {spaceId, fileId, fileName,
// fileSize, fileType}. An empty field has no files.
func (f FormValues) Attachments(key string) ([]Attachment, error) {
	v, ok := f.Get(key)
	if !ok {
		return nil, &FormError{Label: key, Err: errNoField}
	}
	if strings.TrimSpace(v.Value) == "" || strings.TrimSpace(v.Value) == "null" {
		return nil, nil
	}
	var out []Attachment
	if err := json.Unmarshal([]byte(v.Value), &out); err != nil {
		return nil, &FormError{Label: key, Value: v.Value, Err: err}
	}
	return out, nil
}

// DownloadAttachmentRequest names an attachment of an approval instance.
type DownloadAttachmentRequest struct {
	ProcessInstanceID string // required
	FileID            string // required: [Attachment].FileID
	// WithCommentAttachment also allows the files attached to comments
	// (new API only; withCommentAttatchment on the wire).
	WithCommentAttachment bool
	// OldAPI gets the URL from topapi/processinstance/file/url/get
	// ([Client.OapiGetProcessInstanceFileUrl]) instead of the new API's
	// [Client.GrantProcessInstanceForDownloadFile].
	OldAPI bool
}

// DownloadAttachment streams an instance's attachment into w and returns
// the bytes written. It asks DingTalk for a short-lived download URL (which
// also grants the app the right to the file) and streams the file from it;
// the file is never held in memory. Pass a fresh w: a failed download may
// have written part of the file.
func (c *Client) DownloadAttachment(ctx context.Context, req *DownloadAttachmentRequest, w io.Writer) (int64, error) {
	const op = "DownloadAttachment"
	switch {
	case req == nil:
		return 0, c.withOp(op, invalid("DownloadAttachmentRequest", "required"))
	case strings.TrimSpace(req.ProcessInstanceID) == "":
		return 0, c.withOp(op, invalid("DownloadAttachmentRequest.ProcessInstanceID", "required"))
	case strings.TrimSpace(req.FileID) == "":
		return 0, c.withOp(op, invalid("DownloadAttachmentRequest.FileID", "required"))
	case w == nil:
		return 0, c.withOp(op, invalid("w", "required"))
	}
	u, err := c.attachmentURL(ctx, req)
	if err != nil {
		return 0, err
	}
	if u == "" {
		return 0, &Error{Op: op, Message: "DingTalk returned no download URL", red: c.tc.Redactor()}
	}
	return c.DownloadFile(ctx, u, nil, w)
}

func (c *Client) attachmentURL(ctx context.Context, req *DownloadAttachmentRequest) (string, error) {
	if req.OldAPI {
		out, err := c.OapiGetProcessInstanceFileUrl(ctx, &OapiGetProcessInstanceFileUrlRequest{
			Request: &OapiGetProcessInstanceFileUrlRequestGrantCspaceRequest{ProcessInstanceID: req.ProcessInstanceID, FileID: req.FileID}})
		if err != nil || out.Result == nil {
			return "", err
		}
		return out.Result.DownloadURI, nil
	}
	in := &GrantProcessInstanceForDownloadFileRequest{ProcessInstanceID: req.ProcessInstanceID, FileID: req.FileID}
	if req.WithCommentAttachment {
		in.WithCommentAttatchment = ptr(true)
	}
	out, err := c.GrantProcessInstanceForDownloadFile(ctx, in)
	if err != nil || out.Result == nil {
		return "", err
	}
	return out.Result.DownloadURI, nil
}

// DownloadFile streams the file at a pre-signed URL DingTalk returned
// (a download URI, or a resource URL of [Client.GetFileDownloadInfo] with
// its headers) into w. No token is added; the URL's query, which holds its
// signature, is kept out of logs and errors.
func (c *Client) DownloadFile(ctx context.Context, fileURL string, header map[string]string, w io.Writer) (int64, error) {
	const op = "DownloadFile"
	u, err := url.Parse(fileURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, c.withOp(op, invalid("fileURL", "must be an absolute http(s) URL"))
	}
	if w == nil {
		return 0, c.withOp(op, invalid("w", "required"))
	}
	if u.RawQuery != "" {
		c.tc.Redactor().Add(u.RawQuery)
	}
	h := http.Header{}
	for k, v := range header {
		h.Set(k, v)
		c.tc.Redactor().Add(v)
	}
	n, err := c.tc.Download(ctx, &transport.Request{
		Op: op, Method: http.MethodGet, Path: u.String(), Header: h, Idempotent: true,
		Check: func(r *transport.Response) (transport.Verdict, error) {
			// Only what isFile refused gets here: an error status or a JSON document.
			msg := "download failed"
			if r.StatusCode/100 == 2 {
				msg = "expected a file, got a JSON document"
			}
			return transport.StatusVerdict(r.StatusCode), &Error{Op: op, HTTPStatus: r.StatusCode, Message: msg}
		},
	}, isFile, w)
	if err != nil {
		return n, c.wrapErr(op, err)
	}
	return n, nil
}

// isFile streams any successful response except a JSON one, which is an
// error document (it is read and passed to Check instead).
func isFile(r *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.StatusCode/100 == 2 && !strings.Contains(mt, "json")
}

// errNoField is the cause when a form lacks the field asked for.
var errNoField = errors.New("no such field")
