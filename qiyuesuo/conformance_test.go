package qiyuesuo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/qiyuesuo/internal/gen"
)

// The conformance tests hold the package to the spec without trusting the
// generator: they find every method of *Client by reflection, call it
// with a request that passes validation, record the method and path it
// hits, and compare every request type's wire names and JSON types with
// the spec.

// handWritten are the methods of *Client that are not endpoints.
var handWritten = map[string]bool{"Raw": true, "NewCallbackHandler": true, "String": true, "GoString": true, "Format": true}

type hit struct{ method, path string }

// callEveryMethod calls each endpoint method of c once and returns the
// request it sent, by method name.
func callEveryMethod(t *testing.T, s *gen.Spec) map[string]hit {
	t.Helper()
	c, mt := mockClient(t, WithRetry(RetryPolicy{MaxAttempts: 1}), WithRateLimit(0, 0))
	var mu sync.Mutex
	var last hit
	var wantFile bool
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		mu.Lock()
		defer mu.Unlock()
		last = hit{r.Method, r.URL.Path}
		if wantFile {
			resp := httpmock.NewBytesResponse(200, []byte("%PDF-1.4"))
			resp.Header.Set("Content-Type", "application/pdf")
			return resp, nil
		}
		return httpmock.NewStringResponse(200, `{"code":0,"message":"SUCCESS","result":{}}`), nil
	})
	hits := map[string]hit{}
	errs := callEveryEndpoint(t, s, c, func(_ string, stream bool) {
		mu.Lock()
		defer mu.Unlock()
		last, wantFile = hit{}, stream
	}, func(name string) {
		mu.Lock()
		defer mu.Unlock()
		hits[name] = last
	})
	for name, err := range errs {
		if err != nil {
			t.Errorf("%s: %v", name, err)
			delete(hits, name)
		}
	}
	return hits
}

// callEveryEndpoint calls each endpoint method of c with a request that
// passes validation (its required fields and ContractID set) and returns
// each call's error by method name. before and after, when set, run
// around each call.
func callEveryEndpoint(t *testing.T, s *gen.Spec, c *Client, before func(name string, stream bool), after func(name string)) map[string]error {
	t.Helper()
	errs := map[string]error{}
	v := reflect.ValueOf(c)
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		mtyp := m.Type
		if handWritten[m.Name] || strings.HasPrefix(m.Name, "All") || mtyp.NumIn() < 2 || mtyp.In(1) != ctxType {
			continue
		}
		args := []reflect.Value{v, reflect.ValueOf(context.Background())}
		if mtyp.NumIn() > 2 {
			req := reflect.New(mtyp.In(2).Elem())
			fillRequired(t, s, specName(s, mtyp.In(2).Elem()), req.Elem())
			args = append(args, req)
		}
		if mtyp.NumIn() > 3 {
			args = append(args, reflect.ValueOf(io.Discard))
		}
		if before != nil {
			before(m.Name, mtyp.NumIn() > 3)
		}
		out := m.Func.Call(args)
		err, _ := out[len(out)-1].Interface().(error)
		errs[m.Name] = err
		if after != nil {
			after(m.Name)
		}
	}
	return errs
}

// specName finds the spec object a Go request type stands for.
func specName(s *gen.Spec, t reflect.Type) string {
	for name := range s.Objects {
		if strings.EqualFold(name, t.Name()) {
			return name
		}
	}
	return ""
}

// fillRequired sets every field the spec requires, and ContractID where a
// request addresses a contract, so that validation passes.
func fillRequired(t *testing.T, s *gen.Spec, obj string, v reflect.Value) {
	t.Helper()
	byWire := fieldsByWire(v.Type())
	for _, f := range s.Objects[obj].Fields {
		gf, ok := byWire[f.Name]
		if !ok {
			continue // reported by TestRequestFieldsMatchSpec
		}
		if f.IsRequired() || f.Name == "contractId" {
			fillValue(t, s, f.Type, v.FieldByIndex(gf.Index))
		}
	}
}

func fillValue(t *testing.T, s *gen.Spec, specType string, v reflect.Value) {
	switch {
	case v.Type() == reflect.TypeOf(File{}):
		v.Set(reflect.ValueOf(File{Name: "a.pdf", Reader: strings.NewReader("%PDF")}))
	case v.Kind() == reflect.String:
		v.SetString("1")
	case v.Kind() == reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillValue(t, s, specType, v.Elem())
	case v.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillValue(t, s, strings.TrimPrefix(specType, "array:"), v.Index(0))
	case v.Kind() == reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		v.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf(any("v")))
	case v.Type() == reflect.TypeOf(DateTime{}):
	case v.Kind() == reflect.Struct:
		fillRequired(t, s, strings.TrimPrefix(specType, "object:"), v)
	}
}

// fieldsByWire maps the wire names of a struct's fields (json, url or
// form tag) to the fields.
func fieldsByWire(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _ := wireName(f); name != "" {
			out[name] = f
		}
	}
	return out
}

// wireName returns a field's wire name and the tag it came from.
func wireName(f reflect.StructField) (string, string) {
	for _, key := range []string{"json", "url", "form"} {
		if tag, ok := f.Tag.Lookup(key); ok {
			name, _, _ := strings.Cut(tag, ",")
			return name, key
		}
	}
	return "", ""
}

