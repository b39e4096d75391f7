package essbasic

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
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
// them from io.Readers: each file is base64-encoded straight into the
// request body as it is read, so it is never held twice, and a file over
// the size limit is refused before anything is sent. The body is built
// once and signed over its exact bytes (the platform signs the payload's
// SHA-256), so it must be complete before the request starts.
func (c *Client) UploadFromReader(ctx context.Context, req *UploadFromReaderRequest) (*UploadFilesResponse, error) {
	const typ = "UploadFromReaderRequest"
	if req == nil {
		return nil, errNilRequest(typ)
	}
	// Validate everything but the contents through the generated rules.
	check := UploadFilesRequest{Agent: c.agentFor(req.Agent), BusinessType: req.BusinessType, Deadline: req.Deadline}
	for _, f := range req.Files {
		check.FileInfos = append(check.FileInfos, UploadFile{FileBody: "-", FileName: f.Name})
	}
	if err := check.validate(typ); err != nil {
		return nil, err
	}
	kind := ""
	for i, f := range req.Files {
		p := typ + ".Files[" + strconv.Itoa(i) + "]"
		if f.Reader == nil {
			return nil, missing(p + ".Reader")
		}
		if strings.TrimSpace(f.Name) == "" || len([]rune(f.Name)) > 200 {
			return nil, &fieldError{p + ".Name", "want a file name of 1 to 200 characters"}
		}
		k := fileKind(f.Name)
		if kind != "" && k != kind {
			return nil, &fieldError{p + ".Name", "all files of one upload must be of the same type"}
		}
		kind = k
	}
	body, err := c.uploadBody(typ, &check, req.Files)
	if err != nil {
		return nil, err
	}
	out := new(UploadFilesResponse)
	if err := c.invokeBody(ctx, call{action: "UploadFiles", fileHost: true}, body, out); err != nil {
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

// uploadBody writes the UploadFiles JSON with each file's content encoded
// on the fly, in the generated struct's field order.
func (c *Client) uploadBody(typ string, r *UploadFilesRequest, files []UploadSource) ([]byte, error) {
	var b bytes.Buffer
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
		w := base64.NewEncoder(base64.StdEncoding, &b)
		n, err := io.Copy(w, io.LimitReader(f.Reader, limit))
		if err == nil {
			err = w.Close()
		}
		if err != nil {
			return nil, &fieldError{typ + ".Files[" + strconv.Itoa(i) + "].Reader", "cannot read: " + err.Error()}
		}
		if n >= limit { // the platform wants strictly less than the limit
			return nil, &fieldError{typ + ".Files[" + strconv.Itoa(i) + "]",
				fmt.Sprintf("%s is %d MiB or larger; the limit is under %d MiB", f.Name, limit>>20, limit>>20)}
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
	return b.Bytes(), nil
}
