package gen

import (
	"bytes"
	"fmt"
	"strings"
)

// routes writes the fake's table: every endpoint with its method, path,
// family, the required fields the fake checks and its response type.
func (g *generator) routes() []byte {
	var b bytes.Buffer
	b.WriteString(header + "package dingtalktest\n\nimport \"github.com/hetong-go/hetong/dingtalk\"\n\n")
	b.WriteString("// routes are every endpoint of the spec.\nvar routes = []route{\n")
	for _, e := range g.eps {
		var req []string
		for _, f := range g.s.RequestFields(e) {
			if f.IsRequired() && (checkable(f) || f.In != "body") {
				req = append(req, fmt.Sprintf("{%q, %q}", f.In, f.Name))
			}
		}
		fmt.Fprintf(&b, "\t{name: %q, method: %q, path: %q, newAPI: %t, anonymous: %t, premium: %t,\n", e.Name, e.Method, e.Path, e.Family == "new", Anonymous[e.Name], e.Premium)
		fmt.Fprintf(&b, "\t\trequired: []param{%s},\n", strings.Join(req, ", "))
		fmt.Fprintf(&b, "\t\tresponse: func() any { return new(dingtalk.%sResponse) }},\n", e.Name)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// groupTitles orders and names the doc index's groups.
var groupTitles = []struct{ Group, Title string }{
	{"instance", "Instances (审批实例)"}, {"task", "Tasks (审批任务)"}, {"comment", "Comments (评论)"},
	{"attachment", "Attachments (审批附件, 钉盘)"}, {"todo", "To-dos (待办)"}, {"form", "Forms (表单)"},
	{"template", "Templates (审批模板)"}, {"integration", "Integration (三方流程对接, 流程中心)"},
	{"auth", "Authentication (access tokens)"}, {"other", "Other"},
}

// Index returns the doc.go section listing every endpoint by group, as
// comment lines starting with "//".
func Index(raw []byte) (string, error) {
	s, err := ParseSpec(raw)
	if err != nil {
		return "", err
	}
	g := &generator{s: s, eps: s.Endpoints}
	var b strings.Builder
	b.WriteString("// # Index by group\n//\n")
	b.WriteString("// Every endpoint of both families, generated from the spec. (P) marks the\n")
	b.WriteString("// premium APIs of the paid OA edition (OA高级版); Oapi… methods call\n// oapi.dingtalk.com, the others api.dingtalk.com.\n")
	for _, gt := range groupTitles {
		var lines []string
		for _, e := range sortedEndpoints(g.eps) {
			if e.Group != gt.Group {
				continue
			}
			p := ""
			if e.Premium {
				p = " (P)"
			}
			lines = append(lines, fmt.Sprintf("//   - [Client.%s]%s %s", e.Name, p, e.Title))
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(&b, "//\n// %s:\n//\n%s\n", gt.Title, strings.Join(lines, "\n"))
	}
	return b.String(), nil
}

func sortedEndpoints(eps []Endpoint) []Endpoint {
	byName := map[string]Endpoint{}
	for _, e := range eps {
		byName[e.Name] = e
	}
	out := make([]Endpoint, 0, len(eps))
	for _, n := range sortedKeys(byName) {
		out = append(out, byName[n])
	}
	return out
}

// ReplaceIndex puts index in place of doc.go's "# Index by group" section
// (up to the next "// # " heading or the package clause).
func ReplaceIndex(doc []byte, index string) ([]byte, error) {
	text := string(doc)
	start := strings.Index(text, "// # Index by group\n")
	if start < 0 {
		return nil, fmt.Errorf("gen: doc.go has no \"# Index by group\" section")
	}
	rest := text[start+len("// # Index by group\n"):]
	end := strings.Index(rest, "\n// # ")
	if end < 0 {
		end = strings.Index(rest, "\npackage ")
	}
	if end < 0 {
		return nil, fmt.Errorf("gen: doc.go: the index section does not end")
	}
	tail := rest[end+1:]
	if strings.HasPrefix(tail, "// # ") {
		return []byte(text[:start] + index + "//\n" + tail), nil
	}
	return []byte(text[:start] + index + tail), nil
}
