package kingdee

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Message is one system message (消息) for SendMsg.
type Message struct {
	// Title is FTitle (标题). Required.
	Title string
	// Content is FContent (内容).
	Content string
	// Receivers are the receiving users' names (FReceivers, joined by
	// commas on the wire). At least one.
	Receivers []string
	// Type is FType, the message type; empty sends "1", the value of
	// Kingdee's own sample.
	Type string
}

// MarshalJSON writes the message with Kingdee's field keys.
func (m Message) MarshalJSON() ([]byte, error) {
	typ := m.Type
	if typ == "" {
		typ = "1"
	}
	return json.Marshal(struct {
		Title     string `json:"FTitle"`
		Content   string `json:"FContent"`
		Receivers string `json:"FReceivers"`
		Type      string `json:"FType"`
	}{m.Title, m.Content, strings.Join(m.Receivers, ","), typ})
}

// SendMsgRequest sends system messages (发送消息).
type SendMsgRequest struct {
	// Messages are sent in order. At least one.
	Messages []Message
}

// SendMsg sends system messages to users (发送消息). Never retried.
func (c *Client) SendMsg(ctx context.Context, req *SendMsgRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("SendMsg", "SendMsgRequest", "required")
	}
	if len(req.Messages) == 0 {
		return nil, inputError("SendMsg", "SendMsgRequest.Messages", "required")
	}
	for i, m := range req.Messages {
		field := fmt.Sprintf("SendMsgRequest.Messages[%d]", i)
		if strings.TrimSpace(m.Title) == "" {
			return nil, inputError("SendMsg", field+".Title", "required")
		}
		if len(m.Receivers) == 0 {
			return nil, inputError("SendMsg", field+".Receivers", "required")
		}
		if err := checkIDList("SendMsg", field+".Receivers", m.Receivers); err != nil {
			return nil, err
		}
	}
	data := struct {
		Model []Message `json:"Model"`
	}{req.Messages}
	return c.operation(ctx, dfs("SendMsg", formData{Data: data}, false))
}
