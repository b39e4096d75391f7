package essbasic

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/transport"
)

// DownloadResource streams the file behind a resource URL the platform
// returned (DescribeResourceUrlsByFlows, UploadFiles, ...) into w and
// returns the number of bytes written. The file is never held in memory.
// The URLs are pre-signed and short-lived (5 minutes), so no API signature
// is added; the URL's query (its access key) is kept out of logs and errors.
//
// An error page is never saved as the file: a non-2xx answer, a JSON
// document, or an HTML (login, WAF) page served with 200 is looked at
// before the first byte reaches w and returned as an *Error (with the
// platform's Code when it is the platform's error envelope). A body that
// stalls fails after the idle timeout ([WithIdleTimeout]).
func (c *Client) DownloadResource(ctx context.Context, resourceURL string, w io.Writer) (int64, error) {
	const op = "DownloadResource"
	u, err := url.Parse(resourceURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, withOp(op, invalid("resourceURL", "must be an absolute http(s) URL"))
	}
	if w == nil {
		return 0, withOp(op, invalid("w", errfmt.Required))
	}
	if u.RawQuery != "" {
		c.tc.Redactor().Add(u.RawQuery)
	}
	n, err := c.tc.Download(ctx, &transport.Request{
		Op: op, Method: http.MethodGet, Path: u.String(), Idempotent: true,
		Check: func(r *transport.Response) (transport.Verdict, error) { return c.downloadFailure(op, r) },
	}, isFile, w)
	if err != nil {
		return n, c.wrap(op, err)
	}
	return n, nil
}

// downloadFailure explains a download answer that is not the file; it is
// only called for those (an error status, a JSON document, a sniffed page).
func (c *Client) downloadFailure(op string, r *transport.Response) (transport.Verdict, error) {
	verdict := transport.StatusVerdict(r.StatusCode)
	if transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		if h, ok := parseHead(r.Body); ok && h.Error != nil && h.Error.Code != "" {
			return codeVerdict(h.Error.Code, r.StatusCode), &Error{Op: op, Code: h.Error.Code,
				Message: c.tc.Redactor().String(h.Error.Message), RequestID: h.RequestID, HTTPStatus: r.StatusCode}
		}
	}
	msg := "download failed"
	switch {
	case r.StatusCode/100 != 2:
	case transport.IsJSON(r.Header.Get("Content-Type"), r.Body):
		msg = "expected a file, got a JSON document"
	default:
		msg = transport.KindNotFile.String()
	}
	return verdict, c.answerError(op, r, msg, nil)
}

// isFile streams any successful response except a JSON one, which is an
// error document (it is read and passed to Check instead). The transport
// also sniffs the first bytes of what it streams, so an HTML page or a JSON
// envelope sent as a file type never reaches the writer either.
func isFile(r *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return !strings.Contains(mt, "json")
}
