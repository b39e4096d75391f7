package dingtalk_test

import (
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/dingtalk/internal/gen"
)

// sent is one request as the recorder saw it.
type sent struct {
	method, path string
	query        map[string][]string
	token        string
	body         []byte
}

// recorder answers every call with an empty success and keeps the last
// request that was not a token fetch.
type recorder struct {
	mu   sync.Mutex
	last *sent
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/gettoken":
		if r.URL.Query().Get("appkey") != "x" { // the client's own token fetch
			_, _ = io.WriteString(w, `{"errcode":0,"access_token":"tok-old","expires_in":7200}`)
			return
		}
	case "/v1.0/oauth2/accessToken":
		if !strings.Contains(string(body), `"x"`) { // the client's own token fetch, not the endpoint under test
			_, _ = io.WriteString(w, `{"accessToken":"tok-new","expireIn":7200}`)
			return
		}
	}
	rc.mu.Lock()
	rc.last = &sent{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.Query(), body: body,
		token: r.Header.Get("x-acs-dingtalk-access-token")}
	rc.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/v1.0/") {
		_, _ = io.WriteString(w, `{}`)
		return
	}
	_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
}

// fillRequest sets every field of a request: strings "x", numbers 1,
// booleans true, one element per list. A recursive type (a form
// component's children) is filled one level deep.
func fillRequest(v reflect.Value) {
	fillValue(v, map[reflect.Type]bool{})
}

func fillValue(v reflect.Value, open map[reflect.Type]bool) {
	if v.Kind() == reflect.Struct {
		if open[v.Type()] {
			return
		}
		open[v.Type()] = true
		defer delete(open, v.Type())
	}
	if (v.Kind() == reflect.Slice || v.Kind() == reflect.Pointer) && open[v.Type().Elem()] {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Float64:
		v.SetFloat(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillValue(v.Elem(), open)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillValue(s.Index(0), open)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		if e.Kind() == reflect.Interface {
			e.Set(reflect.ValueOf("x"))
		} else {
			fillValue(e, open)
		}
		m.SetMapIndex(reflect.ValueOf("k"), e)
		v.Set(m)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fillValue(v.Field(i), open)
		}
	}
}

func tagName(tag string) string { name, _, _ := strings.Cut(tag, ","); return name }

// placement returns where a request field goes and its wire name, from
// its tags; it fails the test when the tags disagree.
func placement(t *testing.T, owner string, f reflect.StructField) (in, wire string) {
	js, url, path := tagName(f.Tag.Get("json")), tagName(f.Tag.Get("url")), f.Tag.Get("path")
	switch {
	case path != "" && js == "-" && url == "-":
		return "path", path
	case url != "" && url != "-" && js == "-" && path == "":
		return "query", url
	case js != "" && js != "-" && url == "-" && path == "":
		return "body", js
	}
	t.Errorf("%s.%s: tags %q place it nowhere or twice", owner, f.Name, f.Tag)
	return "", ""
}

