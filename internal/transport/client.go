package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/hetong-go/hetong/internal/redact"
)

// DefaultMaxBody caps a JSON response body.
const DefaultMaxBody = 32 << 20

// Client runs calls for one platform client. It is configured once in New
// and never mutated afterwards, so it is safe for concurrent use.
type Client struct {
	rc       *resty.Client
	base     string
	ua       string
	retry    RetryPolicy
	timeout  time.Duration
	limiter  RateLimiter
	perKey   bool
	ns       string
	maxBody  int64
	idle     time.Duration
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	log      *slog.Logger
	redactor *redact.Redactor
}

// New builds a Client from settings that have had their Defaults applied.
// secrets are literal values (app secrets, passwords) that must never
// appear in a log line or error string.
func New(s Settings, secrets ...string) (*Client, error) {
	if s.Retry.MaxAttempts < 1 {
		s.Retry = DefaultRetry
	}
	if s.Timeout <= 0 {
		s.Timeout = DefaultTimeout
	}
	if s.Clock == nil {
		s.Clock = time.Now
	}
	if s.UserAgent == "" {
		s.UserAgent = UserAgent
	}
	hc := &http.Client{Transport: defaultTransport()}
	if s.HTTPClient != nil {
		copied := *s.HTTPClient // never modify the caller's client
		hc = &copied
	}
	if s.Transport != nil {
		hc.Transport = s.Transport
	}
	if s.CookieJar != nil {
		hc.Jar = s.CookieJar
	}
	rc := resty.NewWithClient(hc)
	rc.SetRetryCount(0)
	rc.SetLogger(quietLogger{})
	rc.SetRedirectPolicy(resty.NoRedirectPolicy())
	rc.SetPreRequestHook(setStreamBody)
	red := redact.New(secrets...)
	var limiter RateLimiter = s.RateLimiter
	if limiter == nil {
		if l := NewLimiter(s.RateLimit, nil); l != nil {
			limiter = l
		}
	}
	if s.MaxBody <= 0 {
		s.MaxBody = DefaultMaxBody
	}
	if s.IdleTimeout <= 0 {
		s.IdleTimeout = DefaultIdleTimeout
	}
	return &Client{
		rc: rc, base: s.BaseURL, ua: s.UserAgent, retry: s.Retry, timeout: s.Timeout,
		limiter: limiter, perKey: s.RateLimit.PerKey, ns: s.Namespace, maxBody: s.MaxBody, idle: s.IdleTimeout,
		now: s.Clock, sleep: sleepCtx, log: red.Logger(s.Logger), redactor: red,
	}, nil
}

// rateKey names the budget a request spends: "<namespace>:<bucket>".
func (c *Client) rateKey(req *Request) string {
	bucket := "all"
	if c.perKey {
		bucket = req.RateKey
		if bucket == "" {
			bucket = req.Op
		}
	}
	if c.ns == "" {
		return bucket
	}
	return c.ns + ":" + bucket
}

// defaultTransport is a client's own connection pool when the user gives
// none: net/http's defaults, but keeping enough idle connections per host
// that concurrent callers reuse them instead of dialling anew (the default
// keeps 2, which under load means a new TCP connection per call).
func defaultTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// CloseIdleConnections closes the client's idle keep-alive connections.
func (c *Client) CloseIdleConnections() { c.rc.GetClient().CloseIdleConnections() }

// HTTPClient returns the *http.Client requests go through (the user's
// WithHTTPClient/WithTransport choice), for connections the transport does
// not make itself, such as a WebSocket dial.
func (c *Client) HTTPClient() *http.Client { return c.rc.GetClient() }

// Redactor returns the client's redactor, for platform error strings and
// for registering secrets learned later (tokens, session IDs).
func (c *Client) Redactor() *redact.Redactor { return c.redactor }

// Logger returns the client's redacted logger.
func (c *Client) Logger() *slog.Logger { return c.log }

// Now returns the client's clock reading.
func (c *Client) Now() time.Time { return c.now() }

// BaseURL returns the configured base URL.
func (c *Client) BaseURL() string { return c.base }

// Do runs req until it succeeds, fails finally or runs out of attempts,
// and returns the completely read response.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	res, err := c.run(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	return res.resp, nil
}

