package qiyuesuo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/aesx"
	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/sign"
)

// CipherMode selects how an encrypted callback's content is decrypted.
type CipherMode int

// Cipher modes: ECB is what the platform uses unless the app was switched
// to AES_CBC, which then needs the IV the platform gave you.
const (
	ModeECB CipherMode = iota
	ModeCBC
)

// The errors a rejected callback wraps, shared by every package of the
// SDK (test with errors.Is); [CallbackStatus] says what the handler
// answers for each.
var (
	// ErrSignature: the signature is missing or does not match.
	ErrSignature = callback.ErrSignature
	// ErrStale: the timestamp is outside CallbackConfig.MaxSkew.
	ErrStale = callback.ErrStale
	// ErrReplay: the message is being handled by another delivery.
	ErrReplay = callback.ErrReplay
	// ErrDecrypt: the content cannot be decrypted.
	ErrDecrypt = callback.ErrDecrypt
	// ErrMalformed: not a well-formed callback (method, form, timestamp, JSON).
	ErrMalformed = callback.ErrMalformed
	// ErrTooLarge: the body is larger than CallbackConfig.MaxBody.
	ErrTooLarge = callback.ErrTooLarge
)

// CallbackStatus returns the HTTP status the callback handler answers for
// err, as returned by [ParseCallback]: 401 for a bad signature or a stale
// timestamp, 413 too large, 405 not a POST, 400 malformed or undecryptable.
func CallbackStatus(err error) int { return callback.StatusOf(err) }

// DefaultCallbackWindow is the timestamp window of plaintext callbacks
// when CallbackConfig.MaxSkew is 0.
const DefaultCallbackWindow = 15 * time.Minute

// CallbackConfig says how to verify and decrypt callbacks.
//
// Use Encrypted mode. The platform's signature md5(timestamp + secret)
// does not cover the content, so in plaintext mode anyone who captured one
// callback can send any event with its timestamp and signature: the
// timestamp window (on by default) narrows that to DefaultCallbackWindow,
// nothing more. In Encrypted mode the content is AES-encrypted under the
// secret. Either way, re-read the contract with [Client.ContractDetail]
// before acting on a callback.
type CallbackConfig struct {
	// SecretKey is the app's callbackSecretKey (required). It signs every
	// callback and, 16 characters long, is the AES key of encrypted ones.
	SecretKey string
	// Encrypted means content is base64 AES ciphertext (encrypt=true).
	Encrypted bool
	// Mode is ModeECB (default) or ModeCBC.
	Mode CipherMode
	// IV is the 16-byte CBC initialisation vector (ModeCBC only).
	IV []byte
	// MaxSkew rejects callbacks whose timestamp is further than this from
	// now. 0 means DefaultCallbackWindow in plaintext mode and no window in
	// Encrypted mode; a negative value turns the check off. A platform
	// retry that keeps its original timestamp and arrives after the window
	// is refused: in plaintext mode that is the price of the check.
	MaxSkew time.Duration
	// MaxBody caps the request body (default 1 MiB).
	MaxBody int64
	// Now replaces time.Now for the MaxSkew check.
	Now func() time.Time
	// OnError, when set, sees every rejected or failed callback of a handler.
	OnError func(r *http.Request, err error)
	// Deduper makes each message handled once: the handler reserves the
	// message's key before your func runs, commits it after success and
	// releases it after an error or a panic, so the platform's retry runs
	// it again. nil: an in-process deduper per handler (or the client's,
	// see [WithDeduper]).
	Deduper Deduper
	// Logger records handler panics and dedup store failures (redacted).
	Logger *slog.Logger
}

// String masks the SecretKey and IV.
func (c CallbackConfig) String() string {
	return fmt.Sprintf("qiyuesuo.CallbackConfig{SecretKey:%s Encrypted:%t Mode:%d MaxSkew:%v MaxBody:%d}",
		mask(c.SecretKey), c.Encrypted, c.Mode, c.MaxSkew, c.MaxBody)
}

// GoString masks the SecretKey and IV in %#v.
func (c CallbackConfig) GoString() string { return c.String() }

// Format masks the SecretKey and IV in every verb.
func (c CallbackConfig) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// Deduper makes a callback handled once across redeliveries, replicas and
// crashes; implement it on a shared store (Redis) to span processes. Keys
// are "qiyuesuo:<message identity>", nothing secret.
type Deduper interface {
	// Reserve claims key for ttl (the longest a handler may take):
	// reserved=true runs the handler; reserved=false, done=true means the
	// message was handled (it is acknowledged again); both false means
	// another delivery holds it now (answered 503, the platform retries).
	Reserve(ctx context.Context, key string, ttl time.Duration) (reserved, done bool, err error)
	// Commit marks key handled, remembered for ttl.
	Commit(ctx context.Context, key string, ttl time.Duration) error
	// Release drops a reservation that was not committed.
	Release(ctx context.Context, key string) error
}