// specTypeOf is the spec type a Go field type stands for.
func specTypeOf(t reflect.Type) string {
	switch t {
	case reflect.TypeOf(ID("")):
		return "int64-as-string"
	case reflect.TypeOf(DateTime{}):
		return "datetime"
	case reflect.TypeOf(File{}):
		return "file"
	case reflect.TypeOf(map[string]any{}), reflect.TypeOf(json.RawMessage{}):
		return "map"
	case reflect.TypeOf(hetong.Amount{}):
		return "string" // money: sent as a JSON string (TestMoneyTravelsAsString)
	}
	switch t.Kind() {
	case reflect.Pointer:
		return specTypeOf(t.Elem())
	case reflect.Slice:
		return "array:" + specTypeOf(t.Elem())
	case reflect.Struct:
		return "object:" + t.Name()
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int:
		return "int"
	case reflect.Int64:
		return "int64"
	case reflect.Float64:
		return "float"
	}
	return t.String()
}

// TestEveryEndpointHasOneMethod: each distinct method+path of the spec is
// reached by exactly one method of *Client, and every method reaches an
// endpoint of the spec.
func TestEveryEndpointHasOneMethod(t *testing.T) {
	s, err := gen.ParseSpec(readSpec(t))
	require.NoError(t, err)
	hits := callEveryMethod(t, s)
	byEndpoint := map[hit][]string{}
	for name, h := range hits {
		byEndpoint[h] = append(byEndpoint[h], name)
	}
	distinct := map[hit]bool{}
	for _, e := range s.Endpoints {
		h := hit{e.Method, e.Path}
		if distinct[h] {
			continue
		}
		distinct[h] = true
		methods := byEndpoint[h]
		sort.Strings(methods)
		assert.Len(t, methods, 1, "%s %s (%s) is reached by %v", e.Method, e.Path, e.Name, methods)
	}
	for h, methods := range byEndpoint {
		assert.True(t, distinct[h], "%v reach %s %s, which the spec lacks", methods, h.method, h.path)
	}
	assert.Len(t, distinct, 127, "the spec's distinct endpoints")
	assert.Len(t, hits, len(distinct), "one method per endpoint")
}

// TestRequestFieldsMatchSpec: every request type (and every object it
// sends) has exactly the spec's fields, with the spec's wire names, JSON
// types and the tag of the place they travel in.
func TestRequestFieldsMatchSpec(t *testing.T) {
	s, err := gen.ParseSpec(readSpec(t))
	require.NoError(t, err)
	c, _ := mockClient(t)
	seen := map[reflect.Type]bool{}
	var check func(obj string, typ reflect.Type, body string)
	check = func(obj string, typ reflect.Type, body string) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		spec, ok := s.Objects[obj]
		require.True(t, ok, "%s: no spec object", typ)
		goFields := fieldsByWire(typ)
		assert.Equal(t, typ.NumField(), len(goFields), "%s: a field without a wire name", typ)
		for _, f := range spec.Fields {
			gf, ok := goFields[f.Name]
			if !assert.True(t, ok, "%s lacks the spec field %s", typ, f.Name) {
				continue
			}
			delete(goFields, f.Name)
			got := specTypeOf(gf.Type)
			want := f.Type
			if ref := strings.TrimPrefix(strings.TrimPrefix(want, "array:"), "object:"); strings.Contains(want, "object:") {
				if assert.True(t, strings.EqualFold(strings.TrimPrefix(strings.TrimPrefix(got, "array:"), "object:"), ref), "%s.%s: type %s, spec %s", typ, gf.Name, got, want) {
					elem := gf.Type
					for elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice {
						elem = elem.Elem()
					}
					check(ref, elem, "json")
				}
			} else {
				assert.Equal(t, want, got, "%s.%s (%s)", typ, gf.Name, f.Name)
			}
			_, tag := wireName(gf)
			wantTag := map[string]string{"body": "json", "query": "url", "form": "form"}[f.In]
			if f.In == "form" && body == gen.BodyForm {
				wantTag = "url"
			}
			assert.Equal(t, wantTag, tag, "%s.%s travels in %s", typ, gf.Name, f.In)
		}
		for name := range goFields {
			t.Errorf("%s has the field %s, which the spec lacks", typ, name)
		}
	}
	v := reflect.ValueOf(c)
	checked := 0
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		if handWritten[m.Name] || strings.HasPrefix(m.Name, "All") || m.Type.NumIn() < 3 {
			continue
		}
		reqType := m.Type.In(2).Elem()
		obj := specName(s, reqType)
		if !assert.NotEmpty(t, obj, "%s: request type %s is not in the spec", m.Name, reqType) {
			continue
		}
		body := ""
		for _, e := range s.Endpoints {
			if e.Request == obj {
				body = e.Body
			}
		}
		check(obj, reqType, body)
		checked++
	}
	assert.Greater(t, checked, 100)
}

// TestMoneyTravelsAsString: amounts are hetong.Amount in Go and JSON
// strings on the wire, however they were made.
func TestMoneyTravelsAsString(t *testing.T) {
	c, mt := mockClient(t)
	var body []byte
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		body, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(200, `{"code":0,"result":{}}`), nil
	})
	balance, err := hetong.ParseAmount("1000.50")
	require.NoError(t, err)
	price := hetong.AmountFromFen(12)
	_, err = c.SaaSFeeInit(context.Background(), &SaaSFeeInitRequest{InitialBalance: &balance, InitialPrice: &price})
	require.NoError(t, err)
	assert.Contains(t, string(body), `"initialBalance":"1000.50"`)
	assert.Contains(t, string(body), `"initialPrice":"0.12"`)
}
