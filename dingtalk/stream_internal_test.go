package dingtalk

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzStreamFrame feeds hostile WebSocket messages to the frame parser and
// the event decoder: they must never panic, and a decoded event keeps the
// frame's data as its Raw JSON.
func FuzzStreamFrame(f *testing.F) {
	f.Add([]byte(`{"specVersion":"1.0","type":"EVENT","headers":{"topic":"*","messageId":"m1","eventType":"bpms_instance_change",` +
		`"eventId":"e1","eventCorpId":"ding1","eventBornTime":"1763254800000"},"data":"{\"processInstanceId\":\"pi\",\"type\":\"finish\",\"result\":\"agree\",\"createTime\":1763254800000}"}`))
	f.Add([]byte(`{"type":"EVENT","headers":{"messageId":"m2","eventType":"bpms_task_change"},"data":"{\"taskId\":\"12\",\"finishTime\":\"x\"}"}`))
	f.Add([]byte(`{"type":"SYSTEM","headers":{"topic":"ping","messageId":"m3"},"data":"{\"opaque\":\"o\"}"}`))
	f.Add([]byte(`{"type":"EVENT","headers":{"messageId":"m4","eventType":"other"},"data":"[1,2"}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := parseStreamFrame(b)
		if err != nil {
			return
		}
		_ = systemAck(fr)
		_ = notHandledAck(fr)
		ack := eventAck(fr.Headers.MessageID, StreamAckLater)
		if !json.Valid(ack) {
			t.Fatalf("ACK is not JSON: %s", ack)
		}
		ev, err := streamEvent(fr)
		if err != nil {
			return
		}
		if string(ev.Raw) != fr.Data {
			t.Fatalf("Raw %q, want the frame's data %q", ev.Raw, fr.Data)
		}
		if ev.Type == EventInstanceChange && ev.InstanceChange == nil || ev.Type == EventTaskChange && ev.TaskChange == nil {
			t.Fatalf("approval event %s not decoded", ev.Type)
		}
	})
}

func TestStreamAckWire(t *testing.T) {
	var got map[string]any
	if err := json.Unmarshal(eventAck("m1", StreamAckLater), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"code": float64(500), "message": "OK", "data": `{"message":"later","status":"LATER"}`,
		"headers": map[string]any{"messageId": "m1", "contentType": "application/json"}}
	if !jsonEqual(got, want) {
		t.Fatalf("LATER ACK %v, want %v", got, want)
	}
	if err := json.Unmarshal(eventAck("m2", StreamAckSuccess), &got); err != nil {
		t.Fatal(err)
	}
	if got["code"] != float64(200) || got["data"] != `{"message":"success","status":"SUCCESS"}` {
		t.Fatalf("SUCCESS ACK %v", got)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestStreamBackoffDoublesIsJitteredAndCapped(t *testing.T) {
	s := &StreamClient{opts: streamOptions{minBackoff: time.Second, maxBackoff: time.Minute}}
	seen := map[time.Duration]bool{}
	for n := 1; n <= 100; n++ {
		want := time.Minute
		if n <= 6 {
			want = time.Second << (n - 1) // 1, 2, 4, ... 32 s
		}
		for range 20 {
			d := s.backoff(n)
			if d < want/2 || d > want {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, want/2, want)
			}
			seen[d] = true
		}
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct waits in 2000 draws: not jittered", len(seen))
	}
}
