// Package redact is the one place that knows what is secret: header names,
// JSON fields and query keys that carry credentials, plus the literal secret
// values a client was configured with. Every log line and every error string
// the SDK produces passes through a [Redactor].
package redact

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Mask replaces every redacted value.
const Mask = "***"

// secretKeys are lowercase name fragments of headers, query keys, JSON
// fields and log attributes whose values are never shown.
var secretKeys = []string{
	"secret", "token", "password", "passwd", "signature", "sign", "authorization",
	"cookie", "aeskey", "encodingaeskey", "appsecret", "secretkey", "credential",
	"kdservicesessionid", "asp.net_sessionid", "x-api-signature", "x-kd-signature", "ticket",
}

// notSecretSuffixes name fields that merely mention a secret word: an id,
// a type, a URL or a time is not a credential (SignId, token_type, signUrl).
var notSecretSuffixes = []string{"id", "ids", "type", "url", "urls", "time", "status", "count", "name"}

// IsSecretKey reports whether a header, query key, JSON field or log
// attribute with this name must be masked.
func IsSecretKey(name string) bool {
	n := strings.ToLower(name)
	if n == "token_type" || n == "expires_in" {
		return false
	}
	if strings.Contains(n, "session") || strings.Contains(n, "cookie") {
		return true // session ids are bearer credentials
	}
	for _, suf := range notSecretSuffixes {
		if strings.HasSuffix(n, suf) && !strings.HasSuffix(n, "secret"+suf) {
			return false
		}
	}
	for _, k := range secretKeys {
		if strings.Contains(n, k) {
			return true
		}
	}
	return false
}

// jsonSecret matches "key": "value" pairs whose key is secret.
var jsonSecret = regexp.MustCompile(`(?i)"([a-z0-9_\-.]*(?:secret|token|password|passwd|sign|signature|authorization|cookie|aeskey|credential|session|ticket)[a-z0-9_\-.]*)"\s*:\s*"(?:[^"\\]|\\.)*"`)

// querySecret matches key=value pairs in URLs and form bodies.
var querySecret = regexp.MustCompile(`(?i)([?&;\s]|^)([a-z0-9_\-.]*(?:secret|token|password|passwd|sign|signature|credential|session|ticket)[a-z0-9_\-.]*)=([^&\s"]*)`)

// LearnedTTL is how long a value registered with [Redactor.Add] stays
// masked: longer than any token or session the platforms hand out lives.
const LearnedTTL = 24 * time.Hour

// maxLearned bounds the learned values kept; past it, the ones that
// expired first go (they are the longest expired).
const maxLearned = 4096

// Redactor masks known secrets. It is safe for concurrent use; the zero
// value masks by key only.
//
// The values a client was constructed with (app secrets, passwords) are
// masked for the life of the process. Values learned later (tokens,
// session ids) rotate out only after they expired.
type Redactor struct {
	mu        sync.RWMutex
	permanent []string
	learned   map[string]time.Time // value → masked until
	swept     time.Time            // when expired values were last dropped
	now       func() time.Time
}

// sweepEvery spaces out the scans for expired learned values, so that a
// burst of new values costs O(1) each.
const sweepEvery = time.Minute

// New returns a Redactor that masks each literal value in secrets for its
// whole life (empty strings and very short values are ignored).
func New(secrets ...string) *Redactor {
	r := &Redactor{learned: map[string]time.Time{}, now: time.Now}
	for _, s := range secrets {
		if len(s) >= 4 && !slices.Contains(r.permanent, s) {
			r.permanent = append(r.permanent, s)
		}
	}
	return r
}

// Add registers values learned at run time, e.g. a freshly fetched access
// token, masked for [LearnedTTL].
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	until := r.clock().Add(LearnedTTL)
	for _, s := range secrets {
		r.Learn(s, until)
	}
}

