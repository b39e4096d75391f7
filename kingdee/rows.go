package kingdee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
)

// rowPlan maps query columns to the kd-tagged fields of a struct.
type rowPlan struct {
	typ    reflect.Type
	keys   []string
	fields []planField
}

type planField struct {
	index []int
	name  string
	typ   reflect.Type
}

var plans sync.Map // reflect.Type → *rowPlan

var timeType = reflect.TypeOf(time.Time{})
var rawType = reflect.TypeOf(json.RawMessage(nil))

// planFor builds (once per type) the plan of T, which must be a struct
// with at least one kd tag.
func planFor[T any](op string) (*rowPlan, error) {
	t := reflect.TypeFor[T]()
	if p, ok := plans.Load(t); ok {
		return p.(*rowPlan), nil
	}
	if t.Kind() != reflect.Struct {
		return nil, inputError(op, fmt.Sprintf("Query[%s]", t), `T must be a struct with kd:"FieldKey" tags`)
	}
	p := &rowPlan{typ: t}
	seen := map[string]string{}
	for _, f := range reflect.VisibleFields(t) {
		key, ok := f.Tag.Lookup("kd")
		if !ok || key == "-" || !f.IsExported() {
			continue
		}
		key = strings.TrimSpace(key)
		if key == "" || strings.Contains(key, ",") {
			return nil, inputError(op, fmt.Sprintf("Query[%s].%s", t, f.Name), fmt.Sprintf("bad kd tag %q", key))
		}
		if viaPointer(t, f.Index) {
			return nil, inputError(op, fmt.Sprintf("Query[%s].%s", t, f.Name), "is promoted through an embedded pointer; embed the struct by value")
		}
		if prev, dup := seen[strings.ToLower(key)]; dup {
			return nil, inputError(op, fmt.Sprintf("Query[%s].%s", t, f.Name), fmt.Sprintf("reads %q, as field %s does", key, prev))
		}
		seen[strings.ToLower(key)] = f.Name
		p.keys = append(p.keys, key)
		p.fields = append(p.fields, planField{index: f.Index, name: f.Name, typ: f.Type})
	}
	if len(p.keys) == 0 {
		return nil, inputError(op, fmt.Sprintf("Query[%s]", t), `no field has a kd:"FieldKey" tag`)
	}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*rowPlan), nil
}

func viaPointer(t reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		f := t.Field(i)
		if f.Type.Kind() == reflect.Pointer {
			return true
		}
		t = f.Type
	}
	return false
}

// match checks explicit FieldKeys against the tags, case-insensitively
// (Kingdee field keys are).
func (p *rowPlan) match(op, name string, keys []string) error {
	for i, k := range keys {
		if i >= len(p.keys) {
			return inputError(op, fmt.Sprintf("%s.FieldKeys[%d]", name, i), fmt.Sprintf("%q has no kd-tagged field in %s", k, p.typ))
		}
		if !strings.EqualFold(strings.TrimSpace(k), p.keys[i]) {
			return inputError(op, fmt.Sprintf("%s.FieldKeys[%d]", name, i), fmt.Sprintf("%q, but field %s of %s reads %q", k, p.fields[i].name, p.typ, p.keys[i]))
		}
	}
	if len(keys) < len(p.keys) {
		return inputError(op, name+".FieldKeys", fmt.Sprintf("field %s of %s (%q) has no column", p.fields[len(keys)].name, p.typ, p.keys[len(keys)]))
	}
	return nil
}

// fill decodes one row into dst (a *T).
func (p *rowPlan) fill(dst any, row []json.RawMessage, rowNum int) error {
	v := reflect.ValueOf(dst).Elem()
	for i, f := range p.fields {
		if err := setCell(v.FieldByIndex(f.index), row[i]); err != nil {
			return fmt.Errorf("row %d column %s (field %s %s): %w", rowNum, p.keys[i], f.name, f.typ, err)
		}
	}
	return nil
}

// setCell converts one JSON cell into the field's type.
func setCell(fv reflect.Value, cell json.RawMessage) error {
	switch {
	case fv.Type() == timeType:
		var t flex.Time
		if err := t.UnmarshalJSON(cell); err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(t.Time))
		return nil
	case fv.Type() == rawType:
		fv.SetBytes(bytes.Clone(cell))
		return nil
	}
	switch fv.Kind() {
	case reflect.String:
		if n := len(cell); n >= 2 && cell[0] == '"' && cell[n-1] == '"' && bytes.IndexByte(cell, '\\') < 0 {
			fv.SetString(string(cell[1 : n-1])) // a plain string needs no unescaping
			return nil
		}
		var s flex.String
		if err := s.UnmarshalJSON(cell); err != nil {
			return err
		}
		fv.SetString(string(s))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var n flex.Int64
		if err := n.UnmarshalJSON(cell); err != nil {
			return err
		}
		if fv.OverflowInt(int64(n)) {
			return fmt.Errorf("%d overflows", n)
		}
		fv.SetInt(int64(n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		var n flex.Int64
		if err := n.UnmarshalJSON(cell); err != nil {
			return err
		}
		if n < 0 || fv.OverflowUint(uint64(n)) {
			return fmt.Errorf("%d does not fit", n)
		}
		fv.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		var f flex.Float64
		if err := f.UnmarshalJSON(cell); err != nil {
			return err
		}
		fv.SetFloat(float64(f))
	case reflect.Bool:
		var b flex.Bool
		if err := b.UnmarshalJSON(cell); err != nil {
			return err
		}
		fv.SetBool(bool(b))
	case reflect.Interface:
		if fv.NumMethod() > 0 {
			return fmt.Errorf("cannot decode into a non-empty interface")
		}
		dec := json.NewDecoder(bytes.NewReader(cell))
		dec.UseNumber()
		var x any
		if err := dec.Decode(&x); err != nil {
			return err
		}
		if x != nil {
			fv.Set(reflect.ValueOf(x))
		}
	default:
		return json.Unmarshal(cell, fv.Addr().Interface())
	}
	return nil
}
