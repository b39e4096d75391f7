package qiyuesuo

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Unset optional times must be left out on every Go version: omitzero is
// ignored before Go 1.24, and a null expireTime is not "no expiry".
func TestDraftRequestOmitsUnsetTimes(t *testing.T) {
	b, err := json.Marshal(ContractDraftRequest{Subject: "s"})
	require.NoError(t, err)
	assert.NotContains(t, string(b), "expireTime")
	assert.NotContains(t, string(b), "endTime")

	at := DateTime{Time: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}
	b, err = json.Marshal(ContractDraftRequest{Subject: "s", ExpireTime: &at})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"expireTime":"2024-05-01 18:00:00"`)
}