// checkBodyObject compares a nested request type's JSON names with the
// spec object's fields, recursively.
func checkBodyObject(t *testing.T, s *gen.Spec, obj string, typ reflect.Type, depth int) {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
		typ = typ.Elem()
	}
	o, ok := s.Objects[obj]
	if !ok || typ.Kind() != reflect.Struct || depth > 8 {
		return
	}
	got := map[string]reflect.Type{}
	for i := 0; i < typ.NumField(); i++ {
		got[tagName(typ.Field(i).Tag.Get("json"))] = typ.Field(i).Type
	}
	var want []string
	for _, f := range o.Fields {
		want = append(want, f.Name)
		if ft, ok := got[f.Name]; ok {
			if i := strings.Index(f.Type, "object:"); i >= 0 {
				checkBodyObject(t, s, f.Type[i+len("object:"):], ft, depth+1)
			}
		}
	}
	assert.ElementsMatch(t, want, sortedNames(got), "%s: JSON names differ from the spec", obj)
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestConformance holds the generated layer to the spec: every endpoint
// has exactly one method, its request type places every field where the
// spec says under the spec's wire name, and calling it sends exactly that:
// method, path with the placeholders filled, query keys, JSON body keys and
// the family's token.
func TestConformance(t *testing.T) {
	s, err := gen.ParseSpec(readSpec(t))
	require.NoError(t, err)
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: "key", AppSecret: "secret"}, dingtalk.WithBaseURL(srv.URL), dingtalk.WithNewAPIBaseURL(srv.URL),
		dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)

	ct := reflect.TypeOf(c)
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	byRequest := map[reflect.Type][]string{}
	for i := 0; i < ct.NumMethod(); i++ {
		m := ct.Method(i)
		if m.Type.NumIn() == 3 && m.Type.In(1) == ctxType && m.Type.NumOut() == 2 && m.Type.Out(0).Kind() == reflect.Pointer {
			byRequest[m.Type.In(2)] = append(byRequest[m.Type.In(2)], m.Name)
		}
	}

	require.Len(t, s.Endpoints, 127)
	for _, e := range s.Endpoints {
		t.Run(e.Name, func(t *testing.T) {
			m, ok := ct.MethodByName(e.Name)
			require.True(t, ok, "no method for endpoint %s", e.Name)
			reqType := m.Type.In(2)
			assert.Equal(t, []string{e.Name}, byRequest[reqType], "exactly one method must take %s", reqType)
			assert.Equal(t, e.Name+"Response", m.Type.Out(0).Elem().Name())

			fields := map[string]string{} // wire name → placement
			rt := reqType.Elem()
			for i := 0; i < rt.NumField(); i++ {
				in, wire := placement(t, rt.Name(), rt.Field(i))
				fields[wire] = in
				if in == "body" {
					for _, f := range s.Objects[e.Body].Fields {
						if j := strings.Index(f.Type, "object:"); f.Name == wire && j >= 0 {
							checkBodyObject(t, s, f.Type[j+len("object:"):], rt.Field(i).Type, 0)
						}
					}
				}
			}
			want := map[string]string{}
			for _, f := range s.RequestFields(e) {
				want[f.Name] = f.In
			}
			assert.Equal(t, want, fields, "request fields and placements")

			req := reflect.New(rt)
			fillRequest(req.Elem())
			rec.last = nil
			out := m.Func.Call([]reflect.Value{reflect.ValueOf(c), reflect.ValueOf(context.Background()), req})
			require.NotNil(t, rec.last, "nothing was sent: %v", out[1])
			got := rec.last
			assert.Equal(t, e.Method, got.method)
			wantPath := e.Path
			for _, p := range []string{"{unionId}", "{taskId}", "{sourceId}", "{spaceId}", "{dentryId}", "{fileId}"} {
				wantPath = strings.ReplaceAll(wantPath, p, "x")
			}
			assert.Equal(t, wantPath, got.path)
			var wantQuery, wantBody []string
			for name, in := range want {
				switch in {
				case "query":
					wantQuery = append(wantQuery, name)
				case "body":
					wantBody = append(wantBody, name)
				}
			}
			anonymous := gen.Anonymous[e.Name]
			if e.Family == "old" && !anonymous {
				wantQuery = append(wantQuery, "access_token")
			}
			assert.ElementsMatch(t, wantQuery, sortedNames(got.query), "query keys")
			if e.Body == "" {
				assert.Empty(t, got.body, "no body expected")
			} else {
				var keys map[string]json.RawMessage
				require.NoError(t, json.Unmarshal(got.body, &keys), "body %s", got.body)
				assert.ElementsMatch(t, wantBody, sortedNames(keys), "body keys")
			}
			switch {
			case anonymous:
				assert.Empty(t, got.token)
				assert.NotContains(t, got.query, "access_token")
			case e.Family == "new":
				assert.Equal(t, "tok-new", got.token)
			default:
				assert.Equal(t, []string{"tok-old"}, got.query["access_token"])
				assert.Empty(t, got.token)
			}
		})
	}
}

