package essbasic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/aesx"
	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/sign"
)

// Deduper makes a callback message handled once across redeliveries,
// replicas and restarts: [NewCallbackHandler] reserves the message's key
// before your func runs, commits it after your func succeeded, and
// releases it after a failure or panic so the platform's next delivery
// runs your func again. Keys are "essbasic:<AppId>:<MsgId>". Share one
// implementation (e.g. on Redis) between replicas; it must be safe for
// concurrent use.
type Deduper interface {
	// Reserve claims key for ttl (the longest a handler may take). It
	// reports reserved=true when this delivery should run the handler;
	// reserved=false, done=true when the message was handled already
	// (it is acknowledged again); both false while another delivery is
	// handling it (answered 503, so the platform retries later).
	Reserve(ctx context.Context, key string, ttl time.Duration) (reserved, done bool, err error)
	// Commit marks key handled, remembered for ttl.
	Commit(ctx context.Context, key string, ttl time.Duration) error
	// Release drops a reservation that was not committed.
	Release(ctx context.Context, key string) error
}

// NewMemoryDeduper returns an in-process Deduper (the default of
// NewCallbackHandler); it forgets keys after their ttl.
func NewMemoryDeduper() Deduper { return callback.NewMemoryDeduper(nil) }

// The sentinels of rejected callbacks, the same values in every package of
// the SDK: test what ParseCallback returns with errors.Is, and learn the
// status the handler answers with [CallbackStatus].
var (
	// ErrSignature: the Content-Signature is missing or does not match (401).
	ErrSignature = callback.ErrSignature
	// ErrStale: the timestamp is outside the allowed window (401).
	ErrStale = callback.ErrStale
	// ErrReplay: the message was handled before, or is being handled now.
	ErrReplay = callback.ErrReplay
	// ErrDecrypt: the body cannot be decrypted with the CallbackUrlKey (400).
	ErrDecrypt = callback.ErrDecrypt
	// ErrMalformed: not a well-formed callback: wrong method, bad JSON or
	// base64, no MsgType (400).
	ErrMalformed = callback.ErrMalformed
	// ErrTooLarge: the body is larger than CallbackConfig.MaxBody (413).
	ErrTooLarge = callback.ErrTooLarge
)

// CallbackStatus returns the HTTP status [NewCallbackHandler] answers for
// err, e.g. what ParseCallback returned: 200 for nil, 401 for ErrSignature,
// 400 for ErrMalformed and ErrDecrypt, 413 for ErrTooLarge.
func CallbackStatus(err error) int { return callback.StatusOf(err) }

// CallbackConfig says how to verify and decrypt callbacks. Printing it
// with any fmt verb masks Key and Token.
type CallbackConfig struct {
	// Key is the application's CallbackUrlKey (32 characters). Empty means
	// the platform sends plaintext JSON (no key configured in the console).
	Key string
	// Token is the 回调签名验证TOKEN. When set, the Content-Signature
	// header (HMAC-SHA256 of the raw body, with or without "sha256=") is
	// required and checked in constant time.
	Token string
	// AppID namespaces dedup keys ("essbasic:<AppID>:<MsgId>") when several
	// applications share one Deduper; empty takes the message's
	// ApplicationId.
	AppID string
	// MaxBody bounds the body read (default 1 MiB).
	MaxBody int64
	// Deduper, used by NewCallbackHandler, makes each MsgId handled once
	// (default: an in-process one per handler; WithDeduper wins).
	Deduper Deduper
	// DedupTTL is how long a handled MsgId is remembered (default 72h).
	DedupTTL time.Duration
}

// String shows the configuration with its secrets masked.
func (c CallbackConfig) String() string {
	return fmt.Sprintf("essbasic.CallbackConfig{Key:%s Token:%s AppID:%q MaxBody:%d DedupTTL:%v}",
		mask(c.Key), mask(c.Token), c.AppID, c.MaxBody, c.DedupTTL)
}

