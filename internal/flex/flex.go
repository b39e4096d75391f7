// Package flex holds JSON types that tolerate the shapes Chinese platform
// APIs really send: numbers as strings and strings as numbers, 19-digit IDs
// that must not pass through float64, booleans as "true"/"1", and
// "yyyy-MM-dd HH:mm:ss" times in China Standard Time.
package flex

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Shanghai is China Standard Time (UTC+8, no daylight saving since 1991).
// A fixed zone keeps the SDK independent of the host's tzdata.
var Shanghai = time.FixedZone("CST", 8*3600)

// Layouts the platforms use for times and dates.
const (
	DateTimeLayout = "2006-01-02 15:04:05"
	DateLayout     = "2006-01-02"
)

var null = []byte("null")

// unquote returns the raw text of a JSON string or number.
func unquote(b []byte) (string, bool, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, null) {
		return "", false, nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", false, err
		}
		return s, true, nil
	}
	return string(b), true, nil
}

// String decodes from a JSON string, number or boolean, keeping the text
// exactly (a 19-digit number stays exact). It encodes as a JSON string.
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(b []byte) error {
	v, _, err := unquote(b)
	if err != nil {
		return err
	}
	if len(v) > 0 && (v[0] == '{' || v[0] == '[') && !bytes.HasPrefix(bytes.TrimSpace(b), []byte(`"`)) {
		return errors.New("flex: want string or number, got " + kindOf(v))
	}
	*s = String(v)
	return nil
}

func kindOf(v string) string {
	if strings.HasPrefix(v, "{") {
		return "object"
	}
	return "array"
}

// ID is an identifier that may arrive as a 19-digit number or a string. It
// is kept as its decimal text and encoded as a JSON string.
type ID = String

// Int64 decodes from a JSON number or a numeric string ("" and null mean 0).
type Int64 int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int64) UnmarshalJSON(b []byte) error {
	v, ok, err := unquote(b)
	if err != nil || !ok || v == "" {
		*n = 0
		return err
	}
	i, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil || f != float64(int64(f)) {
			return fmt.Errorf("flex: %q is not an integer", v)
		}
		i = int64(f)
	}
	*n = Int64(i)
	return nil
}

// Float64 decodes from a JSON number or a numeric string ("" and null mean 0).
type Float64 float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float64) UnmarshalJSON(b []byte) error {
	v, ok, err := unquote(b)
	if err != nil || !ok || v == "" {
		*f = 0
		return err
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
	if err != nil {
		return fmt.Errorf("flex: %q is not a number", v)
	}
	*f = Float64(x)
	return nil
}

// Bool decodes from true/false, "true"/"false", 1/0 and "1"/"0", "Y"/"N".
type Bool bool

// UnmarshalJSON implements json.Unmarshaler.
func (x *Bool) UnmarshalJSON(b []byte) error {
	v, ok, err := unquote(b)
	if err != nil || !ok {
		*x = false
		return err
	}
	switch strings.ToLower(v) {
	case "true", "1", "y", "yes":
		*x = true
	case "false", "0", "n", "no", "":
		*x = false
	default:
		return fmt.Errorf("flex: %q is not a boolean", v)
	}
	return nil
}

// Time is a time that arrives as "yyyy-MM-dd HH:mm:ss" (China Standard
// Time), "yyyy-MM-dd", RFC 3339, or Unix milliseconds. It encodes as
// "yyyy-MM-dd HH:mm:ss" in China Standard Time; the zero value encodes as null.
type Time struct{ time.Time }

// ParseTime parses any of the shapes [Time] accepts.
func ParseTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).In(Shanghai), nil
	}
	for _, layout := range []string{DateTimeLayout, DateLayout, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, Shanghai); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.In(Shanghai), nil
	}
	return time.Time{}, fmt.Errorf("flex: cannot parse time %q", v)
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	v, ok, err := unquote(b)
	if err != nil || !ok {
		t.Time = time.Time{}
		return err
	}
	t.Time, err = ParseTime(v)
	return err
}

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return null, nil
	}
	return []byte(`"` + t.In(Shanghai).Format(DateTimeLayout) + `"`), nil
}

// Date is a calendar date encoded as "yyyy-MM-dd" in China Standard Time.
type Date struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (d *Date) UnmarshalJSON(b []byte) error {
	var t Time
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	d.Time = t.Time
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return null, nil
	}
	return []byte(`"` + d.In(Shanghai).Format(DateLayout) + `"`), nil
}
