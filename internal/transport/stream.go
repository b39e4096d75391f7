package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
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

// sniffLen is how much of a download is looked at before its first byte
// reaches the caller's writer.
const sniffLen = 512

// sniffErrorPage reads the first bytes of a download and reports whether
// they are an error page rather than a file: an HTML page (a login or WAF
// page served with 200), or a JSON envelope (an error sent with a 200 and
// no or a wrong Content-Type). head holds the bytes read; they must be
// passed on before the rest of the body.
func sniffErrorPage(contentType string, body io.Reader) (head []byte, page bool) {
	buf := make([]byte, sniffLen)
	n, _ := io.ReadAtLeast(body, buf, sniffLen) // a short file is fine; errors surface on the next read
	head = buf[:n]
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && strings.HasPrefix(mt, "text/html") {
		return head, true
	}
	switch firstByte(head) {
	case '{':
		return head, true
	case '<':
		mt, _, _ := mime.ParseMediaType(contentType)
		if strings.Contains(mt, "xml") {
			return head, false
		}
		lower := bytes.ToLower(bytes.TrimLeft(head, " \t\r\n"))
		return head, bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) ||
			bytes.HasPrefix(lower, []byte("<head")) || bytes.HasPrefix(lower, []byte("<body")) || bytes.HasPrefix(lower, []byte("<!--"))
	}
	return head, false
}

// prefixedBody replays the sniffed head, then the rest of the body.
type prefixedBody struct {
	head []byte
	body io.ReadCloser
}

func (p *prefixedBody) Read(b []byte) (int, error) {
	if len(p.head) > 0 {
		n := copy(b, p.head)
		p.head = p.head[n:]
		return n, nil
	}
	return p.body.Read(b)
}

func (p *prefixedBody) Close() error { return p.body.Close() }

// watchedBody reports progress to the idle watchdog, says "stalled" when
// the watchdog fired, and ends the attempt when closed.
type watchedBody struct {
	rc       io.ReadCloser
	progress func()
	actx     context.Context
	cancel   func()
	once     sync.Once
}

func (w *watchedBody) Read(b []byte) (int, error) {
	n, err := w.rc.Read(b)
	if n > 0 {
		w.progress()
	}
	if err != nil && err != io.EOF {
		if cause := context.Cause(w.actx); cause != nil && errors.As(cause, new(stalled)) {
			err = cause
		}
	}
	return n, err
}

func (w *watchedBody) Close() error {
	err := w.rc.Close()
	w.once.Do(w.cancel)
	return err
}
