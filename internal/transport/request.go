package transport

import (
	"io"
	"net/http"
	"net/url"
)

// Verdict is a response check's say on retrying.
type Verdict int

// Verdicts, from never to always safe.
const (
	// Final: do not retry.
	Final Verdict = iota
	// RetryIfIdempotent: the server may have acted (5xx, an internal error
	// code); retry only calls marked Idempotent.
	RetryIfIdempotent
	// RetrySafe: the server refused before acting (429, a rate-limit code);
	// any call may be retried.
	RetrySafe
)

// Request is one logical call. Body holds the exact bytes that are signed
// and sent on every attempt; NewBody, for streams, opens a fresh body per
// attempt and fails when it cannot (a one-shot reader), which ends retrying.
type Request struct {
	Op          string // name for logs and rate-limit keys, e.g. the action
	Method      string // default POST
	BaseURL     string // overrides the client's base URL (a separate file host)
	Path        string // appended to the base URL; an absolute URL is used as is
	Query       url.Values
	Header      http.Header
	ContentType string
	Body        []byte
	NewBody     func() (io.Reader, error)
	// ContentLength, when positive, is the exact size of each NewBody
	// stream; it is sent as Content-Length instead of chunked encoding.
	ContentLength int64
	// Idempotent marks calls that may be re-sent after the server may have
	// seen them: reads, and writes the platform deduplicates by a key.
	Idempotent bool
	// Sign runs before every attempt so timestamps and nonces are fresh.
	Sign func(*Outgoing) error
	// Check turns a complete response into success, a platform error and a
	// retry verdict. Nil means: 2xx is success, 429 RetrySafe, 5xx
	// RetryIfIdempotent, anything else a KindHTTP *Error.
	Check func(*Response) (Verdict, error)
	// RateKey overrides Op as the rate-limit bucket key.
	RateKey string
	// MaxBody caps the bytes read from a JSON response (default 32 MiB).
	MaxBody int64
}

// Outgoing is what Sign may inspect and change before an attempt.
type Outgoing struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte // nil for streamed bodies
}

// Response is a completely read response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	Attempts   int
}

// Stream is a response whose body the caller reads and must close.
type Stream struct {
	StatusCode int
	Header     http.Header
	Body       io.ReadCloser
}
