package zhenling

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/sign"
)

// CallbackEvent is the result of one asynchronous write, pushed by OC to
// the callback URL your Zhenling PM configured for that interface. Judge it
// by Code + SubCode; find your record by SourceSystem + SourceCode (the
// 来源单据号 you sent). Zhenling has not published the payload: the fields
// are read tolerantly from the names the guide uses, and Raw keeps the
// item as received.
type CallbackEvent struct {
	Code         string
	SubCode      string
	SourceSystem string
	SourceCode   string
	BatchID      string
	Message      string
	// OK is true when Code is one of CallbackConfig.SuccessCodes.
	OK  bool
	Raw json.RawMessage
}

// CallbackVerifier authenticates a callback before it is decoded. Zhenling
// documents no callback signature; use what your deployment adds (a shared
// header, basic auth on the outbound interface, an IP allow-list in front).
type CallbackVerifier interface {
	Verify(r *http.Request, body []byte) error
}

// CallbackVerifierFunc adapts a func to CallbackVerifier.
type CallbackVerifierFunc func(r *http.Request, body []byte) error

// Verify implements CallbackVerifier.
func (f CallbackVerifierFunc) Verify(r *http.Request, body []byte) error { return f(r, body) }

// HeaderSecret accepts a callback whose header carries exactly secret
// (compared in constant time), e.g. HeaderSecret("X-Callback-Token", s).
func HeaderSecret(header, secret string) CallbackVerifier {
	return CallbackVerifierFunc(func(r *http.Request, _ []byte) error {
		if secret == "" || !callback.Equal(r.Header.Get(header), secret) {
			return unauthorized()
		}
		return nil
	})
}

// BasicAuth accepts a callback sent with HTTP Basic credentials user and
// password (compared in constant time).
func BasicAuth(user, password string) CallbackVerifier {
	return CallbackVerifierFunc(func(r *http.Request, _ []byte) error {
		u, p, ok := r.BasicAuth()
		uok, pok := callback.Equal(u, user), callback.Equal(p, password)
		if !ok || password == "" || !(uok && pok) {
			return unauthorized()
		}
		return nil
	})
}

func unauthorized() error {
	return &callback.Error{Status: http.StatusUnauthorized, Reason: "callback authentication failed", Err: callback.ErrSignature}
}

// DefaultAck is the acknowledgement written after a callback was handled.
// Zhenling has not published the ack it expects; set CallbackConfig.Ack
// when your PM names one.
const DefaultAck = `{"code":"0","message":"success"}`

// CallbackConfig configures ParseCallback and NewCallbackHandler.
//
// WARNING: with a nil Verifier, callbacks are NOT authenticated: anyone
// who can reach the URL can forge a result. Zhenling publishes no callback
// signature, so protect the endpoint with a Verifier that matches what
// your deployment sends (HeaderSecret, BasicAuth) or by network controls.
type CallbackConfig struct {
	Verifier CallbackVerifier
	// MaxBody limits the body (default 1 MiB); larger bodies get 413.
	MaxBody int64
	// SuccessCodes are the Code values that mean success (default "0"
	// and "SUCCESS", until Zhenling confirms its codes).
	SuccessCodes []string
	// Ack and AckContentType are written after the handler succeeded
	// (default DefaultAck, application/json).
	Ack            []byte
	AckContentType string
	// OnError sees every rejected or failed callback (for logging).
	OnError func(r *http.Request, err error)
	// Deduper remembers handled messages (default: in memory, per
	// handler); share one between replicas.
	Deduper Deduper
	// ClientID keeps several tenants' dedup keys apart (optional).
	ClientID string
	// Logger records handler panics and dedup store failures.
	Logger *slog.Logger
}

var defaultSuccessCodes = []string{"0", "SUCCESS"}