// Open is Do for downloads: when a 2xx response satisfies isStream, its
// body is handed over unread and the caller must close it. Any other
// response is read (bounded) and passed to req.Check, so JSON error bodies
// still become platform errors.
func (c *Client) Open(ctx context.Context, req *Request, isStream func(*http.Response) bool) (*Stream, error) {
	res, err := c.run(ctx, req, isStream)
	if err != nil {
		return nil, err
	}
	if res.stream != nil {
		return res.stream, nil
	}
	r := res.resp
	return &Stream{StatusCode: r.StatusCode, Header: r.Header, Body: io.NopCloser(bytes.NewReader(r.Body))}, nil
}

// Download streams a successful response into w and returns the bytes written.
func (c *Client) Download(ctx context.Context, req *Request, isStream func(*http.Response) bool, w io.Writer) (int64, error) {
	st, err := c.Open(ctx, req, isStream)
	if err != nil {
		return 0, err
	}
	defer st.Body.Close()
	n, err := io.Copy(w, st.Body)
	if err != nil {
		kind := ctxOr(ctx, KindBody)
		if errors.As(err, new(stalled)) {
			kind = KindTimeout
		}
		return n, &Error{Kind: kind, Method: method(req), URL: c.redactor.String(req.Path), StatusCode: st.StatusCode, Sent: true, Err: err}
	}
	return n, nil
}

func ctxOr(ctx context.Context, k Kind) Kind {
	if err := ctx.Err(); err != nil {
		return ctxKind(err)
	}
	return k
}

type outcome struct {
	resp       *Response
	stream     *Stream
	verdict    Verdict
	sent       bool
	retryAfter time.Duration
	err        error
}

func method(req *Request) string {
	if req.Method == "" {
		return http.MethodPost
	}
	return req.Method
}

func (c *Client) run(ctx context.Context, req *Request, isStream func(*http.Response) bool) (outcome, error) {
	if ctx == nil {
		return outcome{}, &Error{Kind: KindInput, Method: method(req), URL: req.Path, Err: errors.New("nil context")}
	}
	key := c.rateKey(req)
	var prev outcome
	for n := 1; ; n++ {
		if err := c.wait(ctx, key); err != nil {
			return outcome{}, &Error{Kind: ctxKind(err), Method: method(req), URL: c.redactor.String(req.Path), Attempts: n - 1, Err: err}
		}
		o := c.once(ctx, req, n, isStream)
		if o.err == nil {
			return o, nil
		}
		if n > 1 && errors.Is(o.err, ErrBodyReplay) {
			return prev, prev.err // a one-shot stream cannot be re-sent: report why we tried
		}
		prev = o
		if !c.retryable(req, o) || n >= c.retry.MaxAttempts {
			return o, o.err
		}
		if err := ctx.Err(); err != nil {
			// Cancelled between attempts: say so rather than report the
			// answer we would have retried.
			return o, &Error{Kind: ctxKind(err), Method: method(req), URL: c.redactor.String(req.Path), Attempts: n, Sent: o.sent, Err: err}
		}
		wait := c.backoff(n, o.retryAfter)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return o, o.err // waiting would outlive the caller's deadline
		}
		c.log.LogAttrs(ctx, slog.LevelInfo, "hetong: retrying", slog.String("op", req.Op),
			slog.Int("attempt", n), slog.Duration("wait", wait), slog.String("error", o.err.Error()))
		if err := c.sleep(ctx, wait); err != nil {
			return o, &Error{Kind: ctxKind(err), Method: method(req), URL: c.redactor.String(req.Path), Attempts: n, Sent: o.sent, Err: err}
		}
	}
}

func (c *Client) wait(ctx context.Context, key string) error {
	if c.limiter == nil {
		return ctx.Err()
	}
	return c.limiter.Wait(ctx, key)
}

func (c *Client) retryable(req *Request, o outcome) bool {
	switch o.verdict {
	case RetrySafe:
		return true
	case RetryIfIdempotent:
		return req.Idempotent
	}
	var te *Error
	if errors.As(o.err, &te) && o.resp == nil {
		switch te.Kind {
		case KindNetwork, KindTimeout, KindBody:
			// No usable response: safe when nothing reached the server, else only idempotent.
			return !o.sent || req.Idempotent
		}
	}
	return false
}

