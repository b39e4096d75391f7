package dingtalk

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
)

// Stream frame kinds (StreamDataFrame.type) and the SYSTEM topics.
const (
	streamTypeSystem      = "SYSTEM"
	streamTypeEvent       = "EVENT"
	streamTopicPing       = "ping"
	streamTopicDisconnect = "disconnect"
	streamContentType     = "application/json"
)

// Event acknowledgement statuses (StreamEventAckData.status).
const (
	// StreamAckSuccess tells DingTalk the event was consumed.
	StreamAckSuccess = "SUCCESS"
	// StreamAckLater asks DingTalk to push the event again later.
	StreamAckLater = "LATER"
)

// streamFrame is a frame DingTalk sends (StreamDataFrame).
type streamFrame struct {
	SpecVersion string             `json:"specVersion"`
	Type        string             `json:"type"`
	Headers     streamFrameHeaders `json:"headers"`
	Data        string             `json:"data"` // JSON text
}

// streamFrameHeaders are a frame's headers (StreamFrameHeaders); the event
// ones are set on EVENT frames only.
type streamFrameHeaders struct {
	Topic         string `json:"topic"`
	MessageID     string `json:"messageId"`
	ContentType   string `json:"contentType"`
	Time          string `json:"time"`
	EventType     string `json:"eventType"`
	EventID       string `json:"eventId"`
	EventBornTime string `json:"eventBornTime"`
	EventCorpID   string `json:"eventCorpId"`
}

// streamAck is the client's answer to one frame (StreamAckFrame).
type streamAck struct {
	Code    int              `json:"code"`
	Headers streamAckHeaders `json:"headers"`
	Message string           `json:"message"`
	Data    string           `json:"data"` // JSON text
}

type streamAckHeaders struct {
	MessageID   string `json:"messageId"`
	ContentType string `json:"contentType"`
}

// parseStreamFrame decodes one WebSocket message. A frame without a
// messageId cannot be acknowledged, so it is refused.
func parseStreamFrame(b []byte) (*streamFrame, error) {
	var f streamFrame
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	if f.Headers.MessageID == "" {
		return nil, errors.New("frame without headers.messageId")
	}
	return &f, nil
}

// eventAck answers an EVENT frame: code 200 with SUCCESS, or code 500 with
// LATER, as DingTalk's own SDK does.
func eventAck(messageID, status string) []byte {
	code, msg := 200, "success"
	if status != StreamAckSuccess {
		code, msg = 500, "later"
	}
	data := marshalAck(map[string]string{"status": status, "message": msg})
	return marshalAck(streamAck{Code: code, Message: "OK", Data: string(data),
		Headers: streamAckHeaders{MessageID: messageID, ContentType: streamContentType}})
}

// marshalAck encodes an ACK; made of strings and ints, it cannot fail.
func marshalAck(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// systemAck answers a SYSTEM frame with code 200, echoing its data (the
// ping's opaque value).
func systemAck(f *streamFrame) []byte {
	return marshalAck(streamAck{Code: 200, Message: "OK", Data: f.Data,
		Headers: streamAckHeaders{MessageID: f.Headers.MessageID, ContentType: streamContentType}})
}

// streamEvent turns an EVENT frame into the Event the HTTP callback
// handler also delivers. Over Stream the type, corp and event id come in
// the headers, not in data; the approval events are decoded field by field,
// others stay raw. ID is the eventId; Timestamp carries eventBornTime
// (epoch ms).
func streamEvent(f *streamFrame) (*Event, error) {
	if !json.Valid([]byte(f.Data)) {
		return nil, errors.New("event data is not JSON")
	}
	ev := &Event{Type: f.Headers.EventType, ID: f.Headers.EventID, Raw: json.RawMessage(f.Data), Timestamp: f.Headers.EventBornTime}
	if ev.ID == "" { // as the HTTP callback does for a push without eventId
		sum := sha256.Sum256([]byte(f.Data))
		ev.ID = hex.EncodeToString(sum[:])
	}
	if ev.Type != EventInstanceChange && ev.Type != EventTaskChange {
		return ev, nil
	}
	var w eventWire
	if err := json.Unmarshal([]byte(f.Data), &w); err != nil {
		return nil, err
	}
	if w.CorpID == "" {
		w.CorpID = f.Headers.EventCorpID
	}
	if ev.Type == EventInstanceChange {
		ic := w.instance()
		ev.InstanceChange = &ic
	} else {
		ev.TaskChange = &TaskChangeEvent{InstanceChangeEvent: w.instance(), TaskID: string(w.TaskID), Remark: w.Remark}
	}
	return ev, nil
}

// notHandledAck answers a frame of a topic this client does not handle
// with code 404, as the protocol reserves it.
func notHandledAck(f *streamFrame) []byte {
	return marshalAck(streamAck{Code: 404, Message: "topic not handled",
		Headers: streamAckHeaders{MessageID: f.Headers.MessageID, ContentType: streamContentType}})
}
