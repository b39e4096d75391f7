// Package gen writes the typed layer of package qiyuesuo (requests, models,
// one method per endpoint) and the route table of its fake from the
// platform's machine-readable spec (api.json, kept outside the repository).
package gen

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Spec is api.json: the endpoints of the open platform and the objects
// their requests and results are made of.
type Spec struct {
	Platform  string            `json:"platform"`
	Version   string            `json:"version"`
	Endpoints []Endpoint        `json:"endpoints"`
	Objects   map[string]Object `json:"objects"`
}

// Endpoint is one request struct of the official SDK: a method and path,
// how its parameters travel (Body) and what its result holds.
type Endpoint struct {
	Name          string `json:"name"`
	Title         string `json:"title"`
	Group         string `json:"group"`
	Method        string `json:"method"`
	Path          string `json:"path"`
	Body          string `json:"body"` // json, none (query), multipart, form
	Request       string `json:"request"`
	Response      string `json:"response"`
	ResponseKnown bool   `json:"responseKnown"`
	Stream        bool   `json:"stream"`
	SaaS          bool   `json:"saas"`
	Deprecated    bool   `json:"deprecated"`
	Doc           string `json:"doc"`
}

// Object is a request body, shared model, result or callback payload.
type Object struct {
	Fields []Field `json:"fields"`
}

// Field is one member of an object with its wire name and spec type.
type Field struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Required *bool  `json:"required"`
	In       string `json:"in"`
	Enum     []any  `json:"enum"`
	Max      *int   `json:"max"`
	Doc      string `json:"doc"`
}

// EnumValues returns the documented values as text (some are numbers).
func (f Field) EnumValues() []string {
	out := make([]string, len(f.Enum))
	for i, v := range f.Enum {
		out[i] = fmt.Sprint(v)
	}
	return out
}

// IsRequired reports whether the spec says the field is required.
func (f Field) IsRequired() bool { return f.Required != nil && *f.Required }

// Bodies the generator knows.
const (
	BodyJSON      = "json"
	BodyQuery     = "none"
	BodyMultipart = "multipart"
	BodyForm      = "form"
)

// ParseSpec decodes api.json and checks what the generator relies on:
// known bodies and types, resolvable object references, unique names.
func ParseSpec(b []byte) (*Spec, error) {
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("gen: api.json: %w", err)
	}
	if len(s.Endpoints) == 0 {
		return nil, fmt.Errorf("gen: api.json has no endpoints")
	}
	for _, e := range s.Endpoints {
		switch e.Body {
		case BodyJSON, BodyQuery, BodyMultipart, BodyForm:
		default:
			return nil, fmt.Errorf("gen: endpoint %s: unknown body %q", e.Name, e.Body)
		}
		if e.Method != "GET" && e.Method != "POST" {
			return nil, fmt.Errorf("gen: endpoint %s: unknown method %q", e.Name, e.Method)
		}
		for _, ref := range []string{e.Request, e.Response} {
			if _, ok := s.Objects[ref]; ref != "" && !ok {
				return nil, fmt.Errorf("gen: endpoint %s names object %s, which the spec lacks", e.Name, ref)
			}
		}
	}
	for _, name := range sortedKeys(s.Objects) {
		for _, f := range s.Objects[name].Fields {
			if _, err := parseType(f.Type); err != nil {
				return nil, fmt.Errorf("gen: %s.%s: %w", name, f.Name, err)
			}
			if ref := objectRef(f.Type); ref != "" {
				if _, ok := s.Objects[ref]; !ok {
					return nil, fmt.Errorf("gen: %s.%s names object %s, which the spec lacks", name, f.Name, ref)
				}
			}
		}
	}
	return &s, nil
}

// specType is a parsed field type: Array for array:<elem>, Kind the scalar
// kind or "object", Ref the object name.
type specType struct {
	Array bool
	Kind  string
	Ref   string
}

var scalarKinds = map[string]bool{
	"string": true, "int": true, "int64": true, "int64-as-string": true, "float": true,
	"bool": true, "datetime": true, "file": true, "map": true,
}

func parseType(t string) (specType, error) {
	var st specType
	rest := t
	if r, ok := strings.CutPrefix(rest, "array:"); ok {
		st.Array, rest = true, r
	}
	if r, ok := strings.CutPrefix(rest, "object:"); ok {
		st.Kind, st.Ref = "object", r
		return st, nil
	}
	if !scalarKinds[rest] {
		return st, fmt.Errorf("unknown type %q", t)
	}
	st.Kind = rest
	return st, nil
}

func objectRef(t string) string {
	st, _ := parseType(t)
	return st.Ref
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
