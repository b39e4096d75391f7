package dingtalktest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/hetong-go/hetong/dingtalk"
)

// param is a required request field: where it goes and its wire name.
type param struct{ in, name string }

// route is one endpoint of the spec (generated in zz_generated_routes.go).
type route struct {
	name, method, path         string
	newAPI, anonymous, premium bool
	required                   []param
	response                   func() any
}

// call is one request matched to its route.
type call struct {
	route *route
	vars  map[string]string          // path placeholders
	body  map[string]json.RawMessage // the JSON body's members
}

// str returns a body member as text (a JSON string's content, other JSON
// as is).
func (c *call) str(name string) string {
	v := bytes.TrimSpace(c.body[name])
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

// match finds the route of method and path.
func match(method, path string) (*route, map[string]string) {
	for i := range routes {
		rt := &routes[i]
		if rt.method != method {
			continue
		}
		if vars, ok := matchPath(rt.path, path); ok {
			return rt, vars
		}
	}
	return nil, nil
}

func matchPath(pattern, path string) (map[string]string, bool) {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return nil, false
	}
	vars := map[string]string{}
	for i, p := range ps {
		switch {
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}"):
			if xs[i] == "" {
				return nil, false
			}
			vars[p[1:len(p)-1]] = xs[i]
		case p != xs[i]:
			return nil, false
		}
	}
	return vars, true
}

// serveRoute checks the token, the method and the required fields as
// DingTalk does, then answers with the endpoint's stateful handler or, for
// endpoints without state, a sample answer of the right shape.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt *route, vars map[string]string) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	c := &call{route: rt, vars: vars, body: map[string]json.RawMessage{}}
	if len(bytes.TrimSpace(raw)) > 0 && json.Unmarshal(raw, &c.body) != nil {
		s.fail(w, rt, "InvalidParameter", "请求体不是合法的JSON")
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	if missing := c.missing(r); missing != "" {
		s.fail(w, rt, "MissingParameter", "缺少参数 "+missing)
		return
	}
	next := func(w http.ResponseWriter, r *http.Request) {
		if h := s.handler(rt.name); h != nil {
			h(w, r, c)
			return
		}
		s.writeSample(w, rt)
	}
	switch {
	case rt.anonymous:
		next(w, r)
	case rt.newAPI:
		s.newAuth(w, r, next)
	default:
		s.oldAuth(w, r, next)
	}
}

// missing names the first required field the request lacks.
func (c *call) missing(r *http.Request) string {
	for _, p := range c.route.required {
		var v string
		switch p.in {
		case "query":
			v = r.URL.Query().Get(p.name)
		case "path":
			v = c.vars[p.name]
		default:
			raw := string(bytes.TrimSpace(c.body[p.name]))
			if raw != `""` && raw != "[]" && raw != "{}" && raw != "null" {
				v = raw
			}
		}
		if strings.TrimSpace(v) == "" {
			return p.name
		}
	}
	return ""
}

// fail answers with the family's error shape: errcode 40035 on oapi, HTTP
// 400 {code, message} on api.
func (s *Server) fail(w http.ResponseWriter, rt *route, code, msg string) {
	if rt.newAPI {
		newErr(w, http.StatusBadRequest, code, msg)
		return
	}
	oldErr(w, 40035, msg)
}

// writeSample answers with a sample of the endpoint's response type: every
// field set, lists with one element.
func (s *Server) writeSample(w http.ResponseWriter, rt *route) {
	v := rt.response()
	fill(reflect.ValueOf(v).Elem(), 0)
	writeOK(w, rt, v)
}

// writeOK writes v as the endpoint's answer; old-family answers get the
// errcode envelope.
func writeOK(w http.ResponseWriter, rt *route, v any) {
	if rt.newAPI {
		writeJSON(w, http.StatusOK, v)
		return
	}
	b, _ := json.Marshal(v)
	m := map[string]any{}
	_ = json.Unmarshal(b, &m)
	m["errcode"], m["errmsg"] = 0, "ok"
	if rt.name != "OapiGetAccessToken" {
		m["request_id"] = requestID()
	}
	writeJSON(w, http.StatusOK, m)
}

var formValuesType = reflect.TypeOf(dingtalk.FormValues{})

// fill sets every field of v to a sample value.
func fill(v reflect.Value, depth int) {
	if depth > 6 {
		return
	}
	if v.Type() == formValuesType {
		v.Set(reflect.ValueOf(dingtalk.FormValues{{ID: "TextField-1", Name: "说明", Value: "sample", ComponentType: "TextField"}}))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("sample")
	case reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt(1)
	case reflect.Float64:
		v.SetFloat(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 { // json.RawMessage
			v.SetBytes([]byte(`"sample"`))
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		if e.Kind() == reflect.Interface {
			e.Set(reflect.ValueOf("sample"))
		} else {
			fill(e, depth+1)
		}
		m.SetMapIndex(reflect.ValueOf("key"), e)
		v.Set(m)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	}
}