// TestEveryPagingEndpointHasAnIterator finds paging endpoints by their
// cursor fields and checks each has its All… method.
func TestEveryPagingEndpointHasAnIterator(t *testing.T) {
	s, err := gen.ParseSpec(readSpec(t))
	require.NoError(t, err)
	ct := reflect.TypeOf(&dingtalk.Client{})
	cursors := map[string]bool{"nextToken": true, "pageNumber": true, "cursor": true, "offset": true}
	n := 0
	for _, e := range s.Endpoints {
		paging := false
		for _, f := range s.RequestFields(e) {
			paging = paging || cursors[f.Name]
		}
		p, listed := gen.Pagers[e.Name]
		assert.Equal(t, paging, listed, "%s: paging %t but listed %t", e.Name, paging, listed)
		if !listed {
			continue
		}
		n++
		m, ok := ct.MethodByName(p.Iterator)
		if assert.True(t, ok, "no %s", p.Iterator) {
			assert.Equal(t, reflect.Func, m.Type.Out(0).Kind())
			assert.True(t, strings.HasPrefix(m.Type.Out(0).String(), "iter.Seq2["), "%s returns %s", p.Iterator, m.Type.Out(0))
		}
	}
	assert.Equal(t, len(gen.Pagers), n)
	var _ iter.Seq2[string, error]
}

// TestPremiumEndpointsSayItInTheirDoc reads the generated methods' doc
// comments: every premium (OA高级版) endpoint says so, no other does.
func TestPremiumEndpointsSayItInTheirDoc(t *testing.T) {
	s, err := gen.ParseSpec(readSpec(t))
	require.NoError(t, err)
	f, err := parser.ParseFile(token.NewFileSet(), "zz_generated_endpoints.go", nil, parser.ParseComments)
	require.NoError(t, err)
	docs := map[string]string{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Doc != nil {
			docs[fd.Name.Name] = fd.Doc.Text()
		}
	}
	premium := 0
	for _, e := range s.Endpoints {
		doc, ok := docs[e.Name]
		require.True(t, ok, "no doc for %s", e.Name)
		assert.Equal(t, e.Premium, strings.Contains(doc, "OA高级版"), "%s: premium %t, doc %q", e.Name, e.Premium, doc)
		assert.Contains(t, doc, e.Path, e.Name)
		if e.Premium {
			premium++
		}
	}
	assert.Equal(t, 33, premium)
}

// TestFakeServesEveryEndpoint calls every method against dingtalktest
// with a filled request: the fake knows every route of both families
// (never "api not found" or "Invalid method"), and endpoints without state
// answer with their full shape.
func TestFakeServesEveryEndpoint(t *testing.T) {
	s, err := gen.ParseSpec(readSpec(t))
	require.NoError(t, err)
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c := srv.Client(dingtalk.WithRetry(dingtalk.RetryPolicy{MaxAttempts: 1}), dingtalk.WithRateLimit(0, 0))
	ct := reflect.TypeOf(c)
	answered := 0
	for _, e := range s.Endpoints {
		m, _ := ct.MethodByName(e.Name)
		req := reflect.New(m.Type.In(2).Elem())
		fillRequest(req.Elem())
		out := m.Func.Call([]reflect.Value{reflect.ValueOf(c), reflect.ValueOf(context.Background()), req})
		if err, _ := out[1].Interface().(error); err != nil {
			var de *dingtalk.Error
			require.True(t, errors.As(err, &de), "%s: %v", e.Name, err)
			assert.NotEqual(t, "InvalidAction.NotFound", de.Code, e.Name)
			assert.NotEqual(t, "22", de.Code, e.Name)
			continue
		}
		answered++
		assert.False(t, out[0].IsNil(), e.Name)
	}
	t.Logf("%d of %d endpoints answered with success to a sample request", answered, len(s.Endpoints))
	assert.Greater(t, answered, 100)
}
