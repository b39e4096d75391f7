package gen

import (
	"bytes"
	"fmt"
	"strings"
)

// Pager describes how an endpoint pages, in wire names.
type Pager struct {
	Iterator string // the All… method
	// Kind: "token" (pass the answer's cursor back), "page" (page number
	// counts up from 1 while more) or "offset" (the cursor advances by the
	// items received, or to the answer's next cursor when it has one).
	Kind   string
	Cursor string // request field holding the cursor
	Next   string // response path of the next cursor, e.g. result.nextToken
	More   string // response path of the has-more flag
	Items  string // response path of the items
}

// Pagers lists every paging endpoint of the spec: each gets an All…
// iterator. The generator fails when one names a field the spec lacks, and
// the conformance test fails when a paging endpoint is missing here.
var Pagers = map[string]Pager{
	"ListProcessInstanceIds":         {"AllProcessInstanceIds", "token", "nextToken", "result.nextToken", "", "result.list"},
	"ListTodoWorkRecords":            {"AllTodoWorkRecords", "token", "nextToken", "result.nextToken", "", "result.list"},
	"ListUserVisibleBpmsProcesses":   {"AllUserVisibleBpmsProcesses", "token", "nextToken", "result.nextToken", "", "result.processList"},
	"PagesExportInstances":           {"AllExportInstances", "token", "nextToken", "result.nextToken", "result.hasMore", "result.list"},
	"PremiumGetDoneTasks":            {"AllPremiumDoneTasks", "page", "pageNumber", "", "result.hasMore", "result.list"},
	"PremiumGetFormInstances":        {"AllPremiumFormInstances", "token", "nextToken", "result.nextToken", "result.hasMore", "result.values"},
	"PremiumGetNoticedInstances":     {"AllPremiumNoticedInstances", "page", "pageNumber", "", "result.hasMore", "result.list"},
	"PremiumGetProcessInstances":     {"AllPremiumProcessInstances", "token", "nextToken", "result.nextToken", "result.hasMore", "result.list"},
	"PremiumGetSubmittedInstances":   {"AllPremiumSubmittedInstances", "page", "pageNumber", "", "result.hasMore", "result.list"},
	"PremiumGetTodoTasks":            {"AllPremiumTodoTasks", "page", "pageNumber", "", "result.hasMore", "result.list"},
	"PremiumQueryTodoTasksByManager": {"AllPremiumTodoTasksByManager", "offset", "nextToken", "", "result.hasMore", "result.list"},
	"QueryAllFormInstances":          {"AllFormInstances", "token", "nextToken", "result.nextToken", "result.hasMore", "result.values"},
	"QueryAllProcessInstances":       {"AllProcessInstances", "token", "nextToken", "result.nextToken", "result.hasMore", "result.list"},
	"QueryIntegratedTodoTask":        {"AllIntegratedTodoTasks", "page", "pageNumber", "", "result.hasMore", "result.list"},
	"TodoTasks":                      {"AllTodoTasks", "offset", "nextToken", "", "result.hasMore", "result.list"},
	"QueryOrgTodoByUser":             {"AllOrgTodoCards", "token", "nextToken", "nextToken", "", "todoCards"},
	"OapiListProcessInstanceIds":     {"AllOapiProcessInstanceIds", "token", "cursor", "result.next_cursor", "", "result.list"},
	"OapiListProcessByUserId":        {"AllOapiProcessesByUserId", "offset", "offset", "result.next_cursor", "", "result.process_list"},
	"OapiQueryWorkrecordTasks":       {"AllOapiWorkrecordTasks", "offset", "offset", "", "result.has_more", "result.list"},
	"OapiGetWorkrecordsByUserId":     {"AllOapiWorkrecordsByUserId", "offset", "offset", "", "records.has_more", "records.list"},
}

func (g *generator) endpoint(name string) (Endpoint, bool) {
	for _, e := range g.eps {
		if e.Name == name {
			return e, true
		}
	}
	return Endpoint{}, false
}

