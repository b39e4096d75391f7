package zeyi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/redact"
)

// EventType says how an approval ended.
type EventType string

// Event types.
const (
	// EventFinish: the approval ended normally, agreed or refused (正常结束).
	EventFinish EventType = "finish"
	// EventTerminate: the approval was terminated, e.g. revoked or deleted (审批终止).
	EventTerminate EventType = "terminate"
)

// AuditResult is the outcome of a finished approval.
type AuditResult string

// Audit results, set only when the event type is EventFinish.
const (
	ResultAgree  AuditResult = "agree"  // 同意
	ResultRefuse AuditResult = "refuse" // 拒绝
)

// CallbackEvent is an approval result (审批回调) pushed by 则一. Unknown
// fields are tolerated and kept in Raw; a type or result value this
// package does not know is kept as sent.
type CallbackEvent struct {
	// Code is the business number given to SendAudit (业务编号).
	Code string
	// AuditType is the approval type (审批类型).
	AuditType string
	// BusinessID is the DingTalk approval instance id (钉钉审批ID).
	BusinessID string
	// Type is finish or terminate.
	Type EventType
	// Result is agree or refuse when Type is finish.
	Result AuditResult
	// AuditUser is the last approver (最终审核人).
	AuditUser string
	// Remark is the approver's comment (审批意见).
	Remark string
	// ID and AuditID are sent by later gateway revisions.
	ID, AuditID string
	// AppKey, Timestamp and Nonce are the verified signature headers.
	AppKey    string
	Timestamp time.Time
	Nonce     string
	// Raw is the body exactly as received.
	Raw json.RawMessage
}

// Approved reports a finished, agreed approval.
func (e *CallbackEvent) Approved() bool { return e.Type == EventFinish && e.Result == ResultAgree }

// Refused reports a finished, refused approval.
func (e *CallbackEvent) Refused() bool { return e.Type == EventFinish && e.Result == ResultRefuse }

// Terminated reports a terminated approval (revoked, deleted, cancelled).
func (e *CallbackEvent) Terminated() bool { return e.Type == EventTerminate }

// The callback errors every package of the SDK shares, for errors.Is on
// what [ParseCallback] returns. [CallbackStatus] gives the HTTP status the
// handler answers for each.
var (
	// ErrSignature: a signature header is missing or malformed, the appKey
	// is not ours, the sign does not match, or the Bearer token is wrong (401).
	ErrSignature = callback.ErrSignature
	// ErrStale: the timestamp is outside CallbackConfig.MaxSkew (401).
	ErrStale = callback.ErrStale
	// ErrReplay: the timestamp+nonce pair was seen before (409), or the
	// message is being handled by another delivery right now (503).
	ErrReplay = callback.ErrReplay
	// ErrDecrypt: a payload cannot be decrypted (400). 则一's callbacks are
	// plaintext; the sentinel exists so every package has the same set.
	ErrDecrypt = callback.ErrDecrypt
	// ErrMalformed: not a POST, or a body that is not a JSON object (400, 405).
	ErrMalformed = callback.ErrMalformed
	// ErrTooLarge: the body is larger than CallbackConfig.MaxBody (413).
	ErrTooLarge = callback.ErrTooLarge
)

// CallbackError is what ParseCallback returns for a rejected callback:
// Status is the HTTP status to answer with, Reason a text safe to log
// and to send back, Err one of the sentinels above (or the cause).
type CallbackError struct {
	Status int
	Reason string
	Err    error
}

// Error gives the reason the callback was rejected.
func (e *CallbackError) Error() string { return "zeyi: callback rejected: " + e.Reason }

// Unwrap returns the cause, for errors.Is with the sentinels.
func (e *CallbackError) Unwrap() error { return e.Err }

// CallbackStatus returns the HTTP status the callback handler answers for
// an error from [ParseCallback]: 200 for nil,
// 401 for ErrSignature and ErrStale, 409 for ErrReplay, 413 for
// ErrTooLarge, 400 for ErrMalformed and ErrDecrypt, 405 for a method
// other than POST.
func CallbackStatus(err error) int {
	var ce *CallbackError
	if errors.As(err, &ce) && ce.Status != 0 {
		return ce.Status
	}
	return callback.StatusOf(err)
}

