package qiyuesuo

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// MaxFileSize is the limit for one uploaded file (the SDK's documented
// 30 MB; the platform's own docs say 50 MB for some calls).
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

// check validates a file field: required says an absent file is an error.
func (f File) check(field string, required bool) error {
	if f.Reader == nil {
		if required {
			return &fieldError{field: field, rule: "required"}
		}
		return nil
	}
	if strings.TrimSpace(f.Name) == "" {
		return &fieldError{field: field + ".Name", rule: "required"}
	}
	if f.size() > MaxFileSize {
		return &fieldError{field: field, rule: "at most 30 MB", cause: ErrFileTooLarge}
	}
	return nil
}

// formBuilder collects the parts of a multipart body in order.
type formBuilder struct {
	parts []transport.Part
	err   error
}

func (f *formBuilder) text(field, v string) {
	if v != "" {
		f.parts = append(f.parts, transport.Part{Field: field, Value: v})
	}
}

// value writes a number, bool or time in its wire form.
func (f *formBuilder) value(field string, v any) {
	switch x := v.(type) {
	case bool:
		f.text(field, strconv.FormatBool(x))
	case int:
		f.text(field, strconv.Itoa(x))
	case int64:
		f.text(field, strconv.FormatInt(x, 10))
	case float64:
		f.text(field, strconv.FormatFloat(x, 'f', -1, 64))
	case DateTime:
		f.text(field, x.String())
	default:
		f.text(field, fmt.Sprint(x))
	}
}

// json writes an object or list as one form field holding JSON, the way
// the platform reads stampers, receivers, invalidInfo, operatorInfo.
func (f *formBuilder) json(field string, v any) {
	b, err := marshal(v)
	if err != nil && f.err == nil {
		f.err = &fieldError{field: field, rule: "cannot encode: " + err.Error()}
	}
	f.text(field, string(b))
}

func (f *formBuilder) file(field string, file File) {
	if file.Reader == nil {
		return
	}
	name := path.Base(strings.ReplaceAll(file.Name, "\\", "/"))
	f.parts = append(f.parts, transport.Part{Field: field, FileName: name, ContentType: mime.TypeByExtension(path.Ext(name)),
		Reader: &capReader{r: file.Reader, left: MaxFileSize}})
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
