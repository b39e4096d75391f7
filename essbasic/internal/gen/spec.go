// Package gen generates the typed essbasic actions from the platform's
// machine-readable spec (tccli's api.json for essbasic 2021-05-26) and its
// error-code table. It is deterministic: the same inputs always give the
// same bytes, so the generated files can be checked in and re-verified.
//
// Run it through go generate in the essbasic package; see cmd/essbasic-gen.
package gen

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Spec is the subset of api.json the generator reads.
type Spec struct {
	Actions  map[string]Action `json:"actions"`
	Objects  map[string]Object `json:"objects"`
	Metadata struct {
		APIVersion       string `json:"apiVersion"`
		ServiceShortName string `json:"serviceShortName"`
	} `json:"metadata"`
}

// Action is one API action.
type Action struct {
	Name   string `json:"name"` // the Chinese title
	Input  string `json:"input"`
	Output string `json:"output"`
	Status string `json:"status"`
	Doc    string `json:"document"`
}

// Object is a request, a response or a data structure.
type Object struct {
	Members []Member `json:"members"`
	Usage   string   `json:"usage"` // in, out, both; empty for requests and responses
}

// Member is one field of an object.
type Member struct {
	Name           string `json:"name"`
	Type           string `json:"type"`   // string, int, bool, float, list, object
	Member         string `json:"member"` // element or struct type
	Required       bool   `json:"required"`
	OutputRequired bool   `json:"output_required"`
	AllowNull      bool   `json:"value_allowed_null"`
	Disabled       bool   `json:"disabled"`
	Example        string `json:"example"`
}

// ParseSpec decodes api.json and checks the invariants the generator
// relies on.
func ParseSpec(b []byte) (*Spec, error) {
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("gen: api.json: %w", err)
	}
	if len(s.Actions) == 0 {
		return nil, fmt.Errorf("gen: api.json has no actions")
	}
	for name, a := range s.Actions {
		if a.Input != name+"Request" || a.Output != name+"Response" {
			return nil, fmt.Errorf("gen: action %s: unexpected input/output %s/%s", name, a.Input, a.Output)
		}
		for _, o := range []string{a.Input, a.Output} {
			if _, ok := s.Objects[o]; !ok {
				return nil, fmt.Errorf("gen: action %s: object %s missing", name, o)
			}
		}
	}
	for name, o := range s.Objects {
		for _, m := range o.Members {
			if _, err := scalarType(m); err != nil && m.Type != "list" && m.Type != "object" {
				return nil, fmt.Errorf("gen: %s.%s: %w", name, m.Name, err)
			}
			if (m.Type == "list" || m.Type == "object") && !isScalar(m.Member) {
				if _, ok := s.Objects[m.Member]; !ok {
					return nil, fmt.Errorf("gen: %s.%s: unknown type %s", name, m.Name, m.Member)
				}
			}
		}
	}
	return &s, nil
}

// ErrorCode is one row of errors.tsv.
type ErrorCode struct {
	Code, Desc string
}

// ParseErrors reads errors.tsv: "code<TAB>description" lines; lines
// starting with # are comments.
func ParseErrors(b []byte) ([]ErrorCode, error) {
	var out []ErrorCode
	seen := map[string]bool{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, desc, ok := strings.Cut(line, "\t")
		if !ok || code == "" {
			return nil, fmt.Errorf("gen: errors.tsv line %d: want code<TAB>description", i+1)
		}
		if seen[code] {
			return nil, fmt.Errorf("gen: errors.tsv line %d: duplicate code %s", i+1, code)
		}
		seen[code] = true
		out = append(out, ErrorCode{Code: code, Desc: strings.TrimSpace(desc)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

func isScalar(t string) bool {
	switch t {
	case "string", "date", "int64", "uint64", "bool", "float":
		return true
	}
	return false
}

// scalarType maps a spec element type to its Go type.
func scalarType(m Member) (string, error) {
	switch m.Member {
	case "string", "date":
		return "string", nil
	case "int64", "uint64", "bool":
		return m.Member, nil
	case "float":
		return "float64", nil
	}
	return "", fmt.Errorf("unsupported member type %q", m.Member)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
