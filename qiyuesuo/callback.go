package qiyuesuo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hetong-go/hetong/internal/aesx"
	"github.com/hetong-go/hetong/internal/callback"
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

// Errors a rejected callback wraps (test with errors.Is).
var (
	ErrCallbackSignature = callback.ErrSignature
	ErrCallbackStale     = callback.ErrStale
	ErrCallbackTooLarge  = callback.ErrTooLarge
	ErrCallbackReplay    = callback.ErrReplay
	// ErrCallbackContent is wrapped when content cannot be decoded,
	// decrypted or parsed.
	ErrCallbackContent = errors.New("qiyuesuo: bad callback content")
)

// CallbackConfig says how to verify and decrypt callbacks.
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
	// MaxSkew, when positive, rejects callbacks whose timestamp is further
	// than this from now. The platform retries for days with the original
	// timestamp, so leave it 0 unless you dedupe retries yourself.
	MaxSkew time.Duration
	// MaxBody caps the request body (default 1 MiB).
	MaxBody int64
	// Now replaces time.Now for the MaxSkew check.
	Now func() time.Time
	// OnError, when set, sees every rejected or failed callback of a handler.
	OnError func(r *http.Request, err error)
	// Deduper, when set, refuses with 409 a callback whose exact request
	// was already accepted within ReplayTTL. NewCallbackHandler forgets a
	// callback whose func failed (when the Deduper has a Forget(key)
	// method, as MemoryDeduper does), so the platform's retry gets through.
	Deduper Deduper
	// ReplayTTL is how long the Deduper remembers a callback (default 72 h,
	// longer than the platform's retry schedule).
	ReplayTTL time.Duration
}

// Deduper remembers accepted callbacks: Seen records key and reports
// whether it was recorded within ttl. Share one across processes by
// implementing it on your own store.
type Deduper = callback.Deduper

// MemoryDeduper is an in-process [Deduper].
type MemoryDeduper = callback.MemoryDeduper

// NewMemoryDeduper returns an empty in-process [Deduper].
func NewMemoryDeduper() *MemoryDeduper { return callback.NewMemoryDeduper(nil) }

// defaultReplayTTL outlives the platform's retries (5 min, 4 × 2 h, 12 h, 24 h).
const defaultReplayTTL = 72 * time.Hour

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

	replayKey string
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
// signature, timestamp, content): signature == md5hex(timestamp +
// SecretKey) compared in constant time, then the optional timestamp
// window, then decryption, then a tolerant decode. The request body stays
// readable. Every failure is an error that wraps one of the ErrCallback*
// values; nothing panics.
func ParseCallback(r *http.Request, cfg CallbackConfig) (*CallbackEvent, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("qiyuesuo: CallbackConfig.SecretKey: must not be empty")
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
	if err := callback.CheckSignature(form.Get("signature"), CallbackSignature(ts, cfg.SecretKey)); err != nil {
		return nil, err
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "bad timestamp", Err: ErrCallbackContent}
	}
	when := time.UnixMilli(ms)
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	if err := callback.CheckWindow(when, now(), cfg.MaxSkew); err != nil {
		return nil, err
	}
	plain, err := callbackJSON(form, cfg)
	if err != nil {
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "bad content", Err: fmt.Errorf("%w: %w", ErrCallbackContent, err)}
	}
	ev := &CallbackEvent{}
	if err := json.Unmarshal(plain, ev); err != nil {
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "content is not a JSON object", Err: ErrCallbackContent}
	}
	ev.Timestamp, ev.Raw = when, plain
	if cfg.Deduper != nil {
		ev.replayKey = "qiyuesuo:" + sign.SHA256Hex(body, []byte{'?'}, []byte(rawQuery(r)))
		ttl := cfg.ReplayTTL
		if ttl <= 0 {
			ttl = defaultReplayTTL
		}
		if err := callback.CheckReplay(r.Context(), cfg.Deduper, ev.replayKey, ttl); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

func rawQuery(r *http.Request) string {
	if r.URL == nil {
		return ""
	}
	return r.URL.RawQuery
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
			return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "body is not a form", Err: ErrCallbackContent}
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
			return nil, errors.New("missing content")
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
	return DecryptCallbackContent(content[0], cfg)
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

// NewCallbackHandler verifies each callback and calls fn. It answers 200
// with the body "success" only after fn returned nil; a rejected callback
// gets a 4xx and fn is not called; an fn error gets a 500 so the platform
// retries (up to 7 times over days, so fn must be idempotent).
func NewCallbackHandler(cfg CallbackConfig, fn func(ctx context.Context, ev *CallbackEvent) error) http.Handler {
	return callback.Handler[*CallbackEvent]{
		Parse: func(r *http.Request) (*CallbackEvent, error) { return ParseCallback(r, cfg) },
		Handle: func(ctx context.Context, ev *CallbackEvent) error {
			err := errors.New("qiyuesuo: no callback func")
			if fn != nil {
				err = fn(ctx, ev)
			}
			if err != nil {
				callback.Forget(cfg.Deduper, ev.replayKey) // let the platform's retry through
			}
			return err
		},
		Ack: func(*CallbackEvent) (callback.Ack, error) {
			return callback.Ack{Status: http.StatusOK, ContentType: "text/plain; charset=utf-8", Body: []byte("success")}, nil
		},
		OnError: cfg.OnError,
	}
}