// backoff returns the wait before attempt n+1: exponential with full
// jitter in [d/2, d], or the server's Retry-After, both capped by MaxDelay.
func (c *Client) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, c.retry.MaxDelay)
	}
	d := c.retry.BaseDelay << (n - 1)
	if d <= 0 || d > c.retry.MaxDelay {
		d = c.retry.MaxDelay
	}
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)+1))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// attemptTimeout is the cause of an attempt that ran out of the client's
// timeout. It is a context.DeadlineExceeded, so callers can test for
// timeouts one way whichever deadline ran out.
type attemptTimeout struct{}

func (attemptTimeout) Error() string        { return "attempt timed out" }
func (attemptTimeout) Is(target error) bool { return target == context.DeadlineExceeded }
func (attemptTimeout) Timeout() bool        { return true }

var errAttemptTimeout error = attemptTimeout{}

// attemptContext bounds one attempt by the client's timeout. A JSON call's
// deadline covers the whole exchange; a stream's covers only the wait for
// the headers (headersIn stops it), since a large download may take longer.
//
// Once a stream's headers are in, an idle watchdog takes over: a body that
// delivers no byte for the idle timeout fails, even when the caller's ctx
// has no deadline. headersIn returns the func that reports progress.
func (c *Client) attemptContext(ctx context.Context, stream bool) (actx context.Context, headersIn func() (progress func()), cancel func()) {
	if !stream {
		actx, cancel = context.WithTimeoutCause(ctx, c.timeout, errAttemptTimeout)
		return actx, func() func() { return func() {} }, cancel
	}
	cctx, cancelCause := context.WithCancelCause(ctx)
	timer := time.AfterFunc(c.timeout, func() { cancelCause(errAttemptTimeout) })
	var idle *time.Timer
	var mu sync.Mutex
	headersIn = func() func() {
		timer.Stop()
		mu.Lock()
		idle = time.AfterFunc(c.idle, func() { cancelCause(stalled{c.idle}) })
		mu.Unlock()
		return func() { idle.Reset(c.idle) }
	}
	cancel = func() {
		timer.Stop()
		mu.Lock()
		if idle != nil {
			idle.Stop()
		}
		mu.Unlock()
		cancelCause(nil)
	}
	return cctx, headersIn, cancel
}

// stalled is the cause of a streamed body that made no progress for the
// idle timeout; like an attempt timeout it is a context.DeadlineExceeded.
type stalled struct{ after time.Duration }

func (e stalled) Error() string      { return fmt.Sprintf("stream stalled: no data for %v", e.after) }
func (stalled) Is(target error) bool { return target == context.DeadlineExceeded }
func (stalled) Timeout() bool        { return true }

// RelativePath refuses an absolute URL where only a path on the configured
// host is allowed (raw calls): a signed request never leaves that host.
func RelativePath(p string) error {
	u, err := url.Parse(p)
	if err != nil {
		return fmt.Errorf("path %q: %w", p, err)
	}
	if u.IsAbs() || u.Host != "" || strings.HasPrefix(p, "//") {
		return fmt.Errorf("path %q: want a path on the configured host, not an absolute URL", p)
	}
	return nil
}

