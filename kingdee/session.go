package kingdee

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/internal/redact"
)

// Session ids are bearer credentials. The jar below hands session cookies
// to the redactor the moment they arrive; a KDSVCSessionId in a login
// answer's body is masked by the core's redactor (a *session* field).

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