// publicError converts the core's rejection into a *CallbackError.
func publicError(err error) error {
	var ce *callback.Error
	if !errors.As(err, &ce) {
		return err
	}
	reason := ce.Reason
	if reason == "" && ce.Err != nil {
		reason = ce.Err.Error()
	}
	return &CallbackError{Status: ce.Status, Reason: reason, Err: ce.Err}
}

// NewMemoryDeduper returns an in-process Deduper. Share one between
// ParseCallback and a handler, or give each handler its own (the default).
func NewMemoryDeduper() Deduper { return callback.NewMemoryDeduper(nil) }

// DefaultCallbackMaxBody bounds a callback body unless CallbackConfig.MaxBody says otherwise.
const DefaultCallbackMaxBody = 64 << 10

// defaultReplayTTL is how long nonces are remembered without a MaxSkew.
const defaultReplayTTL = 24 * time.Hour

// CallbackConfig says how to verify callbacks. The key pair is the one
// the integrator issued to 则一 (金润提供), not the one 则一 issued.
// Printing it with any fmt verb masks AppSecret and BearerToken.
type CallbackConfig struct {
	// AppKey and AppSecret are required: the appKey header must equal
	// AppKey and sign must match.
	AppKey, AppSecret string
	// BearerToken, when set, must arrive as "Authorization: Bearer <token>".
	BearerToken string
	// MaxSkew, when positive, rejects timestamps further than this from now.
	MaxSkew time.Duration
	// Deduper: ParseCallback refuses a repeated timestamp+nonce pair with
	// it (nonces are kept for 2×MaxSkew, or 24 h without a MaxSkew), and
	// NewCallbackHandler runs each message once with it (see [Deduper]),
	// winning over WithDeduper.
	Deduper Deduper
	// MaxBody bounds the body (default DefaultCallbackMaxBody).
	MaxBody int64
	// Now replaces time.Now (and WithClock) for the window check.
	Now func() time.Time
}

// String shows the config with AppSecret and BearerToken masked.
func (cfg CallbackConfig) String() string {
	return fmt.Sprintf("zeyi.CallbackConfig{AppKey: %s, AppSecret: %s, BearerToken: %s, MaxSkew: %v, MaxBody: %d}",
		strconv.Quote(cfg.AppKey), masked(cfg.AppSecret), masked(cfg.BearerToken), cfg.MaxSkew, cfg.MaxBody)
}

// GoString is String, so %#v masks too.
func (cfg CallbackConfig) GoString() string { return cfg.String() }

// Format prints the masked String for every verb.
func (cfg CallbackConfig) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(cfg.String())) }

// ParseCallback reads and verifies a callback request and decodes it:
// bounded body read, required headers, appKey and md5 signature over the
// raw body (constant time), optional Bearer token, timestamp window and
// (with CallbackConfig.Deduper) nonce replay check, then a tolerant
// decode. Its errors are [*CallbackError] values whose text is safe to
// log; [CallbackStatus] gives the status to answer. The request body
// stays readable.
func ParseCallback(r *http.Request, cfg CallbackConfig) (*CallbackEvent, error) {
	ev, err := parseCallback(r, cfg, true)
	if err != nil {
		return nil, publicError(err)
	}
	return ev, nil
}