// ParseCallback authenticates (when cfg.Verifier is set) and decodes a
// callback: a single object, an array, or an object whose "data" holds
// one or many items; fields missing from an item are taken from the outer
// object. Any failure is a *callback.Error-backed error with the HTTP
// status to answer (401, 413, 400); it never panics.
func ParseCallback(r *http.Request, cfg CallbackConfig) ([]CallbackEvent, error) {
	body, err := callback.ReadBody(r, cfg.MaxBody)
	if err != nil {
		return nil, err
	}
	if cfg.Verifier != nil {
		if err := cfg.Verifier.Verify(r, body); err != nil {
			var ce *callback.Error
			if errors.As(err, &ce) {
				return nil, err
			}
			return nil, &callback.Error{Status: http.StatusUnauthorized, Reason: "callback authentication failed", Err: errors.Join(callback.ErrSignature, err)}
		}
	}
	codes := cfg.SuccessCodes
	if len(codes) == 0 {
		codes = defaultSuccessCodes
	}
	evs, err := decodeCallback(body, codes)
	if err != nil {
		return nil, callback.Malformed("malformed callback", err)
	}
	return evs, nil
}

type wireEvent struct {
	Code         flex.String     `json:"code"`
	SubCode      flex.String     `json:"subCode"`
	SourceSystem flex.String     `json:"sourceSystem"`
	SourceCode   flex.String     `json:"sourceCode"`
	BatchID      flex.String     `json:"batchId"`
	Message      flex.String     `json:"message"`
	Msg          flex.String     `json:"msg"`
	ErrMsg       flex.String     `json:"errmsg"`
	Data         json.RawMessage `json:"data"`
}

var errNoEvents = errors.New("no callback items")

func decodeCallback(body []byte, codes []string) ([]CallbackEvent, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return nil, errNoEvents
	}
	var items []json.RawMessage
	var outer wireEvent
	switch b[0] {
	case '[':
		if err := json.Unmarshal(b, &items); err != nil {
			return nil, err
		}
	case '{':
		if err := json.Unmarshal(b, &outer); err != nil {
			return nil, err
		}
		items = dataItems(outer.Data, b)
	default:
		return nil, errors.New("callback body is not a JSON object or array")
	}
	if len(items) == 0 {
		return nil, errNoEvents
	}
	evs := make([]CallbackEvent, 0, len(items))
	for _, raw := range items {
		var w wireEvent
		if err := json.Unmarshal(raw, &w); err != nil {
			return nil, err
		}
		ev := CallbackEvent{
			Code: pick(w.Code, outer.Code), SubCode: pick(w.SubCode, outer.SubCode),
			SourceSystem: pick(w.SourceSystem, outer.SourceSystem), SourceCode: pick(w.SourceCode, outer.SourceCode),
			BatchID: pick(w.BatchID, outer.BatchID),
			Message: pick(w.Message, w.Msg, w.ErrMsg, outer.Message, outer.Msg, outer.ErrMsg),
			Raw:     append(json.RawMessage(nil), raw...),
		}
		ev.OK = slices.Contains(codes, ev.Code)
		evs = append(evs, ev)
	}
	return evs, nil
}

// dataItems returns the items of a "data" member (an array or one object),
// or the whole body when data holds no items.
func dataItems(data json.RawMessage, body []byte) []json.RawMessage {
	d := bytes.TrimSpace(data)
	if len(d) > 0 && d[0] == '[' {
		var items []json.RawMessage
		if json.Unmarshal(d, &items) == nil {
			return items
		}
	}
	if len(d) > 0 && d[0] == '{' {
		return []json.RawMessage{d}
	}
	return []json.RawMessage{body}
}

func pick(vals ...flex.String) string {
	for _, v := range vals {
		if v != "" {
			return string(v)
		}
	}
	return ""
}

