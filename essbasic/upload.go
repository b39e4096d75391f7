package essbasic

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hetong-go/hetong/internal/errfmt"
)

// Upload size limits of UploadFiles: images must be smaller than 8 MB,
// documents (PDF, Word, Excel, HTML, ...) smaller than 60 MB.
const (
	MaxImageUploadSize    = 8 << 20
	MaxDocumentUploadSize = 60 << 20
)

// UploadSource is one file for [Client.UploadFromReader].
type UploadSource struct {
	// Name is the file name; its extension must say the type (".pdf",
	// ".docx", ".png", ...). At most 200 characters.
	Name string
	// Reader supplies the content; it is read once, up to the size limit.
	Reader io.Reader
}

// UploadFromReaderRequest is the input of [Client.UploadFromReader].
type UploadFromReaderRequest struct {
	// Agent: nil takes the client's default (Config.Agent).
	Agent *Agent
	// BusinessType is DOCUMENT (files to create flows from), TEMPLATE or SEAL.
	BusinessType string
	// Files: 1 to 20 files, all of the same type.
	Files []UploadSource
	// Deadline optionally sets the files' expiry (Unix seconds; whitelist feature).
	Deadline *int64
}

var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true}

// UploadFromReader uploads files to the file host (UploadFiles) reading
// them from io.Readers. The platform signs the SHA-256 of the whole body,
// so the body must be complete before the request starts: each file is
// base64-encoded as it is read into a temporary file (in os.TempDir, mode
// 0600, removed when the call returns) while the hash is computed, and the
// request then streams from that file. No file is held in memory, and a
// file over the size limit is refused before anything is sent.
func (c *Client) UploadFromReader(ctx context.Context, req *UploadFromReaderRequest) (*UploadFilesResponse, error) {
	res, err := c.uploadFromReader(ctx, req)
	return res, withOp("UploadFromReader", err)
}

func (c *Client) uploadFromReader(ctx context.Context, req *UploadFromReaderRequest) (*UploadFilesResponse, error) {
	const typ = "UploadFromReaderRequest"
	if req == nil {
		return nil, errNilRequest(typ)
	}
	// Validate everything but the contents through the generated rules.
	check := UploadFilesRequest{Agent: c.agentFor(req.Agent), BusinessType: req.BusinessType, Deadline: req.Deadline}
	for _, f := range req.Files {
		check.FileInfos = append(check.FileInfos, UploadFile{FileBody: "-", FileName: f.Name})
	}
	if err := check.validate(); err != nil {
		return nil, under(typ, err)
	}
	kind := ""
	for i, f := range req.Files {
		p := typ + ".Files[" + strconv.Itoa(i) + "]"
		if f.Reader == nil {
			return nil, missing(p + ".Reader")
		}
		if errfmt.Blank(f.Name) {
			return nil, missing(p + ".Name")
		}
		if utf8.RuneCountInString(f.Name) > 200 {
			return nil, invalid(p+".Name", errfmt.AtMostChars(200))
		}
		k := fileKind(f.Name)
		if kind != "" && k != kind {
			return nil, invalid(p+".Name", "must be of the same type as the other files")
		}
		kind = k
	}
	body, err := spoolUpload(typ, &check, req.Files)
	if err != nil {
		return nil, err
	}
	defer body.remove()
	out := new(UploadFilesResponse)
	if err := c.invokePayload(ctx, call{action: "UploadFiles", fileHost: true, returns: true}, &body.payload, out); err != nil {
		return nil, err
	}
	return out, nil
}

func fileKind(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if imageExts[ext] {
		return "image"
	}
	return ext
}

// spooled is an UploadFiles body written to a temporary file.
type spooled struct {
	payload
	path string
}

func (s *spooled) remove() { os.Remove(s.path) }

// spoolUpload writes the body to a temporary file, hashing it on the way.
func spoolUpload(typ string, r *UploadFilesRequest, files []UploadSource) (*spooled, error) {
	f, err := os.CreateTemp("", "hetong-essbasic-upload-*")
	if err != nil {
		return nil, &Error{Message: "temporary file for the upload body: " + err.Error(), Err: err}
	}
	sp := &spooled{path: f.Name()}
	h := sha256.New()
	counter := &countingWriter{}
	bw := bufio.NewWriterSize(io.MultiWriter(f, h, counter), 64<<10)
	err = writeUploadBody(bw, typ, r, files)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = &Error{Message: "writing the upload body: " + cerr.Error(), Err: cerr}
	}
	if err != nil {
		sp.remove()
		return nil, err
	}
	sp.size, sp.hash = counter.n, hex.EncodeToString(h.Sum(nil))
	sp.open = func() (io.Reader, error) { return os.Open(sp.path) } // a fresh stream per attempt
	return sp, nil
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// writeUploadBody writes the UploadFiles JSON with each file's content
// encoded on the fly, in the generated struct's field order.
func writeUploadBody(b *bufio.Writer, typ string, r *UploadFilesRequest, files []UploadSource) error {
	enc := func(v any) {
		raw, _ := json.Marshal(v) // strings, numbers and the Agent always encode
		b.Write(raw)
	}
	b.WriteString(`{"Agent":`)
	enc(r.Agent)
	b.WriteString(`,"BusinessType":`)
	enc(r.BusinessType)
	b.WriteString(`,"FileInfos":[`)
	for i, f := range files {
		if i > 0 {
			b.WriteByte(',')
		}
		limit := int64(MaxDocumentUploadSize)
		if fileKind(f.Name) == "image" {
			limit = MaxImageUploadSize
		}
		b.WriteString(`{"FileBody":"`)
		w := base64.NewEncoder(base64.StdEncoding, b)
		n, err := io.Copy(w, io.LimitReader(f.Reader, limit))
		if err == nil {
			err = w.Close()
		}
		if err != nil {
			return &Error{Message: typ + ".Files[" + strconv.Itoa(i) + "].Reader: cannot read: " + err.Error(), Err: err}
		}
		if n >= limit { // the platform wants strictly less than the limit
			return invalid(typ+".Files["+strconv.Itoa(i)+"]",
				fmt.Sprintf("must be smaller than %d MiB (%s)", limit>>20, f.Name))
		}
		b.WriteString(`","FileName":`)
		enc(f.Name)
		b.WriteByte('}')
	}
	b.WriteByte(']')
	if r.Deadline != nil {
		b.WriteString(`,"Deadline":` + strconv.FormatInt(*r.Deadline, 10))
	}
	b.WriteByte('}')
	return nil
}