// parseCallback is ParseCallback with the core's errors. The handler
// skips the nonce check: its message dedup already answers a replayed
// request, and a nonce reserved by a failed delivery must not block the
// platform's identical retry.
func parseCallback(r *http.Request, cfg CallbackConfig, checkNonce bool) (*CallbackEvent, error) {
	if errfmt.Blank(cfg.AppKey) || errfmt.Blank(cfg.AppSecret) {
		return nil, &callback.Error{Status: http.StatusInternalServerError, Reason: "CallbackConfig.AppKey and AppSecret are required"}
	}
	if r == nil {
		return nil, callback.Malformed("nil request", nil)
	}
	if r.Method != http.MethodPost {
		return nil, callback.MethodNotAllowed(r.Method)
	}
	max := cfg.MaxBody
	if max <= 0 {
		max = DefaultCallbackMaxBody
	}
	body, err := callback.ReadBody(r, max)
	if err != nil {
		return nil, err
	}
	h, err := readSignedHeaders(r.Header)
	if err != nil {
		return nil, err
	}
	if err := verify(r, cfg, h, body, checkNonce); err != nil {
		return nil, err
	}
	ev, err := decodeEvent(body)
	if err != nil {
		return nil, err
	}
	ev.AppKey, ev.Timestamp, ev.Nonce = h.appKey, time.UnixMilli(h.ms), h.nonce
	return ev, nil
}

type signedHeaders struct {
	appKey, timestamp, nonce, sign string
	ms                             int64
}

// readSignedHeaders checks that the four signature headers are present and
// well formed. Nonces of either case are accepted (the doc disagrees).
func readSignedHeaders(h http.Header) (signedHeaders, error) {
	s := signedHeaders{appKey: h.Get(HeaderAppKey), timestamp: h.Get(HeaderTimestamp), nonce: h.Get(HeaderNonce), sign: h.Get(HeaderSign)}
	switch {
	case s.appKey == "" || s.timestamp == "" || s.nonce == "" || s.sign == "":
		return s, unsigned("missing appKey, timestamp, nonce or sign header")
	case !isAlnum(s.nonce) || len(s.nonce) != NonceLen:
		return s, unsigned("malformed nonce")
	case len(s.timestamp) > 16 || !isDigits(s.timestamp):
		return s, unsigned("malformed timestamp")
	}
	s.ms, _ = strconv.ParseInt(s.timestamp, 10, 64) // 16 digits cannot overflow
	return s, nil
}

// unsigned is a 401 for signature material that is missing or wrong.
func unsigned(reason string) *callback.Error {
	return &callback.Error{Status: http.StatusUnauthorized, Reason: reason, Err: callback.ErrSignature}
}

