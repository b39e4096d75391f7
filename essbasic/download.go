package essbasic

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// DownloadResource streams the file behind a resource URL the platform
// returned (DescribeResourceUrlsByFlows, UploadFiles, ...) into w and
// returns the number of bytes written. The file is never held in memory.
// The URLs are pre-signed and short-lived (5 minutes), so no API signature
// is added; the URL's query (its access key) is kept out of logs and errors.
func (c *Client) DownloadResource(ctx context.Context, resourceURL string, w io.Writer) (int64, error) {
	const op = "DownloadResource"
	u, err := url.Parse(resourceURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, &fieldError{"DownloadResource.url", "want an absolute http(s) URL"}
	}
	if w == nil {
		return 0, &fieldError{"DownloadResource.w", "must not be nil"}
	}
	if u.RawQuery != "" {
		c.tc.Redactor().Add(u.RawQuery)
	}
	n, err := c.tc.Download(ctx, &transport.Request{
		Op: op, Method: http.MethodGet, Path: u.String(), Idempotent: true,
		Check: func(r *transport.Response) (transport.Verdict, error) {
			// Only what isFile refused gets here: an error status or a JSON document.
			msg := "download failed"
			if r.StatusCode/100 == 2 {
				msg = "expected a file, got a JSON document"
			}
			return transport.StatusVerdict(r.StatusCode), &Error{Op: op, HTTPStatus: r.StatusCode,
				Message: msg, Excerpt: c.tc.Redactor().String(transport.Excerpt(r.Body))}
		},
	}, isFile, w)
	if err != nil {
		return n, c.wrap(op, err)
	}
	return n, nil
}

// isFile streams any successful response except a JSON one, which is an
// error document (it is read and passed to Check instead).
func isFile(r *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return !strings.Contains(mt, "json")
}
