package dingtalk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/flex"
)

// The callback sentinels, shared by every package of the SDK: test what
// [ParseCallback] returns (or what a handler reports to OnError) with
// errors.Is, and learn the HTTP status the handler answers with
// [CallbackStatus].
var (
	ErrSignature = callback.ErrSignature // msg_signature does not match
	ErrStale     = callback.ErrStale     // timestamp outside CallbackConfig.Window
	ErrReplay    = callback.ErrReplay    // a message seen before, or being handled now
	ErrDecrypt   = callback.ErrDecrypt   // bad base64, key, padding, length or owner key
	ErrMalformed = callback.ErrMalformed // not DingTalk's {"encrypt":…} or not an event
	ErrTooLarge  = callback.ErrTooLarge  // body over CallbackConfig.MaxBody
)

// CallbackStatus returns the HTTP status a callback handler answers for
// err: 4xx for a rejected request, 503 for a message being handled by
// another delivery, 500 for a failed handler (DingTalk pushes again).
func CallbackStatus(err error) int { return callback.StatusOf(err) }

// EventHandler handles one verified, decrypted event. Return nil only when
// the event is handled: DingTalk is told "success" after that, and a
// repeated delivery of the same message is acknowledged without calling
// the handler again. An error (or a panic, which is recovered) makes
// DingTalk push the event again. The HTTP callback handler and the Stream
// mode client call the same type, so one function serves both.
type EventHandler func(ctx context.Context, ev *Event) error

// Event types (EventType) the SDK decodes into typed events.
const (
	EventCheckURL         = "check_url"            // sent when the callback URL is saved
	EventInstanceChange   = "bpms_instance_change" // an instance started, finished or was terminated
	EventTaskChange       = "bpms_task_change"     // a task started, finished, was cancelled or redirected
	defaultCallbackWindow = time.Hour
	callbackReplyBody     = "success"
)

// CallbackConfig is what a callback endpoint needs to verify and decrypt
// DingTalk's HTTP event pushes (事件订阅 → HTTP 推送).
type CallbackConfig struct {
	Token          string // 签名 Token
	EncodingAESKey string // 43 characters
	OwnerKey       string // the AppKey (internal app), CorpID or SuiteKey
	// MaxBody caps the request body (default 1 MiB).
	MaxBody int64
	// Window is how far the timestamp may be from now (default 1 h;
	// negative disables the check).
	Window time.Duration
	// Deduper remembers handled messages by their identity (the event's
	// eventId, else a digest of the decrypted message, never the
	// signature's spelling): the handler reserves a message before fn runs,
	// commits it after fn succeeded and releases it after a failure or
	// panic. NewCallbackHandler uses an in-memory one when nil;
	// ParseCallback refuses a message reserved before with ErrReplay.
	Deduper Deduper
	// Clock replaces time.Now (timestamp window, reply timestamps).
	Clock func() time.Time
	// Random replaces crypto/rand for the reply's 16-byte random prefix.
	Random io.Reader
	// Logger records recovered panics and dedup store failures.
	Logger *slog.Logger
	// OnError, when set, is told about every rejected or failed callback
	// in NewCallbackHandler.
	OnError func(r *http.Request, err error)
}

// Event is one decrypted callback. Raw is the decrypted JSON; the typed
// field matching Type is set for approval events, others pass through raw.
type Event struct {
	Type string // EventType, e.g. "bpms_instance_change"
	// ID identifies the message: DingTalk's eventId when the push carries
	// one, else the hex SHA-256 of the decrypted message. Redeliveries of
	// one message share it; the handler deduplicates on it.
	ID             string
	Raw            json.RawMessage
	Signature      string
	Timestamp      string
	Nonce          string
	InstanceChange *InstanceChangeEvent // for bpms_instance_change
	TaskChange     *TaskChangeEvent     // for bpms_task_change
}

// InstanceChangeEvent says an approval instance started (Type "start"),
// finished ("finish", Result agree or refuse) or was terminated
// ("terminate"). Treat it as a trigger: fetch the instance with
// [Client.GetInstance] for its current state, as events repeat and arrive
// out of order.
type InstanceChangeEvent struct {
	ProcessInstanceID string
	CorpID            string
	ProcessCode       string
	BusinessID        string
	BizCategoryID     string
	Title             string
	Type              string // start, finish, terminate (task events: start, finish, cancel)
	Result            string // agree, refuse (task events: also redirect); empty on terminate
	StaffID           string // the originator (task events: the task's handler)
	URL               string
	CreateTime        time.Time
	FinishTime        time.Time
}

// TaskChangeEvent says an approver's task changed.
type TaskChangeEvent struct {
	InstanceChangeEvent
	TaskID string
	Remark string
}

