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