// NewMemoryDeduper returns an in-process [Deduper].
func NewMemoryDeduper() Deduper { return callback.NewMemoryDeduper(nil) }

// CallbackEvent is a contract callback (合同回调). Fields the platform adds
// later stay available in Raw.
type CallbackEvent struct {
	ContractID ID `json:"contractId"`
	BizID      ID `json:"bizId,omitempty"`
	// CallbackType says what happened: SEND_SIGNING, SEAL, PERSONAL,
	// AUDIT, RECALLED, REJECTED, COMPLETE, INVALIDED, ... (an open set).
	CallbackType string `json:"callbackType"`
	// ContractStatus is the contract's status after the event.
	ContractStatus string `json:"contractStatus"`
	TenantType     string `json:"tenantType,omitempty"`
	TenantName     string `json:"tenantName,omitempty"`
	Contact        string `json:"contact,omitempty"`
	TenantID       ID     `json:"tenantId,omitempty"`
	// BusinessData is the draft's businessData, echoed back.
	BusinessData string `json:"businessData,omitempty"`
	// Timestamp is the signed callback timestamp.
	Timestamp time.Time `json:"-"`
	// Raw is the decrypted JSON (or the form fields as JSON).
	Raw json.RawMessage `json:"-"`
}

// Key names the message for dedup: the signed timestamp and the content's
// canonical JSON (keys sorted, whitespace dropped). A redelivery of the
// same event has the same key whatever else the request carries (extra
// fields, the signature's letter case).
func (ev *CallbackEvent) Key() string {
	canonical := canonicalJSON(ev.Raw)
	return "qiyuesuo:" + sign.SHA256Hex([]byte(strconv.FormatInt(ev.Timestamp.UnixMilli(), 10)), []byte{'|'}, canonical)
}

// canonicalJSON re-encodes raw with sorted keys and exact numbers.
func canonicalJSON(raw []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}

// Callback types the platform sends most often.
const (
	CallbackSendSigning = "SEND_SIGNING"
	CallbackSeal        = "SEAL"
	CallbackPersonal    = "PERSONAL"
	CallbackAudit       = "AUDIT"
	CallbackRecalled    = "RECALLED"
	CallbackRejected    = "REJECTED"
	CallbackComplete    = "COMPLETE"
	CallbackInvalided   = "INVALIDED"
)

// formFields are the event fields that arrive as plain form fields when
// encryption is off and no content field is sent.
var formFields = []string{"contractId", "bizId", "callbackType", "contractStatus", "tenantType", "tenantName",
	"contact", "tenantId", "businessData"}

// ParseCallback verifies and decodes a callback POST (form fields
// signature, timestamp, content): the method, signature ==
// md5hex(timestamp + SecretKey) compared in constant time, the timestamp
// window, decryption, then a tolerant decode. The request body stays
// readable. Every failure wraps one of ErrSignature, ErrStale, ErrDecrypt,
// ErrMalformed, ErrTooLarge; nothing panics.
func ParseCallback(r *http.Request, cfg CallbackConfig) (*CallbackEvent, error) {
	if errfmt.Blank(cfg.SecretKey) {
		return nil, invalidErr("ParseCallback", errfmt.Field("CallbackConfig.SecretKey", errfmt.Required))
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
	form, err := callbackForm(r, body)
	if err != nil {
		return nil, err
	}
	ts := form.Get("timestamp")
	if err := callback.CheckSignature(strings.ToLower(form.Get("signature")), CallbackSignature(ts, cfg.SecretKey)); err != nil {
		return nil, err
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, callback.Malformed("bad timestamp", nil)
	}
	when := time.UnixMilli(ms)
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	if window := cfg.window(); window > 0 {
		if err := callback.CheckWindow(when, now(), window); err != nil {
			return nil, err
		}
	}
	plain, err := callbackJSON(form, cfg)
	if err != nil {
		return nil, err
	}
	ev := &CallbackEvent{}
	if err := json.Unmarshal(plain, ev); err != nil {
		return nil, callback.Malformed("content is not a JSON object", nil)
	}
	ev.Timestamp, ev.Raw = when, plain
	return ev, nil
}

// window is the timestamp window in force.
func (c CallbackConfig) window() time.Duration {
	switch {
	case c.MaxSkew < 0:
		return 0
	case c.MaxSkew > 0:
		return c.MaxSkew
	case c.Encrypted:
		return 0
	}
	return DefaultCallbackWindow
}

// callbackForm reads query and form fields from the bounded body copy.
func callbackForm(r *http.Request, body []byte) (url.Values, error) {
	form := url.Values{}
	if r.URL != nil {
		for k, v := range r.URL.Query() {
			form[k] = v
		}
	}
	if len(body) > 0 {
		post, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, callback.Malformed("body is not a form", err)
		}
		for k, v := range post {
			form[k] = v // the body wins over the query
		}
	}
	return form, nil
}

