package zeyi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/flex"
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

	replayKey string // what the Deduper saw, forgotten when handling fails
}

// Approved reports a finished, agreed approval.
func (e *CallbackEvent) Approved() bool { return e.Type == EventFinish && e.Result == ResultAgree }

// Refused reports a finished, refused approval.
func (e *CallbackEvent) Refused() bool { return e.Type == EventFinish && e.Result == ResultRefuse }

// Terminated reports a terminated approval (revoked, deleted, cancelled).
func (e *CallbackEvent) Terminated() bool { return e.Type == EventTerminate }

// CallbackError is what ParseCallback returns for a rejected callback:
// Status is the HTTP status to answer with, Reason a text safe to log.
type CallbackError = callback.Error

// Causes a CallbackError may wrap, for errors.Is.
var (
	ErrCallbackSignature = callback.ErrSignature // bad appKey or sign
	ErrCallbackStale     = callback.ErrStale     // timestamp outside MaxSkew
	ErrCallbackReplay    = callback.ErrReplay    // timestamp+nonce seen before
	ErrCallbackTooLarge  = callback.ErrTooLarge  // body over MaxBody
)

// Deduper remembers callback nonces to refuse replays; implement it over a
// shared store when several processes receive callbacks.
type Deduper = callback.Deduper

// MemoryDeduper is an in-process Deduper.
type MemoryDeduper = callback.MemoryDeduper

// NewMemoryDeduper returns an empty in-process Deduper.
func NewMemoryDeduper() *MemoryDeduper { return callback.NewMemoryDeduper(nil) }

// DefaultCallbackMaxBody bounds a callback body unless CallbackConfig.MaxBody says otherwise.
const DefaultCallbackMaxBody = 64 << 10

// defaultReplayTTL is how long nonces are remembered without a MaxSkew.
const defaultReplayTTL = 24 * time.Hour

// CallbackConfig says how to verify callbacks. The key pair is the one
// the integrator issued to 则一 (金润提供), not the one 则一 issued.
type CallbackConfig struct {
	// AppKey and AppSecret are required: the appKey header must equal
	// AppKey and sign must match.
	AppKey, AppSecret string
	// BearerToken, when set, must arrive as "Authorization: Bearer <token>".
	BearerToken string
	// MaxSkew, when positive, rejects timestamps further than this from now.
	MaxSkew time.Duration
	// Deduper, when set, rejects a repeated timestamp+nonce pair. Nonces
	// are kept for 2×MaxSkew, or 24 h without a MaxSkew.
	Deduper Deduper
	// MaxBody bounds the body (default DefaultCallbackMaxBody).
	MaxBody int64
	// Now replaces time.Now for the window check.
	Now func() time.Time
}

// ParseCallback reads and verifies a callback request and decodes it:
// bounded body read, required headers, appKey and md5 signature over the
// raw body (constant time), optional Bearer token, timestamp window and
// replay check, then a tolerant decode. Its errors are [*CallbackError]
// values whose text is safe to log; [NewCallbackHandler] turns them into
// 4xx answers. The request body stays readable.
func ParseCallback(r *http.Request, cfg CallbackConfig) (*CallbackEvent, error) {
	if cfg.AppKey == "" || cfg.AppSecret == "" {
		return nil, &callback.Error{Status: http.StatusInternalServerError, Reason: "CallbackConfig.AppKey and AppSecret are required"}
	}
	if r == nil {
		return nil, callback.Reject(http.StatusBadRequest, "nil request")
	}
	if r.Method != http.MethodPost {
		return nil, callback.Reject(http.StatusMethodNotAllowed, "want POST")
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
	if err := verify(r, cfg, h, body); err != nil {
		return nil, err
	}
	ev, err := decodeEvent(body)
	if err != nil {
		return nil, err
	}
	ev.AppKey, ev.Timestamp, ev.Nonce, ev.replayKey = h.appKey, time.UnixMilli(h.ms), h.nonce, replayKey(h)
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
		return s, callback.Reject(http.StatusUnauthorized, "missing appKey, timestamp, nonce or sign header")
	case !isAlnum(s.nonce) || len(s.nonce) != NonceLen:
		return s, callback.Reject(http.StatusUnauthorized, "malformed nonce")
	case len(s.timestamp) > 16 || !isDigits(s.timestamp):
		return s, callback.Reject(http.StatusUnauthorized, "malformed timestamp")
	}
	s.ms, _ = strconv.ParseInt(s.timestamp, 10, 64) // 16 digits cannot overflow
	return s, nil
}

// verify checks the credentials in order of cost to a forger: key,
// signature, bearer token, window, and last the replay store (so forged
// requests never fill it).
func verify(r *http.Request, cfg CallbackConfig, h signedHeaders, body []byte) error {
	if !callback.Equal(h.appKey, cfg.AppKey) {
		return &callback.Error{Status: http.StatusUnauthorized, Reason: "unknown appKey", Err: callback.ErrSignature}
	}
	if err := callback.CheckSignature(h.sign, Sign(cfg.AppKey, cfg.AppSecret, h.timestamp, h.nonce, body)); err != nil {
		return err
	}
	if cfg.BearerToken != "" {
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || !callback.Equal(strings.TrimSpace(tok), cfg.BearerToken) {
			return callback.Reject(http.StatusUnauthorized, "bad bearer token")
		}
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	if err := callback.CheckWindow(time.UnixMilli(h.ms), now(), cfg.MaxSkew); err != nil {
		return err
	}
	ttl := defaultReplayTTL
	if cfg.MaxSkew > 0 {
		ttl = 2 * cfg.MaxSkew
	}
	return callback.CheckReplay(r.Context(), cfg.Deduper, replayKey(h), ttl)
}

func replayKey(h signedHeaders) string { return h.timestamp + ":" + h.nonce }

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

var errNotObject = errors.New("callback body is not a JSON object")

func decodeEvent(body []byte) (*CallbackEvent, error) {
	var w wireEvent
	trimmed := strings.TrimSpace(string(body))
	if !strings.HasPrefix(trimmed, "{") {
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "body is not a JSON object", Err: errNotObject}
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "cannot decode body", Err: err}
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
// with ParseCallback and calls fn. It answers 200 with the gateway's
// success envelope only after fn returned nil; a rejected callback gets
// its 4xx, and an fn error a 500 so that 则一 delivers it again. A nonce
// whose handling failed is forgotten by a MemoryDeduper, so the retry is
// accepted. fn should be idempotent: the same result may arrive twice.
func NewCallbackHandler(cfg CallbackConfig, fn func(ctx context.Context, ev *CallbackEvent) error) http.Handler {
	return callback.Handler[*CallbackEvent]{
		Parse: func(r *http.Request) (*CallbackEvent, error) { return ParseCallback(r, cfg) },
		Handle: func(ctx context.Context, ev *CallbackEvent) error {
			err := fn(ctx, ev)
			if err != nil {
				callback.Forget(cfg.Deduper, ev.replayKey)
			}
			return err
		},
		Ack: func(*CallbackEvent) (callback.Ack, error) {
			return callback.Ack{Status: http.StatusOK, ContentType: ContentType, Body: ackOK}, nil
		},
		Fail: failAck,
	}
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