// The callback sentinels every package of this module shares: test what
// ParseCallback or a handler's OnError saw with errors.Is.
var (
	ErrSignature = callback.ErrSignature // the Verifier refused the request (401)
	ErrStale     = callback.ErrStale     // a timestamp outside the window (401)
	ErrReplay    = callback.ErrReplay    // being handled by another delivery (503)
	ErrDecrypt   = callback.ErrDecrypt   // undecryptable payload (400)
	ErrMalformed = callback.ErrMalformed // not a callback: method, JSON, no items (400/405)
	ErrTooLarge  = callback.ErrTooLarge  // body over CallbackConfig.MaxBody (413)
)

// CallbackStatus is the HTTP status a callback handler answers for err
// (200 for nil).
func CallbackStatus(err error) int { return callback.StatusOf(err) }

// CallbackKey names one callback message for the Deduper:
// "zhenling:<client id>:<digest>", where the digest covers what identifies
// the results it reports (each item's batchId, sourceSystem, sourceCode,
// code and subCode, in a canonical order), not the bytes: a redelivery
// with other whitespace, key order or extra fields is the same message.
func CallbackKey(clientID string, events []CallbackEvent) string {
	ids := make([]string, len(events))
	for i, ev := range events {
		ids[i] = strings.Join([]string{ev.BatchID, ev.SourceSystem, ev.SourceCode, ev.Code, ev.SubCode}, "\x1f")
	}
	slices.Sort(ids)
	if clientID == "" {
		clientID = "-"
	}
	return "zhenling:" + clientID + ":" + sign.SHA256Hex([]byte(strings.Join(ids, "\x1e")))
}

// NewCallbackHandler returns an http.Handler that parses callbacks with
// ParseCallback, passes the events to handle, and acknowledges only when
// handle returned nil. A message is handled once: its [CallbackKey] is
// reserved in cfg.Deduper before handle runs, committed after it
// succeeded, and released when it failed or panicked (answered 500, so OC
// delivers again); a redelivery of a handled message is acknowledged
// without running handle, and one that arrives while the first is still
// being handled gets 503. Rejected input never reaches handle. See the
// warning on CallbackConfig about verification.
func NewCallbackHandler(cfg CallbackConfig, handle func(ctx context.Context, events []CallbackEvent) error) http.Handler {
	if handle == nil {
		handle = func(context.Context, []CallbackEvent) error {
			return &Error{Op: "NewCallbackHandler", Message: errfmt.Field("handle", required), Err: ErrInvalidRequest}
		}
	}
	ack := callback.Ack{Status: http.StatusOK, ContentType: cfg.AckContentType, Body: cfg.Ack}
	if ack.Body == nil {
		ack.Body = []byte(DefaultAck)
	}
	if ack.ContentType == "" {
		ack.ContentType = "application/json"
	}
	var dedup callback.Deduper = callback.NewMemoryDeduper(nil)
	if cfg.Deduper != nil {
		dedup = cfg.Deduper
	}
	return callback.Handler[[]CallbackEvent]{
		Parse: func(r *http.Request) ([]CallbackEvent, error) {
			if r.Method != http.MethodPost {
				return nil, callback.MethodNotAllowed(r.Method)
			}
			return ParseCallback(r, cfg)
		},
		Key:     func(evs []CallbackEvent) string { return CallbackKey(cfg.ClientID, evs) },
		Dedup:   dedup,
		Handle:  handle,
		Ack:     func([]CallbackEvent) (callback.Ack, error) { return ack, nil },
		OnError: cfg.OnError,
		Log:     cfg.Logger,
	}
}

// NewCallbackHandler is the package's NewCallbackHandler with the
// client's Deduper ([WithDeduper]) and client id, unless cfg sets them.
func (c *Client) NewCallbackHandler(cfg CallbackConfig, handle func(ctx context.Context, events []CallbackEvent) error) http.Handler {
	if cfg.Deduper == nil {
		cfg.Deduper = c.dedup
	}
	if cfg.ClientID == "" {
		cfg.ClientID = c.clientID
	}
	return NewCallbackHandler(cfg, handle)
}