// callbackJSON returns the event JSON: decrypted content, plain content,
// or the plain form fields.
func callbackJSON(form url.Values, cfg CallbackConfig) ([]byte, error) {
	content, ok := form["content"]
	if !ok || len(content) == 0 || content[0] == "" {
		if cfg.Encrypted {
			return nil, callback.Malformed("missing content", nil)
		}
		fields := map[string]string{}
		for _, k := range formFields {
			if v := form.Get(k); v != "" {
				fields[k] = v
			}
		}
		return json.Marshal(fields)
	}
	if !cfg.Encrypted {
		return []byte(content[0]), nil
	}
	plain, err := DecryptCallbackContent(content[0], cfg)
	if err != nil {
		return nil, callback.Undecryptable()
	}
	return plain, nil
}

// DecryptCallbackContent decrypts an encrypted content field: base64,
// then AES-128 (ECB, or CBC with cfg.IV) keyed by the SecretKey's bytes,
// then strict PKCS#7 unpadding.
func DecryptCallbackContent(content string, cfg CallbackConfig) ([]byte, error) {
	ct, err := aesx.DecodeBase64(content)
	if err != nil {
		return nil, err
	}
	key := []byte(cfg.SecretKey)
	if cfg.Mode == ModeCBC {
		return aesx.DecryptCBC(key, cfg.IV, ct, 16)
	}
	return aesx.DecryptECB(key, ct)
}

// EncryptCallbackContent is the platform's side of DecryptCallbackContent,
// for tests and fakes.
func EncryptCallbackContent(plain []byte, cfg CallbackConfig) (string, error) {
	key := []byte(cfg.SecretKey)
	var ct []byte
	var err error
	if cfg.Mode == ModeCBC {
		ct, err = aesx.EncryptCBC(key, cfg.IV, plain, 16)
	} else {
		ct, err = aesx.EncryptECB(key, plain)
	}
	if err != nil {
		return "", err
	}
	return aesx.EncodeBase64(ct), nil
}

// CallbackSignature is the signature of a callback: md5hex(timestamp + secretKey).
func CallbackSignature(timestamp, secretKey string) string {
	return sign.MD5HexString(timestamp, secretKey)
}

// NewCallbackHandler verifies each callback and calls fn, once per
// message. It answers 200 with the body "success" only after fn returned
// nil; a rejected callback gets [CallbackStatus] and fn is not called; an
// fn error or panic gets a 500 so the platform retries (up to 7 times over
// days), and the message is released for that retry. A redelivery that
// arrives while the first is being handled gets a 503; one of a message
// already handled is acknowledged again without calling fn.
func NewCallbackHandler(cfg CallbackConfig, fn func(ctx context.Context, ev *CallbackEvent) error) http.Handler {
	dedup := cfg.Deduper
	if dedup == nil {
		dedup = NewMemoryDeduper()
	}
	return callbackHandler(cfg, dedup, fn)
}

// NewCallbackHandler is [NewCallbackHandler] with the client's deduper
// ([WithDeduper]) when cfg sets none.
func (c *Client) NewCallbackHandler(cfg CallbackConfig, fn func(ctx context.Context, ev *CallbackEvent) error) http.Handler {
	dedup := cfg.Deduper
	if dedup == nil {
		dedup = c.dedup
	}
	if cfg.Logger == nil {
		cfg.Logger = c.tc.Logger()
	}
	return callbackHandler(cfg, dedup, fn)
}

func callbackHandler(cfg CallbackConfig, dedup Deduper, fn func(ctx context.Context, ev *CallbackEvent) error) http.Handler {
	log := cfg.Logger
	if log != nil && cfg.SecretKey != "" {
		log = redact.New(cfg.SecretKey).Logger(log)
	}
	return callback.Handler[*CallbackEvent]{
		Parse: func(r *http.Request) (*CallbackEvent, error) { return ParseCallback(r, cfg) },
		Key:   func(ev *CallbackEvent) string { return ev.Key() },
		Dedup: dedup,
		Handle: func(ctx context.Context, ev *CallbackEvent) error {
			if fn == nil {
				return errors.New("qiyuesuo: no callback func")
			}
			return fn(ctx, ev)
		},
		Ack: func(*CallbackEvent) (callback.Ack, error) {
			return callback.Ack{Status: http.StatusOK, ContentType: "text/plain; charset=utf-8", Body: []byte("success")}, nil
		},
		OnError: cfg.OnError,
		Log:     log,
	}
}