// verify checks the credentials in order of cost to a forger: key,
// signature, bearer token, window, and last the replay store (so forged
// requests never fill it).
func verify(r *http.Request, cfg CallbackConfig, h signedHeaders, body []byte, checkNonce bool) error {
	if !callback.Equal(h.appKey, cfg.AppKey) {
		return unsigned("unknown appKey")
	}
	if err := callback.CheckSignature(h.sign, Sign(cfg.AppKey, cfg.AppSecret, h.timestamp, h.nonce, body)); err != nil {
		return err
	}
	if cfg.BearerToken != "" {
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || !callback.Equal(strings.TrimSpace(tok), cfg.BearerToken) {
			return unsigned("bad bearer token")
		}
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	if err := callback.CheckWindow(time.UnixMilli(h.ms), now(), cfg.MaxSkew); err != nil {
		return err
	}
	if !checkNonce || cfg.Deduper == nil {
		return nil
	}
	ttl := defaultReplayTTL
	if cfg.MaxSkew > 0 {
		ttl = 2 * cfg.MaxSkew
	}
	return callback.CheckReplay(r.Context(), cfg.Deduper, "zeyi:"+cfg.AppKey+":nonce:"+h.timestamp+":"+h.nonce, ttl)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// wireEvent accepts strings or numbers for every field.
type wireEvent struct {
	Code       flex.String `json:"code"`
	AuditType  flex.String `json:"auditType"`
	BusinessID flex.String `json:"businessId"`
	Type       flex.String `json:"type"`
	Result     flex.String `json:"result"`
	AuditUser  flex.String `json:"auditUser"`
	Remark     flex.String `json:"remark"`
	ID         flex.String `json:"id"`
	AuditID    flex.String `json:"auditId"`
}

func decodeEvent(body []byte) (*CallbackEvent, error) {
	var w wireEvent
	trimmed := bytes.TrimSpace(body)
	if !bytes.HasPrefix(trimmed, []byte("{")) {
		return nil, callback.Malformed("body is not a JSON object", nil)
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, callback.Malformed("cannot decode body", err)
	}
	return &CallbackEvent{
		Code: string(w.Code), AuditType: string(w.AuditType), BusinessID: string(w.BusinessID),
		Type: EventType(w.Type), Result: AuditResult(w.Result), AuditUser: string(w.AuditUser),
		Remark: string(w.Remark), ID: string(w.ID), AuditID: string(w.AuditID),
		Raw: append(json.RawMessage(nil), body...),
	}, nil
}

// Acknowledgements written by the callback handler.
var (
	ackOK = []byte(`{"success":true,"businessException":false,"errorCode":null,"message":null,"result":null}`)
)

// NewCallbackHandler returns an http.Handler that verifies each callback
// like ParseCallback and calls fn once per message:
//
//   - a rejected callback gets its 4xx ([CallbackStatus]) and fn never runs;
//   - the message is reserved in the Deduper (CallbackConfig.Deduper, else
//     [WithDeduper], else an in-process one) under its identity (appKey,
//     type, result, businessId, auditId, id, code, auditType), so 则一's
//     re-signed redeliveries of one result are one message;
//   - a message handled before is acknowledged again without calling fn;
//     one being handled by another delivery right now gets 503;
//   - fn's success commits the key and answers 200 with the gateway's
//     success envelope; an error, or a panic (recovered and logged), releases
//     the key and answers 500, so that 则一's next delivery runs fn again.
//
// opts may carry WithDeduper, WithLogger and WithClock; other options are
// ignored. An invalid option or a nil fn makes every request fail with 500
// rather than panic.
func NewCallbackHandler(cfg CallbackConfig, fn func(ctx context.Context, ev *CallbackEvent) error, opts ...Option) http.Handler {
	o, optErr := newOptions(opts)
	if optErr == nil && fn == nil {
		optErr = errors.New("NewCallbackHandler: fn: required")
	}
	if cfg.Now == nil {
		cfg.Now = o.Clock
	}
	dedup := cfg.Deduper
	if dedup == nil {
		dedup = o.Deduper
	}
	log := redact.New(cfg.AppSecret, cfg.BearerToken).Logger(o.Logger)
	return callback.Handler[*CallbackEvent]{
		Parse: func(r *http.Request) (*CallbackEvent, error) {
			if optErr != nil {
				return nil, &callback.Error{Status: http.StatusInternalServerError, Reason: "callback handler misconfigured", Err: optErr}
			}
			return parseCallback(r, cfg, false)
		},
		Key:    func(ev *CallbackEvent) string { return messageKey(cfg.AppKey, ev) },
		Dedup:  dedup,
		Handle: fn,
		Ack: func(*CallbackEvent) (callback.Ack, error) {
			return callback.Ack{Status: http.StatusOK, ContentType: ContentType, Body: ackOK}, nil
		},
		Fail: failAck,
		OnError: func(r *http.Request, err error) {
			log.LogAttrs(r.Context(), slog.LevelWarn, "zeyi: callback not acknowledged", slog.String("error", err.Error()))
		},
		Log: log,
	}
}

// messageKey names one approval result: the fields that identify it, not
// the bytes or the nonce of one delivery. A redelivery is re-signed with
// a new timestamp and nonce but carries the same result.
func messageKey(appKey string, ev *CallbackEvent) string {
	h := sha256.New()
	for _, f := range []string{string(ev.Type), string(ev.Result), ev.BusinessID, ev.AuditID, ev.ID, ev.Code, ev.AuditType} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return "zeyi:" + appKey + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}

// failAck answers a failure with an envelope whose message is safe to
// show: a rejection's reason, or a generic text for the user's error.
func failAck(status int, err error) callback.Ack {
	msg := http.StatusText(status)
	var ce *callback.Error
	if errors.As(err, &ce) && ce.Reason != "" {
		msg = ce.Reason
	}
	body, _ := json.Marshal(map[string]any{
		"success": false, "businessException": false, "errorCode": strconv.Itoa(status), "message": msg, "result": nil,
	})
	return callback.Ack{Status: status, ContentType: ContentType, Body: body}
}
