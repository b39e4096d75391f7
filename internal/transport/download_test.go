package transport

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// anyBody treats every 2xx as the file, as a package that trusts the
// status would: the sniffing is what stops error pages.
func anyBody(*http.Response) bool { return true }

func TestDownloadNeverSavesAnErrorPage(t *testing.T) {
	pages := map[string]struct{ ct, body string }{
		"/waf":       {"text/html; charset=utf-8", "<html><body>请登录</body></html>"},
		"/html-lies": {"application/pdf", "\n  <!DOCTYPE html><html>login</html>"},
		"/json-noct": {"", `{"code":1001,"message":"文件不存在"}`},
		"/json-oct":  {"application/octet-stream", `{"code":1001,"message":"文件不存在"}`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := pages[r.URL.Path]
		w.Header()["Content-Type"] = nil // no sniffed type from net/http
		if p.ct != "" {
			w.Header().Set("Content-Type", p.ct)
		}
		_, _ = w.Write([]byte(p.body))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	platformErr := errors.New("platform error 1001")
	check := func(r *Response) (Verdict, error) {
		if bytes.Contains(r.Body, []byte(`"code":1001`)) {
			return Final, platformErr
		}
		return Final, nil
	}
	for path := range pages {
		var out bytes.Buffer
		_, err := c.Download(context.Background(), &Request{Method: http.MethodGet, Path: path, Idempotent: true, Check: check}, anyBody, &out)
		require.Error(t, err, path)
		assert.Zero(t, out.Len(), "%s: nothing may reach the writer", path)
		if path == "/json-noct" || path == "/json-oct" {
			assert.ErrorIs(t, err, platformErr, "%s: a JSON envelope is decoded as the platform's error", path)
		} else {
			var te *Error
			require.ErrorAs(t, err, &te, path)
			assert.Equal(t, KindNotFile, te.Kind, path)
		}
	}
}

func TestDownloadKeepsSmallAndXMLFiles(t *testing.T) {
	files := map[string]struct{ ct, body string }{
		"/tiny": {"application/pdf", "%PDF"},
		"/xml":  {"application/xml", "<?xml version='1.0'?><ofd/>"},
		"/zip":  {"application/zip", "PK\x03\x04" + string(bytes.Repeat([]byte{0}, 4000))},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := files[r.URL.Path]
		w.Header().Set("Content-Type", f.ct)
		_, _ = w.Write([]byte(f.body))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	for path, f := range files {
		var out bytes.Buffer
		n, err := c.Download(context.Background(), &Request{Method: http.MethodGet, Path: path, Idempotent: true}, anyBody, &out)
		require.NoError(t, err, path)
		assert.Equal(t, int64(len(f.body)), n)
		assert.Equal(t, f.body, out.String(), "the sniffed head is passed on")
	}
}

// TestStalledDownloadFails: a server that sends part of a file and then
// nothing must not hang a call whose ctx has no deadline.
func TestStalledDownloadFails(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(bytes.Repeat([]byte("%PDF"), 1000))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL, func(s *Settings) { require.NoError(t, s.SetIdleTimeout(100*time.Millisecond)) })
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		_, err := c.Download(context.Background(), &Request{Method: http.MethodGet, Path: "/f", Idempotent: true}, anyBody, &out)
		done <- err
	}()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "stalled")
		assert.Equal(t, 4000, out.Len(), "what arrived was written")
	case <-time.After(10 * time.Second):
		t.Fatal("a stalled body hung the download")
	}
}
