package flex

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type sample struct {
	ID    ID      `json:"id"`
	N     Int64   `json:"n"`
	F     Float64 `json:"f"`
	B     Bool    `json:"b"`
	T     Time    `json:"t"`
	D     Date    `json:"d"`
	Label String  `json:"label"`
}

func TestDecodeLoose(t *testing.T) {
	var s sample
	err := json.Unmarshal([]byte(`{"id":1234567890123456789,"n":"42","f":"1,234.50","b":"true","t":"2024-03-01 08:30:00","d":"2024-03-01","label":7}`), &s)
	require.NoError(t, err)
	assert.Equal(t, ID("1234567890123456789"), s.ID)
	assert.Equal(t, Int64(42), s.N)
	assert.Equal(t, Float64(1234.5), s.F)
	assert.True(t, bool(s.B))
	assert.Equal(t, time.Date(2024, 3, 1, 0, 30, 0, 0, time.UTC), s.T.UTC())
	assert.Equal(t, String("7"), s.Label)

	require.NoError(t, json.Unmarshal([]byte(`{"id":"abc","n":7,"f":2.5,"b":1,"t":1709253000000,"d":null}`), &s))
	assert.Equal(t, ID("abc"), s.ID)
	assert.Equal(t, Int64(7), s.N)
	assert.True(t, bool(s.B))
	assert.Equal(t, int64(1709253000000), s.T.UnixMilli())
	assert.True(t, s.D.IsZero())
}

func TestDecodeRejects(t *testing.T) {
	for _, in := range []string{`{"n":"x"}`, `{"n":1.5}`, `{"b":"maybe"}`, `{"t":"yesterday"}`, `{"label":{"a":1}}`, `{"f":"abc"}`} {
		var s sample
		assert.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
}

func TestEncode(t *testing.T) {
	tm := time.Date(2024, 3, 1, 0, 30, 0, 0, time.UTC)
	b, err := json.Marshal(sample{ID: "1", T: Time{tm}, D: Date{tm}})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"t":"2024-03-01 08:30:00"`)
	assert.Contains(t, string(b), `"d":"2024-03-01"`)
	assert.Contains(t, string(b), `"id":"1"`)
	b, _ = json.Marshal(sample{})
	assert.Contains(t, string(b), `"t":null`)
}

func FuzzFlex(f *testing.F) {
	f.Add([]byte(`{"id":1,"n":"2","f":"3","b":"1","t":"2024-01-01 00:00:00","d":"2024-01-01","label":"x"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var s sample
		_ = json.Unmarshal(in, &s)
	})
}