type eventWire struct {
	ProcessInstanceID string      `json:"processInstanceId"`
	CorpID            string      `json:"corpId"`
	ProcessCode       string      `json:"processCode"`
	BusinessID        flex.String `json:"businessId"`
	BizCategoryID     flex.String `json:"bizCategoryId"`
	Title             string      `json:"title"`
	Type              string      `json:"type"`
	Result            string      `json:"result"`
	StaffID           flex.String `json:"staffId"`
	URL               string      `json:"url"`
	CreateTime        flex.Time   `json:"createTime"`
	FinishTime        flex.Time   `json:"finishTime"`
	TaskID            flex.String `json:"taskId"`
	Remark            string      `json:"remark"`
}

func (w *eventWire) instance() InstanceChangeEvent {
	return InstanceChangeEvent{ProcessInstanceID: w.ProcessInstanceID, CorpID: w.CorpID, ProcessCode: w.ProcessCode,
		BusinessID: string(w.BusinessID), BizCategoryID: string(w.BizCategoryID), Title: w.Title, Type: w.Type,
		Result: w.Result, StaffID: string(w.StaffID), URL: w.URL, CreateTime: w.CreateTime.Time, FinishTime: w.FinishTime.Time}
}

// DedupKey identifies the business change an approval event reports
// (instance + type + task), for deduplicating repeated deliveries; empty
// for other events.
func (e *Event) DedupKey() string {
	switch {
	case e.InstanceChange != nil:
		return e.Type + ":" + e.InstanceChange.ProcessInstanceID + ":" + e.InstanceChange.Type
	case e.TaskChange != nil:
		return e.Type + ":" + e.TaskChange.ProcessInstanceID + ":" + e.TaskChange.Type + ":" + e.TaskChange.TaskID
	}
	return ""
}

