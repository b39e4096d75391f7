package dingtalk

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDefaultRateLimitIsTwentyPerAPI(t *testing.T) {
	assert.Equal(t, 20.0, defaultRateLimit().PerSecond)
	assert.Equal(t, 20, defaultRateLimit().Burst)
	assert.True(t, defaultRateLimit().PerKey, "one bucket per API path")
}

// TestDecodeAsTakesTypeAndIDFromOutside: Stream frames carry the event's
// type and id in headers, not in the data.
func TestDecodeAsTakesTypeAndIDFromOutside(t *testing.T) {
	var ev Event
	data := []byte(`{"processInstanceId":"pi","type":"finish","result":"agree","createTime":1763690400000}`)
	if err := ev.decodeAs(EventInstanceChange, "evt-1", data); err != nil {
		t.Fatal(err)
	}
	if ev.ID != "evt-1" || ev.InstanceChange == nil || ev.InstanceChange.ProcessInstanceID != "pi" || ev.InstanceChange.Result != "agree" {
		t.Fatalf("got %+v", ev)
	}
	var other Event
	if err := other.decodeAs("org_dept_create", "", []byte(`{"DeptId":[1]}`)); err != nil || len(other.ID) != 64 {
		t.Fatalf("id %q err %v", other.ID, err)
	}
}
