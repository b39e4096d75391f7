package transport

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"
)

// Kind says what went wrong with a call that produced no platform answer.
type Kind int

// Kinds of transport failure.
const (
	KindNetwork  Kind = iota + 1 // no usable response: refused, reset, DNS
	KindTimeout                  // the attempt timeout or the ctx deadline passed
	KindCanceled                 // the caller's ctx was cancelled
	KindHTTP                     // an HTTP status the platform does not explain
	KindBody                     // the body could not be read or was too large
	KindNotJSON                  // a body that should be JSON is HTML or text
	KindDecode                   // JSON that does not fit the expected shape
	KindInput                    // the request could not be built
	KindNotFile                  // a download answered with a page, not a file
)

var kindNames = map[Kind]string{
	KindNetwork: "network error", KindTimeout: "timeout", KindCanceled: "canceled",
	KindHTTP: "unexpected HTTP status", KindBody: "unreadable body", KindNotJSON: "not JSON",
	KindDecode: "cannot decode response", KindInput: "bad request",
	KindNotFile: "download answered with a page instead of the file",
}

// String names the kind of failure.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "error"
}

// Error is a failed call that carries no platform error code. Its strings
// are redacted; Err is the cause (a net.Error, context.Canceled, ...).
type Error struct {
	Kind       Kind
	Method     string
	URL        string // redacted
	StatusCode int
	Attempts   int
	// Sent is true when the request may have reached the server: false
	// only when it provably did not (the connection was never made, or,
	// for non-idempotent calls, no byte of it was written).
	Sent    bool
	Excerpt string // a bounded, redacted excerpt of the body
	Err     error
}

// Error describes the failed call: method, redacted URL, kind, status and cause.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", e.Method, e.URL, e.Kind)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, "; body: %q", e.Excerpt)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Timeout reports whether the call timed out.
func (e *Error) Timeout() bool { return e.Kind == KindTimeout }

// ExcerptLen bounds body excerpts kept in errors.
const ExcerptLen = 256

// Excerpt returns at most ExcerptLen bytes of b as valid UTF-8 text.
func Excerpt(b []byte) string {
	if len(b) > ExcerptLen {
		b = b[:ExcerptLen]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
		return string(b) + "…"
	}
	return strings.ToValidUTF8(string(b), "�")
}

// IsJSON reports whether a response looks like JSON: by Content-Type when
// one is given, else by its first non-space byte.
func IsJSON(contentType string, body []byte) bool {
	if first := firstByte(body); first == '<' {
		return false // an HTML page, whatever its Content-Type claims
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		if strings.Contains(mt, "json") {
			return true
		}
		if strings.HasPrefix(mt, "text/html") || strings.HasPrefix(mt, "application/xml") {
			return false
		}
	}
	for _, c := range body {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

func ctxKind(err error) Kind {
	switch {
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	}
	var t interface{ Timeout() bool }
	if errors.As(err, &t) && t.Timeout() {
		return KindTimeout
	}
	return KindNetwork
}

// IsEmptyAnswer reports whether a body carries nothing: empty, only white
// space, `{}` or `null`. A call that must return something treats such a
// 200 as a decode error, never as success with empty ids.
func IsEmptyAnswer(b []byte) bool {
	t := strings.TrimSpace(string(b))
	if t == "" || t == "null" {
		return true
	}
	if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
		return strings.TrimSpace(t[1:len(t)-1]) == ""
	}
	return false
}
