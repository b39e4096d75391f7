package flex

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type lenientItem struct {
	ID    string `json:"Id"`
	Count int64
	Ok    bool
}

type lenientDoc struct {
	Total  *uint64
	Price  float64
	Items  []lenientItem
	Inner  *lenientItem
	Names  []string
	Skip   string `json:"-"`
	Nested struct{ N int64 }
}

func TestUnmarshalLenient(t *testing.T) {
	var d lenientDoc
	in := `{"Total":"7","Price":"1,234.5","Items":[{"Id":1234567890123456789,"Count":"3","Ok":"true"},{"id":"x","count":2.0,"ok":1}],` +
		`"Inner":{"Count":""},"Names":[1,true],"Nested":{"N":"9"}}`
	require.NoError(t, UnmarshalLenient([]byte(in), &d))
	assert.EqualValues(t, 7, *d.Total)
	assert.Equal(t, 1234.5, d.Price)
	assert.Equal(t, lenientItem{ID: "1234567890123456789", Count: 3, Ok: true}, d.Items[0])
	assert.Equal(t, lenientItem{ID: "x", Count: 2, Ok: true}, d.Items[1])
	assert.EqualValues(t, 0, d.Inner.Count)
	assert.Equal(t, []string{"1", "true"}, d.Names)
	assert.EqualValues(t, 9, d.Nested.N)
}

func TestUnmarshalLenientKeepsRealErrors(t *testing.T) {
	var d lenientDoc
	err := UnmarshalLenient([]byte(`{"Items":[{"Count":"many"}]}`), &d)
	var te *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &te)
	assert.Error(t, UnmarshalLenient([]byte(`{"Items":`), &d), "syntax errors are not retried")
	assert.Error(t, UnmarshalLenient([]byte(`{"Total":"2.5"}`), &d))
	assert.NoError(t, UnmarshalLenient([]byte(`{"Total":3}`), &d), "fast path")
}

func FuzzUnmarshalLenient(f *testing.F) {
	f.Add([]byte(`{"Total":"7","Items":[{"Count":"3"}]}`))
	f.Add([]byte(`{"Price":true,"Names":{"a":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d lenientDoc
		_ = UnmarshalLenient(b, &d)
	})
}

func TestUnmarshalLenientThroughInterface(t *testing.T) {
	var item lenientItem
	require.NoError(t, UnmarshalLenient([]byte(`{"Response":{"Count":"5"}}`), &struct{ Response any }{&item}))
	assert.EqualValues(t, 5, item.Count)
}