func (c *Client) buildURL(req *Request) (*url.URL, error) {
	raw := req.Path
	if !strings.HasPrefix(raw, "http://") && !strings.HasPrefix(raw, "https://") {
		base := req.BaseURL
		if base == "" {
			base = c.base
		}
		if base == "" {
			return nil, errors.New("no base URL configured")
		}
		raw = strings.TrimRight(base, "/") + "/" + strings.TrimLeft(raw, "/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if len(req.Query) > 0 {
		q := u.Query()
		for k, v := range req.Query {
			q[k] = append([]string(nil), v...)
		}
		u.RawQuery = q.Encode()
	}
	return u, nil
}

// once runs one attempt.
func (c *Client) once(ctx context.Context, req *Request, n int, isStream func(*http.Response) bool) outcome {
	m := method(req)
	u, err := c.buildURL(req)
	if err != nil {
		return outcome{err: &Error{Kind: KindInput, Method: m, URL: c.redactor.String(req.Path), Err: err}}
	}
	out := &Outgoing{Method: m, URL: u, Header: http.Header{}, Body: req.Body}
	for k, v := range req.Header {
		out.Header[k] = append([]string(nil), v...)
	}
	out.Header.Set("User-Agent", c.ua)
	if req.ContentType != "" {
		out.Header.Set("Content-Type", req.ContentType)
	}
	if req.Sign != nil {
		if err := req.Sign(out); err != nil {
			return outcome{err: &Error{Kind: KindInput, Method: m, URL: c.redactor.URL(u), Err: err}}
		}
	}
	// Redaction runs regexps: only pay for it when an error or a log line needs the URL.
	shownURL := func() string { return c.redactor.URL(out.URL) }
	var body io.Reader
	if req.NewBody != nil {
		if body, err = req.NewBody(); err != nil {
			return outcome{err: &Error{Kind: KindInput, Method: m, URL: shownURL(), Attempts: n, Err: err}}
		}
	}

	actx, headersIn, cancel := c.attemptContext(ctx, isStream != nil)
	// Whether a failed request may have reached the server decides if a
	// non-idempotent call may be retried, so trace those writes exactly;
	// for idempotent calls (which retry either way) the error tells enough.
	var wrote atomic.Bool
	traced := !req.Idempotent
	if traced {
		trace := &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }}
		actx = httptrace.WithClientTrace(actx, trace)
	}
	if body != nil {
		// resty reads any io.Reader body whole into memory (to offer
		// GetBody); a stream goes past it, installed by setStreamBody.
		st := &streamBody{r: body, n: req.ContentLength}
		defer st.close() // if the request never got as far as sending it
		actx = context.WithValue(actx, streamBodyKey{}, st)
	}
	r := c.rc.R().SetContext(actx).SetDoNotParseResponse(true)
	r.Header = out.Header
	if body == nil && out.Body != nil {
		// A fresh reader per attempt: net/http sets Content-Length from it,
		// and resty passes it through without copying into its own buffer.
		r.SetBody(bytes.NewReader(out.Body))
	}

	start := c.now()
	debug := c.log.Enabled(ctx, slog.LevelDebug)
	if debug {
		c.log.LogAttrs(ctx, slog.LevelDebug, "hetong: request", slog.String("op", req.Op), slog.String("method", m),
			slog.String("url", shownURL()), slog.Int("attempt", n), slog.String("body", c.redactor.String(Excerpt(out.Body))))
	}
	rr, err := r.Execute(m, out.URL.String())
	var raw *http.Response
	if rr != nil {
		raw = rr.RawResponse
	}
	if err != nil || raw == nil {
		cancel()
		if raw != nil && raw.Body != nil {
			raw.Body.Close()
		}
		sent := wrote.Load()
		if !traced {
			sent = !isDialError(err)
		}
		return outcome{sent: sent, err: c.netError(ctx, actx, m, shownURL(), n, sent, err)}
	}

	pageInstead := false
	if isStream != nil && raw.StatusCode/100 == 2 && isStream(raw) {
		progress := headersIn() // the caller's ctx and the idle watchdog govern the body from here on
		body := &watchedBody{rc: raw.Body, progress: progress, actx: actx, cancel: cancel}
		head, page := sniffErrorPage(raw.Header.Get("Content-Type"), body)
		if !page {
			if debug {
				c.log.LogAttrs(ctx, slog.LevelDebug, "hetong: stream", slog.String("op", req.Op), slog.Int("status", raw.StatusCode))
			}
			return outcome{sent: true, stream: &Stream{StatusCode: raw.StatusCode, Header: raw.Header, Body: &prefixedBody{head: head, body: body}}}
		}
		// An HTML login/WAF page or a JSON envelope came instead of the
		// file: read it (bounded) and let the platform's check say why.
		raw.Body = &prefixedBody{head: head, body: body}
		pageInstead = true
	}

	max := req.MaxBody
	if max <= 0 {
		max = c.maxBody
	}
	b, rerr := readBounded(raw.Body, raw.ContentLength, max)
	raw.Body.Close()
	cancel()
	if rerr != nil {
		e := c.netError(ctx, actx, m, shownURL(), n, true, rerr)
		if e.Kind == KindNetwork {
			e.Kind = KindBody
		}
		e.StatusCode = raw.StatusCode
		return outcome{sent: true, err: e}
	}
	resp := &Response{StatusCode: raw.StatusCode, Header: raw.Header, Body: b, Attempts: n}
	if debug {
		c.log.LogAttrs(ctx, slog.LevelDebug, "hetong: response", slog.String("op", req.Op), slog.Int("status", raw.StatusCode),
			slog.Duration("took", c.now().Sub(start)), slog.String("body", c.redactor.String(Excerpt(b))))
	}
	check := req.Check
	if check == nil {
		check = DefaultCheck
	}
	v, cerr := check(resp)
	if cerr == nil && pageInstead {
		v, cerr = Final, &Error{Kind: KindNotFile, StatusCode: raw.StatusCode, Excerpt: Excerpt(b)}
	}
	if cerr != nil {
		var te *Error
		if errors.As(cerr, &te) && te.Method == "" {
			te.Method, te.URL, te.Attempts, te.Sent = m, shownURL(), n, true
			if te.StatusCode == 0 {
				te.StatusCode = raw.StatusCode
			}
			te.Excerpt = c.redactor.String(te.Excerpt)
		}
	}
	return outcome{resp: resp, verdict: v, sent: true, retryAfter: RetryAfter(raw.Header, c.now()), err: cerr}
}

