package essbasic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/aesx"
	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/sign"
)

// Deduper remembers callback MsgIds so a re-delivered message reaches your
// func once. Seen records key and reports whether it was recorded within
// ttl; it must be safe for concurrent use. If it also has a Forget(key
// string) method, a message whose func failed is forgotten so that the
// platform's retry is processed.
type Deduper = callback.Deduper

// NewMemoryDeduper returns an in-process Deduper.
func NewMemoryDeduper() Deduper { return callback.NewMemoryDeduper(nil) }

// CallbackConfig says how to verify and decrypt callbacks.
type CallbackConfig struct {
	// Key is the application's CallbackUrlKey (32 characters). Empty means
	// the platform sends plaintext JSON (no key configured in the console).
	Key string
	// Token is the 回调签名验证TOKEN. When set, the Content-Signature
	// header (HMAC-SHA256 of the raw body, with or without "sha256=") is
	// required and checked in constant time.
	Token string
	// MaxBody bounds the body read (default 1 MiB).
	MaxBody int64
	// Deduper, used by NewCallbackHandler, drops messages already handled.
	Deduper Deduper
	// DedupTTL is how long a MsgId is remembered (default 24h).
	DedupTTL time.Duration
}

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

var (
	errCallbackKey = errors.New("essbasic: CallbackConfig.Key: want the 32-character CallbackUrlKey")
	probeBody      = []byte("{}")
)

// ParseCallback verifies, decrypts and decodes one callback request:
// Content-Signature first (over the raw body), then AES-256-CBC (key =
// CallbackUrlKey, IV = its first 16 bytes, strict PKCS#7), then a tolerant
// decode that keeps the raw JSON. Rejections are *callback errors that
// carry the 4xx to answer with; nothing here panics on any input.
func ParseCallback(r *http.Request, cfg CallbackConfig) (*CallbackEvent, error) {
	if cfg.Key != "" && len(cfg.Key) != 32 {
		return nil, &callback.Error{Status: http.StatusInternalServerError, Reason: "misconfigured callback key", Err: errCallbackKey}
	}
	if r == nil {
		return nil, callback.Reject(http.StatusBadRequest, "no request")
	}
	if r.Method != http.MethodPost {
		return nil, callback.Reject(http.StatusMethodNotAllowed, "callbacks are POSTed")
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
		return nil, callback.Reject(http.StatusBadRequest, "want {\"encrypt\":...}")
	}
	ct, err := aesx.DecodeBase64(env.Encrypt)
	if err != nil {
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "invalid base64", Err: err}
	}
	k := []byte(key)
	plain, err := aesx.DecryptCBC(k, k[:16], ct, 16)
	if err != nil {
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "cannot decrypt", Err: err}
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
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "message is not a JSON object", Err: err}
	}
	if msg.MsgType == "" {
		return nil, callback.Reject(http.StatusBadRequest, "message has no MsgType")
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

// NewCallbackHandler returns an http.Handler for the callback URL: it
// parses each request with ParseCallback, answers the {} probe with 200,
// drops MsgIds cfg.Deduper has seen (with 200: they were handled), and
// answers 200 only after fn returned nil. A rejected request gets its 4xx;
// an error from fn gets 500 so the platform delivers the message again.
func NewCallbackHandler(cfg CallbackConfig, fn func(ctx context.Context, ev *CallbackEvent) error) http.Handler {
	ttl := cfg.DedupTTL
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	return callback.Handler[*CallbackEvent]{
		Parse:   func(r *http.Request) (*CallbackEvent, error) { return ParseCallback(r, cfg) },
		Key:     func(ev *CallbackEvent) string { return ev.MsgID },
		Dedup:   cfg.Deduper,
		DoneTTL: ttl,
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