// Learn registers a value learned at run time that stays masked at least
// until its expiry (plus a margin for clock skew).
func (r *Redactor) Learn(secret string, expiry time.Time) {
	if r == nil || len(secret) < 4 {
		return
	}
	now := r.clock()
	if expiry.Before(now.Add(time.Hour)) {
		expiry = now.Add(time.Hour)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.learned == nil {
		r.learned = map[string]time.Time{}
	}
	if old, ok := r.learned[secret]; !ok || old.Before(expiry) {
		r.learned[secret] = expiry
	}
	r.evict(now)
}

// evict drops learned values whose time is up (at most once a minute),
// and the earliest-expiring ones beyond maxLearned. Construction secrets
// are never evicted.
func (r *Redactor) evict(now time.Time) {
	if now.Sub(r.swept) >= sweepEvery {
		r.swept = now
		for v, until := range r.learned {
			if now.After(until) {
				delete(r.learned, v)
			}
		}
	}
	for len(r.learned) > maxLearned {
		var oldest string
		var at time.Time
		for v, until := range r.learned {
			if oldest == "" || until.Before(at) {
				oldest, at = v, until
			}
		}
		delete(r.learned, oldest)
	}
}

func (r *Redactor) clock() time.Time {
	if r.now == nil {
		return time.Now()
	}
	return r.now()
}

// Note for struct authors: fmt never calls the methods of an unexported
// field, so a Secret inside a struct protects `%v` of that struct only
// when the field is exported or the struct formats itself.

// String masks registered secret values and secret-looking key/value pairs.
func (r *Redactor) String(s string) string {
	if r != nil {
		r.mu.RLock()
		for _, sec := range r.permanent {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, Mask)
			}
		}
		for sec := range r.learned {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, Mask)
			}
		}
		r.mu.RUnlock()
	}
	s = jsonSecret.ReplaceAllStringFunc(s, func(m string) string {
		key := jsonSecret.FindStringSubmatch(m)[1]
		if !IsSecretKey(key) {
			return m
		}
		return `"` + key + `":"` + Mask + `"`
	})
	s = querySecret.ReplaceAllStringFunc(s, func(m string) string {
		sub := querySecret.FindStringSubmatch(m)
		if !IsSecretKey(sub[2]) {
			return m
		}
		return sub[1] + sub[2] + "=" + Mask
	})
	return s
}

// URL returns u as a string with secret query values masked.
func (r *Redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	q := c.Query()
	for k := range q {
		if IsSecretKey(k) {
			q[k] = []string{Mask}
		}
	}
	c.RawQuery = q.Encode()
	return r.String(c.String())
}

// Header returns a copy of h with secret headers masked.
func (r *Redactor) Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		if IsSecretKey(k) {
			out[k] = []string{Mask}
			continue
		}
		vv := make([]string, len(v))
		for i := range v {
			vv[i] = r.String(v[i])
		}
		out[k] = vv
	}
	return out
}

// Handler wraps an slog.Handler so that every record's message and
// attributes pass through the Redactor.
func (r *Redactor) Handler(next slog.Handler) slog.Handler {
	return &handler{next: next, r: r}
}

// Logger returns a logger whose output is redacted; nil l yields a logger
// that discards everything.
func (r *Redactor) Logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(discard{})
	}
	return slog.New(r.Handler(l.Handler()))
}

type handler struct {
	next slog.Handler
	r    *Redactor
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *handler) attr(a slog.Attr) slog.Attr {
	if IsSecretKey(a.Key) {
		return slog.String(a.Key, Mask)
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		attrs := v.Group()
		out := make([]any, len(attrs))
		for i, g := range attrs {
			out[i] = h.attr(g)
		}
		return slog.Group(a.Key, out...)
	case slog.KindString:
		return slog.String(a.Key, h.r.String(v.String()))
	case slog.KindAny:
		return slog.String(a.Key, h.r.String(v.String()))
	}
	return a
}

func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = h.attr(a)
	}
	return &handler{next: h.next.WithAttrs(red), r: h.r}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{next: h.next.WithGroup(name), r: h.r}
}

type discard struct{}

func (discard) Enabled(context.Context, slog.Level) bool  { return false }
func (discard) Handle(context.Context, slog.Record) error { return nil }
func (d discard) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discard) WithGroup(string) slog.Handler           { return d }

// Secret holds a credential inside a struct that may be printed: every
// fmt verb shows [Mask], so `%v`, `%+v` and `%#v` of a client never leak
// it. Convert with string(s) where the value is needed.
type Secret string

// String returns the mask.
func (Secret) String() string { return Mask }

// GoString returns the mask.
func (Secret) GoString() string { return `"` + Mask + `"` }

// Format writes the mask for every verb.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Mask)) }

// MarshalJSON writes the mask, so a secret never reaches a JSON dump either.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Mask + `"`), nil }