// readBounded reads a whole answer of at most max bytes. A declared
// Content-Length is read into one buffer of exactly that size (no
// doubling, so a 30 MiB answer costs 30 MiB); otherwise the buffer grows.
func readBounded(r io.Reader, declared, max int64) ([]byte, error) {
	tooLarge := func() error {
		return fmt.Errorf("response body larger than %d bytes (raise it with WithMaxResponseBytes)", max)
	}
	if declared > max {
		return nil, tooLarge()
	}
	if declared > 0 { // 0 may be a hand-built response that did not count its body
		b := make([]byte, declared)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, tooLarge()
	}
	return buf.Bytes(), nil
}

func (c *Client) netError(ctx, actx context.Context, m, u string, n int, sent bool, err error) *Error {
	kind := KindNetwork
	cause := err
	switch {
	case ctx.Err() != nil:
		kind, cause = ctxKind(ctx.Err()), ctx.Err()
	case errors.Is(context.Cause(actx), errAttemptTimeout):
		kind, cause = KindTimeout, fmt.Errorf("%w after %v", errAttemptTimeout, c.timeout)
	default:
		var ue *url.Error
		if errors.As(err, &ue) {
			cause = ue.Err // url.Error repeats the unredacted URL
		}
		if k := ctxKind(cause); k == KindTimeout {
			kind = k
		}
	}
	return &Error{Kind: kind, Method: m, URL: u, Attempts: n, Sent: sent, Err: redactedErr{cause, c.redactor}}
}

// isDialError reports a failure to connect: nothing was sent.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// redactedErr keeps the cause for errors.Is/As but redacts its text.
type redactedErr struct {
	err error
	r   *redact.Redactor
}

func (e redactedErr) Error() string { return e.r.String(e.err.Error()) }
func (e redactedErr) Unwrap() error { return e.err }

// DefaultCheck accepts 2xx and classifies everything else.
func DefaultCheck(r *Response) (Verdict, error) {
	if r.StatusCode/100 == 2 {
		return Final, nil
	}
	return StatusVerdict(r.StatusCode), &Error{Kind: KindHTTP, StatusCode: r.StatusCode, Excerpt: Excerpt(r.Body)}
}

// StatusVerdict classifies an HTTP status: 429 is RetrySafe, 502/503/504
// and other 5xx RetryIfIdempotent, the rest Final.
func StatusVerdict(status int) Verdict {
	switch {
	case status == http.StatusTooManyRequests:
		return RetrySafe
	case status >= 500:
		return RetryIfIdempotent
	}
	return Final
}

// RetryAfter parses a Retry-After header (seconds or HTTP date); 0 if absent.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// streamBody is a NewBody stream on its way to the wire. resty builds the
// *http.Request itself and would buffer a reader it is given, so the
// stream travels on the attempt's context and the client-wide pre-request
// hook, which sees the final *http.Request, installs it.
type streamBody struct {
	r io.Reader
	n int64 // declared size; 0 sends it chunked
}

type streamBodyKey struct{}

func setStreamBody(_ *resty.Client, hr *http.Request) error {
	st, ok := hr.Context().Value(streamBodyKey{}).(*streamBody)
	if !ok {
		return nil
	}
	rc, ok := st.r.(io.ReadCloser)
	if !ok {
		rc = io.NopCloser(st.r)
	}
	hr.Body, hr.GetBody, hr.ContentLength = rc, nil, st.n
	return nil
}

// close releases the stream (a pipe's writer, a file) once the attempt is
// over; net/http closes it too when it was sent, and a second Close is harmless.
func (st *streamBody) close() {
	if c, ok := st.r.(io.Closer); ok {
		_ = c.Close()
	}
}

type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}
