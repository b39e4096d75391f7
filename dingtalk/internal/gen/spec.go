// Package gen writes the typed DingTalk endpoints (requests, responses,
// methods, validators, iterators) and the fake's route table from the
// machine-readable spec ../shared/platforms/dingtalk/api.json.
package gen

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Spec is api.json.
type Spec struct {
	Platform  string            `json:"platform"`
	Endpoints []Endpoint        `json:"endpoints"`
	Objects   map[string]Object `json:"objects"`
}

// Endpoint is one HTTP API of either family.
type Endpoint struct {
	Name     string `json:"name"`
	Family   string `json:"family"` // "new" (api.dingtalk.com) or "old" (oapi.dingtalk.com)
	Title    string `json:"title"`
	Group    string `json:"group"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	Query    string `json:"query"`
	Body     string `json:"body"`
	Response string `json:"response"`
	Premium  bool   `json:"premium"`
	Doc      string `json:"doc"`
}

// Object is a JSON object (or a set of URL parameters).
type Object struct {
	Fields []Field `json:"fields"`
}

// Field is one member with its wire name, type and placement.
type Field struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Required *bool  `json:"required"`
	In       string `json:"in"` // body, query or path
	Enum     []any  `json:"enum"`
	Doc      string `json:"doc"`
}

// IsRequired reports the spec's required flag (unknown counts as optional).
func (f Field) IsRequired() bool { return f.Required != nil && *f.Required }

// AccessTokenQuery is the old family's ?access_token= object: the client
// adds the token itself, so it is no part of a request type.
const AccessTokenQuery = "OapiAccessTokenQuery"

// ParseSpec decodes and checks api.json.
func ParseSpec(raw []byte) (*Spec, error) {
	var s Spec
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("gen: api.json: %w", err)
	}
	if s.Platform != "dingtalk" || len(s.Endpoints) == 0 {
		return nil, fmt.Errorf("gen: api.json: not the dingtalk spec")
	}
	for _, e := range s.Endpoints {
		if err := s.checkEndpoint(e); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

func (s *Spec) checkEndpoint(e Endpoint) error {
	if e.Family != "new" && e.Family != "old" {
		return fmt.Errorf("gen: %s: unknown family %q", e.Name, e.Family)
	}
	for _, o := range []string{e.Query, e.Body, e.Response} {
		if _, ok := s.Objects[o]; o != "" && !ok {
			return fmt.Errorf("gen: %s: object %s missing", e.Name, o)
		}
	}
	okQuery := e.Query == "" || e.Query == AccessTokenQuery || e.Query == e.Name+"Request" || e.Query == e.Name+"Params" || e.Query == e.Name+"Query"
	okBody := e.Body == "" || e.Body == e.Name+"Request"
	okResp := e.Response == e.Name+"ResponseBody" || e.Response == e.Name+"Response" || e.Response == "EmptyResponse"
	if !okQuery || !okBody || !okResp {
		return fmt.Errorf("gen: %s: unexpected object names %s/%s/%s", e.Name, e.Query, e.Body, e.Response)
	}
	for _, p := range placeholders(e.Path) {
		found := false
		for _, f := range s.Objects[e.Query].Fields {
			found = found || (f.In == "path" && f.Name == p)
		}
		if !found {
			return fmt.Errorf("gen: %s: no path field for {%s}", e.Name, p)
		}
	}
	return nil
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

func placeholders(path string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

// RequestFields lists every field a caller sets for e, URL parameters
// first (without the access token the client adds), then the body.
func (s *Spec) RequestFields(e Endpoint) []Field {
	var out []Field
	if e.Query != "" && e.Query != AccessTokenQuery {
		out = append(out, s.Objects[e.Query].Fields...)
	}
	if e.Body != "" {
		out = append(out, s.Objects[e.Body].Fields...)
	}
	return out
}

// ResponseFields lists the response members a caller reads: the old
// family's errcode and errmsg are checked by the client and left out.
func (s *Spec) ResponseFields(e Endpoint) []Field {
	var out []Field
	for _, f := range s.Objects[e.Response].Fields {
		if e.Family == "old" && (f.Name == "errcode" || f.Name == "errmsg") {
			continue
		}
		out = append(out, f)
	}
	return out
}

// mapValues reads the value type of a map from the doc's
// "Map values: <type>." sentence; "" means any.
var mapValues = regexp.MustCompile(`Map values: ([A-Za-z0-9:]+)\.`)

func mapValueType(f Field) string {
	if m := mapValues.FindStringSubmatch(f.Doc); m != nil {
		return m[1]
	}
	return ""
}

// objectRefs returns the objects a type refers to.
func objectRefs(f Field) []string {
	var out []string
	for _, t := range []string{f.Type, mapValueType(f)} {
		if i := strings.Index(t, "object:"); i >= 0 {
			out = append(out, t[i+len("object:"):])
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
