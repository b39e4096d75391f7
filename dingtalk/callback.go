package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/flex"
)

// Event types (EventType) the SDK decodes into typed events.
const (
	EventCheckURL          = "check_url"            // sent when the callback URL is saved
	EventInstanceChange    = "bpms_instance_change" // an instance started, finished or was terminated
	EventTaskChange        = "bpms_task_change"     // a task started, finished, was cancelled or redirected
	defaultCallbackWindow  = time.Hour
	callbackReplyBody      = "success"
	callbackDedupKeyPrefix = "dingtalk:callback:"
)

// Deduper remembers callback signatures to refuse replays; share one
// between processes behind a load balancer.
type Deduper = callback.Deduper

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
	// Deduper refuses a signature seen within Window. ParseCallback skips
	// the check when nil; NewCallbackHandler uses an in-memory one. When
	// it also has a Forget(key string) method, NewCallbackHandler forgets
	// the signature of a push whose handling failed, so DingTalk's retry of
	// it is accepted.
	Deduper Deduper
	// Clock replaces time.Now.
	Clock func() time.Time
	// OnError, when set, is told about every rejected or failed callback
	// in NewCallbackHandler.
	OnError func(r *http.Request, err error)
}

// Event is one decrypted callback. Raw is the decrypted JSON; the typed
// field matching Type is set for approval events, others pass through raw.
type Event struct {
	Type           string // EventType, e.g. "bpms_instance_change"
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
	return parseCallback(r, &cfg, c)
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
	if json.Unmarshal(body, &env) != nil || env.Encrypt == "" {
		return nil, callback.Reject(http.StatusBadRequest, "body is not {\"encrypt\":…}")
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
	if err := callback.CheckReplay(r.Context(), cfg.Deduper, callbackDedupKeyPrefix+ev.Signature, window(cfg)); err != nil {
		return nil, err
	}
	if err := ev.decode(msg); err != nil {
		return nil, &callback.Error{Status: http.StatusBadRequest, Reason: "decrypted message is not an event", Err: err}
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
		EventType string `json:"EventType"`
	}
	if err := json.Unmarshal(msg, &head); err != nil {
		return err
	}
	e.Type, e.Raw = head.EventType, json.RawMessage(msg)
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
// It answers check_url itself, passes every other verified event to fn,
// and replies with the encrypted "success" only after fn returned nil; an
// error from fn answers 500 so DingTalk pushes again (and the signature is
// forgotten, see [CallbackConfig].Deduper, so the retry is accepted). Forged,
// stale, replayed, oversize or garbled requests get a 4xx and never reach
// fn. A bad cfg makes every request fail with 500 (reported to OnError).
func NewCallbackHandler(cfg CallbackConfig, fn func(ctx context.Context, ev *Event) error) http.Handler {
	c, cerr := NewCrypto(cfg.Token, cfg.EncodingAESKey, cfg.OwnerKey)
	if cfg.Deduper == nil {
		cfg.Deduper = callback.NewMemoryDeduper(cfg.Clock)
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
		Handle: func(ctx context.Context, ev *Event) error {
			if ev.Type == EventCheckURL || fn == nil {
				return nil
			}
			err := fn(ctx, ev)
			if err != nil {
				callback.Forget(cfg.Deduper, callbackDedupKeyPrefix+ev.Signature)
			}
			return err
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
	}
}