func checkPagers(g *generator) error {
	for _, name := range sortedKeys(Pagers) {
		p := Pagers[name]
		e, ok := g.endpoint(name)
		if !ok {
			return fmt.Errorf("gen: Pagers names %s, which the spec does not have", name)
		}
		if !hasField(g.s.RequestFields(e), p.Cursor) {
			return fmt.Errorf("gen: Pagers[%s]: request has no %s", name, p.Cursor)
		}
		for _, path := range []string{p.Next, p.More, p.Items} {
			if path == "" {
				continue
			}
			if _, err := g.resolve(e, path); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolve follows a dotted response path and returns its last field.
func (g *generator) resolve(e Endpoint, path string) ([]Field, error) {
	fields := g.s.ResponseFields(e)
	var chain []Field
	for _, part := range strings.Split(path, ".") {
		var hit *Field
		for i := range fields {
			if fields[i].Name == part {
				hit = &fields[i]
			}
		}
		if hit == nil {
			return nil, fmt.Errorf("gen: %s: response has no %s", e.Name, path)
		}
		chain = append(chain, *hit)
		if refs := objectRefs(*hit); len(refs) > 0 && strings.HasPrefix(hit.Type, "object:") {
			fields = g.s.Objects[refs[0]].Fields
		} else {
			fields = nil
		}
	}
	return chain, nil
}

// getter writes a nil-safe func body returning the value at path.
func (g *generator) getter(e Endpoint, path, zero string) string {
	chain, _ := g.resolve(e, path)
	var b strings.Builder
	expr := "r"
	for i, f := range chain {
		expr += "." + GoField(f.Name)
		if i < len(chain)-1 {
			fmt.Fprintf(&b, "if %s == nil {\n return %s\n}\n", expr, zero)
		}
	}
	fmt.Fprintf(&b, "return %s", expr)
	return b.String()
}

func (g *generator) pages() []byte {
	var b bytes.Buffer
	b.WriteString(header + "package dingtalk\n\nimport (\n\t\"context\"\n\t\"iter\"\n)\n\n")
	for _, name := range sortedKeys(Pagers) {
		p := Pagers[name]
		e, _ := g.endpoint(name)
		chain, _ := g.resolve(e, p.Items)
		items := chain[len(chain)-1]
		item := g.elemType(strings.TrimPrefix(items.Type, "array:"), "")
		req, resp := name+"Request", name+"Response"
		fmt.Fprintf(&b, "// %s yields every item [Client.%s] returns, fetching page after page\n", p.Iterator, name)
		fmt.Fprintf(&b, "// from req's %s on (%s paging). It stops with an error when a cursor\n// comes round again or after 10,000 pages, and yields nothing more after an error.\n", GoField(p.Cursor), p.Kind)
		if e.Premium {
			b.WriteString("//\n// Premium: only for organisations on the paid OA edition (OA高级版).\n")
		}
		fmt.Fprintf(&b, "func (c *Client) %s(ctx context.Context, req *%s) iter.Seq2[%s, error] {\n", p.Iterator, req, item)
		fmt.Fprintf(&b, "\treturn paginate(ctx, req, c.%s, pager[%s, %s, %s]{\n", name, req, resp, item)
		fmt.Fprintf(&b, "\t\top: %q, kind: %q,\n", p.Iterator, p.Kind)
		fmt.Fprintf(&b, "\t\tcursor: func(r *%s) any { return r.%s },\n", req, GoField(p.Cursor))
		fmt.Fprintf(&b, "\t\tsetCursor: func(r *%s, next string) error { return setCursor(&r.%s, next) },\n", req, GoField(p.Cursor))
		if p.Next != "" {
			fmt.Fprintf(&b, "\t\tnext: func(r *%s) any {\n%s\n},\n", resp, g.getter(e, p.Next, "nil"))
		}
		if p.More != "" {
			fmt.Fprintf(&b, "\t\tmore: func(r *%s) bool {\n%s\n},\n", resp, g.getter(e, p.More, "false"))
		}
		fmt.Fprintf(&b, "\t\titems: func(r *%s) []%s {\n%s\n},\n", resp, item, g.getter(e, p.Items, "nil"))
		b.WriteString("\t})\n}\n\n")
	}
	return b.Bytes()
}