// ParseCallback verifies, decrypts and decodes one pushed event: the
// signature (msg_signature or signature) over timestamp (or timeStamp),
// nonce and the body's encrypt, then the timestamp window, the owner key
// and, with a Deduper, replays. Every rejection is an error whose
// callback status is a 4xx; nothing is decoded from an unverified body.
func ParseCallback(r *http.Request, cfg CallbackConfig) (*Event, error) {
	c, err := NewCrypto(cfg.Token, cfg.EncodingAESKey, cfg.OwnerKey)
	if err != nil {
		return nil, &callback.Error{Status: http.StatusInternalServerError, Reason: "misconfigured: " + err.Error(), Err: err}
	}
	ev, err := parseCallback(r, &cfg, c)
	if err != nil {
		return nil, err
	}
	if cfg.Deduper != nil {
		if err := callback.CheckReplay(r.Context(), cfg.Deduper, dedupKey(&cfg, ev), window(&cfg)); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// dedupKey is "dingtalk:<owner key>:<message identity>".
func dedupKey(cfg *CallbackConfig, ev *Event) string {
	return "dingtalk:" + cfg.OwnerKey + ":" + ev.ID
}

func parseCallback(r *http.Request, cfg *CallbackConfig, c *Crypto) (*Event, error) {
	if r == nil || r.URL == nil {
		return nil, callback.Reject(http.StatusBadRequest, "empty request")
	}
	if r.Method != http.MethodPost {
		return nil, callback.Reject(http.StatusMethodNotAllowed, "want POST")
	}
	q := r.URL.Query()
	ev := &Event{Signature: first(q.Get("msg_signature"), q.Get("signature")),
		Timestamp: first(q.Get("timestamp"), q.Get("timeStamp")), Nonce: q.Get("nonce")}
	if ev.Signature == "" || ev.Timestamp == "" || ev.Nonce == "" {
		return nil, callback.Reject(http.StatusBadRequest, "missing msg_signature, timestamp or nonce")
	}
	body, err := callback.ReadBody(r, cfg.MaxBody)
	if err != nil {
		return nil, err
	}
	var env struct {
		Encrypt string `json:"encrypt"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Encrypt == "" {
		return nil, callback.Malformed("body is not {\"encrypt\":…}", err)
	}
	if err := callback.CheckSignature(ev.Signature, c.Signature(ev.Timestamp, ev.Nonce, env.Encrypt)); err != nil {
		return nil, err
	}
	if err := checkTimestamp(ev.Timestamp, cfg); err != nil {
		return nil, err
	}
	msg, err := c.open(env.Encrypt)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrOwnerKey) {
			status = http.StatusForbidden
		}
		return nil, &callback.Error{Status: status, Reason: "cannot decrypt", Err: err}
	}
	if err := ev.decode(msg); err != nil {
		return nil, callback.Malformed("decrypted message is not an event", err)
	}
	return ev, nil
}

func window(cfg *CallbackConfig) time.Duration {
	if cfg.Window == 0 {
		return defaultCallbackWindow
	}
	return cfg.Window
}

// checkTimestamp accepts Unix milliseconds (what DingTalk sends) or seconds.
func checkTimestamp(ts string, cfg *CallbackConfig) error {
	w := window(cfg)
	if w < 0 {
		return nil
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n <= 0 {
		return callback.Reject(http.StatusBadRequest, "timestamp is not a number")
	}
	t := time.UnixMilli(n)
	if n < 1e11 { // seconds
		t = time.Unix(n, 0)
	}
	now := time.Now
	if cfg.Clock != nil {
		now = cfg.Clock
	}
	return callback.CheckWindow(t, now(), w)
}

// decode fills the event from the decrypted JSON, keeping it raw. Only
// the approval events are decoded field by field, so an unrelated event
// with unexpected field types still passes through.
func (e *Event) decode(msg []byte) error {
	var head struct {
		EventType string      `json:"EventType"`
		EventID   flex.String `json:"eventId"`
	}
	if err := json.Unmarshal(msg, &head); err != nil {
		return err
	}
	return e.decodeAs(head.EventType, string(head.EventID), msg)
}

// decodeAs fills the event from msg, an event of type typ with DingTalk's
// eventId id (a digest of msg stands in when id is empty). The HTTP body
// names its own type; Stream mode's EVENT frames carry type and id in
// their headers (eventType, eventId) and call this directly.
func (e *Event) decodeAs(typ, id string, msg []byte) error {
	e.Type, e.Raw, e.ID = typ, json.RawMessage(msg), id
	if e.ID == "" {
		sum := sha256.Sum256(msg)
		e.ID = hex.EncodeToString(sum[:])
	}
	if e.Type != EventInstanceChange && e.Type != EventTaskChange {
		return nil
	}
	var w eventWire
	if err := json.Unmarshal(msg, &w); err != nil {
		return err
	}
	if e.Type == EventInstanceChange {
		ic := w.instance()
		e.InstanceChange = &ic
	} else {
		e.TaskChange = &TaskChangeEvent{InstanceChangeEvent: w.instance(), TaskID: string(w.TaskID), Remark: w.Remark}
	}
	return nil
}

// NewCallbackHandler returns an http.Handler for DingTalk's event pushes.
// It answers check_url itself and passes every other verified event to fn
// (see [EventHandler]): the encrypted "success" goes back only after fn
// returned nil. Each message is handled once: it is reserved in
// cfg.Deduper before fn runs, committed after fn succeeded, released after
// fn failed or panicked (the panic is recovered and logged) so that
// DingTalk's next push runs fn again; a push that arrives while the first
// is still being handled gets 503 and is pushed again later. Forged, stale,
// oversize or garbled requests get a 4xx and never reach fn. A bad cfg
// makes every request fail with 500 (reported to OnError).
func NewCallbackHandler(cfg CallbackConfig, fn EventHandler) http.Handler {
	c, cerr := NewCrypto(cfg.Token, cfg.EncodingAESKey, cfg.OwnerKey)
	if cerr == nil && cfg.Random != nil {
		c = c.WithRandom(cfg.Random)
	}
	var dedup callback.Deduper = cfg.Deduper
	if dedup == nil {
		dedup = callback.NewMemoryDeduper(cfg.Clock)
	}
	now := time.Now
	if cfg.Clock != nil {
		now = cfg.Clock
	}
	return callback.Handler[*Event]{
		Parse: func(r *http.Request) (*Event, error) {
			if cerr != nil {
				return nil, &callback.Error{Status: http.StatusInternalServerError, Reason: "misconfigured: " + cerr.Error(), Err: cerr}
			}
			return parseCallback(r, &cfg, c)
		},
		Key:   func(ev *Event) string { return dedupKey(&cfg, ev) },
		Dedup: dedup,
		Handle: func(ctx context.Context, ev *Event) error {
			if ev.Type == EventCheckURL || fn == nil {
				return nil
			}
			return fn(ctx, ev)
		},
		Ack: func(*Event) (callback.Ack, error) {
			em, err := c.Encrypt([]byte(callbackReplyBody), strconv.FormatInt(now().UnixMilli(), 10), "")
			if err != nil {
				return callback.Ack{}, err
			}
			b, err := json.Marshal(em)
			return callback.Ack{ContentType: "application/json; charset=utf-8", Body: b}, err
		},
		OnError: cfg.OnError,
		Log:     cfg.Logger,
		DoneTTL: max(window(&cfg), callback.DefaultDoneTTL),
	}
}

// NewCallbackHandler is [NewCallbackHandler] with the client's options
// filling what cfg leaves unset: [WithDeduper], [WithClock], [WithRandom]
// and [WithLogger].
func (c *Client) NewCallbackHandler(cfg CallbackConfig, fn EventHandler) http.Handler {
	if cfg.Deduper == nil && c.deduper != nil {
		cfg.Deduper = c.deduper
	}
	if cfg.Clock == nil {
		cfg.Clock = c.clock
	}
	if cfg.Random == nil {
		cfg.Random = c.random
	}
	if cfg.Logger == nil {
		cfg.Logger = c.logger
	}
	return NewCallbackHandler(cfg, fn)
}
