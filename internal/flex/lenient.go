package flex

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// UnmarshalLenient is json.Unmarshal for plain Go types (int64, bool,
// string fields, not this package's types) that tolerates the mismatches
// platforms really send: numbers as strings ("12", ""), strings as numbers,
// integral floats (3.0) for integers, and "true"/"1" for booleans.
//
// The fast path is one json.Unmarshal; only when it fails with a type
// mismatch is the document decoded generically, coerced field by field
// towards v's type (following json tags), and decoded again. A value that
// cannot be coerced still fails with the original error.
func UnmarshalLenient(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var typeErr *json.UnmarshalTypeError
	if err == nil || !errors.As(err, &typeErr) {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var generic any
	if dec.Decode(&generic) != nil {
		return err
	}
	fixed, merr := json.Marshal(coerce(generic, reflect.TypeOf(v), reflect.ValueOf(v)))
	if merr != nil {
		return err
	}
	if json.Unmarshal(fixed, v) != nil {
		return err
	}
	return nil
}

// coerce rewrites the generic JSON value x towards type t. v, when valid,
// is the value being decoded into: it lets an interface field holding a
// typed pointer (json.Unmarshal decodes into that) steer the coercion.
func coerce(x any, t reflect.Type, v reflect.Value) any {
	for {
		if t.Kind() == reflect.Interface && v.IsValid() && !v.IsNil() {
			v = v.Elem()
			t = v.Type()
			continue
		}
		if t.Kind() != reflect.Pointer {
			break
		}
		t = t.Elem()
		if v.IsValid() && !v.IsNil() {
			v = v.Elem()
		} else {
			v = reflect.Value{}
		}
	}
	if x == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return coerceStruct(x, t, v)
	case reflect.Slice, reflect.Array:
		a, ok := x.([]any)
		if !ok || t.Elem().Kind() == reflect.Uint8 {
			return x
		}
		for i := range a {
			a[i] = coerce(a[i], t.Elem(), reflect.Value{})
		}
		return a
	case reflect.Map:
		m, ok := x.(map[string]any)
		if ok {
			for k, e := range m {
				m[k] = coerce(e, t.Elem(), reflect.Value{})
			}
		}
		return x
	case reflect.Interface:
		return x
	}
	return coerceScalar(x, t.Kind())
}

func coerceStruct(x any, t reflect.Type, v reflect.Value) any {
	m, ok := x.(map[string]any)
	if !ok {
		return x
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == "-" {
			continue
		} else if tag != "" {
			name = tag
		}
		var fv reflect.Value
		if v.IsValid() {
			fv = v.Field(i)
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			coerceStruct(m, f.Type, fv)
			continue
		}
		for k, e := range m { // encoding/json matches keys case-insensitively
			if strings.EqualFold(k, name) {
				m[k] = coerce(e, f.Type, fv)
			}
		}
	}
	return m
}

func coerceScalar(x any, k reflect.Kind) any {
	switch k {
	case reflect.String:
		switch v := x.(type) {
		case json.Number:
			return v.String()
		case bool:
			return strconv.FormatBool(v)
		}
	case reflect.Bool:
		switch v := x.(type) {
		case string:
			var b Bool
			if b.UnmarshalJSON([]byte(strconv.Quote(v))) == nil {
				return bool(b)
			}
		case json.Number:
			return v.String() != "0"
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return integer(x)
	case reflect.Float32, reflect.Float64:
		if s, ok := x.(string); ok {
			if s = strings.ReplaceAll(strings.TrimSpace(s), ",", ""); s == "" {
				return nil
			}
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				return json.Number(s)
			}
		}
	}
	return x
}

// integer turns "12", "" and 12.0 into something an integer field accepts.
func integer(x any) any {
	s, isString := x.(string)
	if n, ok := x.(json.Number); ok {
		s = n.String()
	} else if !isString {
		return x
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return json.Number(s)
	}
	if _, err := strconv.ParseUint(s, 10, 64); err == nil {
		return json.Number(s)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return json.Number(strconv.FormatInt(int64(f), 10))
	}
	return x
}