// GoString is String, so %#v never shows a secret either.
func (c CallbackConfig) GoString() string { return c.String() }

// Format prints String for every verb.
func (c CallbackConfig) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// CallbackEvent is one decrypted callback message.
type CallbackEvent struct {
	// MsgID identifies the message; the platform may deliver it again.
	MsgID string
	// MsgType says what happened, e.g. "FlowStatusChange", "OrgOpenTsignBiz".
	// Unknown types pass through untouched.
	MsgType string
	// MsgVersion is "ThirdPartyApp" for the partner edition.
	MsgVersion string
	// MsgData is the message's payload; decode it with the typed helpers.
	MsgData json.RawMessage
	// Raw is the decrypted (or plaintext) message as received.
	Raw []byte
	// Probe is true for the platform's reachability check (an empty {}
	// body): acknowledge it and do nothing else.
	Probe bool
}

// applicationID is MsgData's ApplicationId, which names the dedup key
// when CallbackConfig.AppID does not.
func (e *CallbackEvent) applicationID() string {
	var data struct {
		ApplicationID flex.String `json:"ApplicationId"`
	}
	_ = json.Unmarshal(e.MsgData, &data) // absent or malformed: no app part
	return string(data.ApplicationID)
}

var (
	errCallbackKey = errors.New("essbasic: CallbackConfig.Key: must be the 32-character CallbackUrlKey")
	probeBody      = []byte("{}")
)

// ParseCallback verifies, decrypts and decodes one callback request:
// Content-Signature first (over the raw body), then AES-256-CBC (key =
// CallbackUrlKey, IV = its first 16 bytes, strict PKCS#7), then a tolerant
// decode that keeps the raw JSON. Rejections wrap the sentinels
// (ErrSignature, ErrDecrypt, ErrMalformed, ErrTooLarge) and
// [CallbackStatus] gives the status to answer; nothing here panics on any
// input.
func ParseCallback(r *http.Request, cfg CallbackConfig) (*CallbackEvent, error) {
	if cfg.Key != "" && len(cfg.Key) != 32 {
		return nil, &callback.Error{Status: http.StatusInternalServerError, Reason: "misconfigured callback key", Err: errCallbackKey}
	}
	if r == nil {
		return nil, callback.Malformed("no request", nil)
	}
	if r.Method != http.MethodPost {
		return nil, callback.MethodNotAllowed(r.Method)
	}
	body, err := callback.ReadBody(r, cfg.MaxBody)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(bytes.TrimSpace(body), probeBody) {
		return &CallbackEvent{Probe: true, Raw: body}, nil // carries nothing to verify
	}
	if cfg.Token != "" {
		got := strings.TrimPrefix(strings.TrimSpace(r.Header.Get("Content-Signature")), "sha256=")
		if err := callback.CheckSignature(got, sign.HMACSHA256Hex([]byte(cfg.Token), body)); err != nil {
			return nil, err
		}
	}
	plain := body
	if cfg.Key != "" {
		if plain, err = decryptCallback(cfg.Key, body); err != nil {
			return nil, err
		}
	}
	return decodeCallback(plain)
}

