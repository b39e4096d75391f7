package kingdee

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/transport"
)

// Session ids are bearer credentials. The two types below hand them to the
// redactor the moment they arrive, before the transport's debug log can
// show the answer that carries them.

// redactingJar registers session cookies as the server sets them.
type redactingJar struct {
	http.CookieJar
	red *redact.Redactor
}

// SetCookies registers session cookie values, then stores the cookies.
func (j *redactingJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	for _, ck := range cookies {
		if strings.Contains(strings.ToLower(ck.Name), "session") {
			j.red.Add(ck.Value)
		}
	}
	j.CookieJar.SetCookies(u, cookies)
}

// maxLoginAnswer bounds what the sniffer reads of a login answer.
const maxLoginAnswer = 1 << 20

// sessionSniffer reads the KDSVCSessionId of login answers (AuthService
// calls), which a server may send without a cookie, and registers it.
type sessionSniffer struct {
	next http.RoundTripper
	red  *redact.Redactor
}

// RoundTrip passes the request on and learns the session id of a login answer.
func (s *sessionSniffer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err != nil || resp.Body == nil || !strings.Contains(r.URL.Path, authService) {
		return resp, err
	}
	head, rerr := io.ReadAll(io.LimitReader(resp.Body, maxLoginAnswer))
	var answer struct {
		SessionID flex.String `json:"KDSVCSessionId"`
	}
	if json.Unmarshal(head, &answer) == nil && answer.SessionID != "" {
		s.red.Add(string(answer.SessionID))
	}
	body := io.MultiReader(bytes.NewReader(head), resp.Body)
	if rerr != nil {
		body = io.MultiReader(bytes.NewReader(head), errReader{rerr})
	}
	resp.Body = readCloser{Reader: body, Closer: resp.Body}
	return resp, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// baseTransport is the round tripper the client would use without the
// sniffer: WithTransport's, WithHTTPClient's, or a pooled default.
func baseTransport(s *transport.Settings) http.RoundTripper {
	switch {
	case s.Transport != nil:
		return s.Transport
	case s.HTTPClient != nil && s.HTTPClient.Transport != nil:
		return s.HTTPClient.Transport
	case s.HTTPClient != nil:
		return http.DefaultTransport // what that client would have used
	}
	// The core's default: net/http's, keeping idle connections for
	// concurrent callers.
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}
