package hetong

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAmountKeepsDigits(t *testing.T) {
	for _, s := range []string{"0", "3500.00", "0.1", "-12.345", "99999999999999999999.99"} {
		a, err := ParseAmount(s)
		require.NoError(t, err, s)
		assert.Equal(t, s, a.String())
	}
	neg0, err := ParseAmount("-0.00")
	require.NoError(t, err)
	assert.Equal(t, "0.00", neg0.String())
}

func TestParseAmountRejects(t *testing.T) {
	for _, s := range []string{"", "-", ".5", "5.", "1e3", "NaN", "Inf", "+1", " 1", "1,000", "1.2.3", "0x10", "１"} {
		_, err := ParseAmount(s)
		assert.ErrorIs(t, err, ErrAmount, "%q", s)
	}
}

func TestAmountJSONRoundTripsTheWireForm(t *testing.T) {
	type row struct {
		A Amount `json:"a"`
		B Amount `json:"b"`
	}
	in := `{"a":"3500.10","b":12.30}`
	var r row
	require.NoError(t, json.Unmarshal([]byte(in), &r))
	assert.Equal(t, "3500.10", r.A.String())
	assert.Equal(t, "12.30", r.B.String())
	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
	assert.Equal(t, in, string(out), "digits must be kept exactly")

	s, _ := json.Marshal(r.B.AsString())
	assert.Equal(t, `"12.30"`, string(s))
	n, _ := json.Marshal(r.A.AsNumber())
	assert.Equal(t, `3500.10`, string(n))
}

func TestAmountJSONEdgeCases(t *testing.T) {
	var a Amount
	require.NoError(t, json.Unmarshal([]byte(`null`), &a))
	assert.True(t, a.IsZero())
	require.NoError(t, json.Unmarshal([]byte(`""`), &a))
	assert.True(t, a.IsZero())
	require.NoError(t, json.Unmarshal([]byte(`1.5E+3`), &a))
	assert.Equal(t, "1500", a.String())
	require.NoError(t, json.Unmarshal([]byte(`125e-2`), &a))
	assert.Equal(t, "1.25", a.String())
	assert.Error(t, json.Unmarshal([]byte(`"abc"`), &a))
	assert.Error(t, json.Unmarshal([]byte(`true`), &a))
	assert.Error(t, json.Unmarshal([]byte(`1e999999`), &a))
}

func TestAmountFen(t *testing.T) {
	for fen, text := range map[int64]string{0: "0.00", 5: "0.05", -5: "-0.05", 350000: "3500.00", math.MinInt64: "-92233720368547758.08"} {
		a := AmountFromFen(fen)
		assert.Equal(t, text, a.String())
		back, err := a.Fen()
		require.NoError(t, err)
		assert.Equal(t, fen, back)
	}
	a, _ := ParseAmount("1.005")
	_, err := a.Fen()
	assert.True(t, errors.Is(err, ErrAmount))
	b, _ := ParseAmount("1.100")
	f, err := b.Fen()
	require.NoError(t, err)
	assert.Equal(t, int64(110), f)
	huge, _ := ParseAmount("999999999999999999999")
	_, err = huge.Fen()
	assert.ErrorIs(t, err, ErrAmount)
}

func TestAmountArithmeticAndCompare(t *testing.T) {
	x, _ := ParseAmount("1.10")
	y, _ := ParseAmount("2.005")
	assert.Equal(t, "3.105", x.Add(y).String())
	assert.Equal(t, "-0.905", x.Sub(y).String())
	one, _ := ParseAmount("1")
	oneish, _ := ParseAmount("1.000")
	assert.True(t, one.Equal(oneish))
	assert.Equal(t, -1, x.Cmp(y))
	assert.Equal(t, 1, y.Cmp(x))
	assert.Equal(t, 0, Amount{}.Sign())
	assert.Equal(t, "0", Amount{}.String())
}

func TestPtr(t *testing.T) {
	p := Ptr(true)
	q := Ptr(true)
	*p = false
	assert.True(t, *q, "each call returns its own copy")
}

func FuzzAmountJSON(f *testing.F) {
	for _, s := range []string{`1`, `"1.00"`, `-0`, `1e3`, `"x"`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a Amount
		if json.Unmarshal([]byte(s), &a) != nil {
			return
		}
		out, err := json.Marshal(a)
		require.NoError(t, err)
		var b Amount
		require.NoError(t, json.Unmarshal(out, &b))
		require.True(t, a.Equal(b))
	})
}
