package transport

import (
	"errors"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
	"sync"
)

// ErrBodyReplay is returned by a one-shot NewBody asked for a second body.
var ErrBodyReplay = errors.New("streamed body cannot be sent twice")

// Part is one multipart/form-data part: a plain field (Value) or a file
// (FileName and Reader, read once while the request is sent).
type Part struct {
	Field       string
	Value       string
	FileName    string
	ContentType string
	Reader      io.Reader
}

// Multipart returns a NewBody func and its Content-Type for a
// multipart/form-data body that is written while it is sent, through a
// pipe: the file is never held in memory. The body can be produced once;
// a second call returns ErrBodyReplay, so the upload is never re-sent after
// it may have reached the server.
func Multipart(parts []Part) (newBody func() (io.Reader, error), contentType string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	var once sync.Once
	newBody = func() (io.Reader, error) {
		started := false
		once.Do(func() {
			started = true
			go func() { pw.CloseWithError(writeParts(mw, parts)) }()
		})
		if !started {
			return nil, ErrBodyReplay
		}
		return pr, nil
	}
	return newBody, mw.FormDataContentType()
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func writeParts(mw *multipart.Writer, parts []Part) error {
	for _, p := range parts {
		if p.Reader == nil {
			if err := mw.WriteField(p.Field, p.Value); err != nil {
				return err
			}
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+quoteEscaper.Replace(p.Field)+`"; filename="`+quoteEscaper.Replace(p.FileName)+`"`)
		ct := p.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, p.Reader); err != nil {
			return err
		}
	}
	return mw.Close()
}