func decryptCallback(key string, body []byte) ([]byte, error) {
	var env struct {
		Encrypt string `json:"encrypt"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Encrypt == "" {
		return nil, callback.Malformed(`want {"encrypt":...}`, err)
	}
	ct, err := aesx.DecodeBase64(env.Encrypt)
	if err != nil {
		return nil, callback.Malformed("invalid base64", err)
	}
	k := []byte(key)
	plain, err := aesx.DecryptCBC(k, k[:16], ct, 16)
	if err != nil {
		return nil, callback.Undecryptable()
	}
	return plain, nil
}

func decodeCallback(plain []byte) (*CallbackEvent, error) {
	var msg struct {
		MsgID      flex.String     `json:"MsgId"`
		MsgType    flex.String     `json:"MsgType"`
		MsgVersion flex.String     `json:"MsgVersion"`
		MsgData    json.RawMessage `json:"MsgData"`
	}
	if err := json.Unmarshal(plain, &msg); err != nil {
		return nil, callback.Malformed("message is not a JSON object", err)
	}
	if msg.MsgType == "" {
		return nil, callback.Malformed("message has no MsgType", nil)
	}
	return &CallbackEvent{MsgID: string(msg.MsgID), MsgType: string(msg.MsgType), MsgVersion: string(msg.MsgVersion),
		MsgData: msg.MsgData, Raw: plain}, nil
}

// EncryptCallback builds the body the platform sends for a message when a
// CallbackUrlKey is configured: {"encrypt":"<base64 AES-256-CBC>"}. Fakes
// and tests use it; the signature over the result is CallbackSignature.
func EncryptCallback(key string, message []byte) ([]byte, error) {
	if len(key) != 32 {
		return nil, errCallbackKey
	}
	k := []byte(key)
	ct, err := aesx.EncryptCBC(k, k[:16], message, 16)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]string{"encrypt": aesx.EncodeBase64(ct)})
}

// CallbackSignature is the Content-Signature header value for body.
func CallbackSignature(token string, body []byte) string {
	return "sha256=" + sign.HMACSHA256Hex([]byte(token), body)
}

// NewCallbackHandler returns an http.Handler for the callback URL built on
// the SDK's one callback skeleton:
//
//   - each request is parsed with ParseCallback; a rejected one gets
//     [CallbackStatus] (401, 400, 413, 405) and fn never runs;
//   - the {} probe is answered 200;
//   - the MsgId is reserved in the Deduper ("essbasic:<AppId>:<MsgId>"): a
//     message handled before is acknowledged again without running fn, and
//     a redelivery that arrives while the first is still being handled gets
//     503 (never 200), so the platform tries again later;
//   - fn runs with panics recovered; 200 is answered, and the MsgId
//     committed, only after fn returned nil. An error or a panic releases
//     the MsgId and answers 500, so the platform's retry runs fn again.
//
// Options that concern a handler apply: WithDeduper (wins over
// cfg.Deduper), WithLogger (panics and dedup store failures, redacted) and
// WithClock; the others are ignored. An invalid option makes the handler
// answer 500 to every request.
func NewCallbackHandler(cfg CallbackConfig, fn func(ctx context.Context, ev *CallbackEvent) error, opts ...Option) http.Handler {
	o, err := applyOptions(opts)
	if err != nil {
		return misconfigured{err}
	}
	dedup := cfg.Deduper
	if o.Deduper != nil {
		dedup = o.Deduper
	}
	if dedup == nil {
		dedup = callback.NewMemoryDeduper(o.Clock)
	}
	return callback.Handler[*CallbackEvent]{
		Parse: func(r *http.Request) (*CallbackEvent, error) { return ParseCallback(r, cfg) },
		Key: func(ev *CallbackEvent) string {
			if ev.Probe || ev.MsgID == "" {
				return ""
			}
			app := cfg.AppID
			if app == "" {
				app = ev.applicationID()
			}
			return "essbasic:" + app + ":" + ev.MsgID
		},
		Dedup:   dedup,
		DoneTTL: cfg.DedupTTL,
		Log:     redact.New(cfg.Key, cfg.Token).Logger(o.Logger),
		Handle: func(ctx context.Context, ev *CallbackEvent) error {
			if ev.Probe || fn == nil {
				return nil
			}
			return fn(ctx, ev)
		},
		Ack: func(*CallbackEvent) (callback.Ack, error) {
			return callback.Ack{Status: http.StatusOK, ContentType: "application/json", Body: []byte(`{}`)}, nil
		},
	}
}

// misconfigured answers 500 to every request: the handler was built with
// an invalid option, and no callback may be acknowledged unhandled.
type misconfigured struct{ err error }

func (m misconfigured) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, "callback handler misconfigured", http.StatusInternalServerError)
}
