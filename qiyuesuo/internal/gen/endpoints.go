package gen

import (
	"bytes"
	"fmt"
	"strings"
)

// ResultKind says what the result of an endpoint holds.
type ResultKind int

// Result kinds.
const (
	ResultTyped   ResultKind = iota // a published result object
	ResultPartial                   // some fields seen: typed struct plus the raw JSON
	ResultRaw                       // unpublished: the raw JSON
	ResultNone                      // published as having no result
	ResultStream                    // a file stream
)

// Result returns the kind of result of e.
func Result(e Endpoint) ResultKind {
	switch {
	case e.Stream:
		return ResultStream
	case e.ResponseKnown && e.Response != "":
		return ResultTyped
	case e.ResponseKnown:
		return ResultNone
	case e.Response != "":
		return ResultPartial
	}
	return ResultRaw
}

// Idempotent reports whether an endpoint only reads, so that it may be
// re-sent after a failure that may have reached the platform. The removal
// calls are GETs that change state, so they are not.
func Idempotent(e Endpoint) bool {
	return e.Method == "GET" && !strings.HasSuffix(e.Path, "/remove")
}

var bodyConst = map[string]string{BodyJSON: "bodyJSON", BodyQuery: "bodyQuery", BodyMultipart: "bodyMultipart", BodyForm: "bodyForm"}

func (g *generator) endpointLiteral(e Endpoint) string {
	body := bodyConst[e.Body]
	if e.Request == "" {
		body = "bodyNone"
	}
	return fmt.Sprintf("endpoint{op: %q, method: %q, path: %q, body: %s, request: %q, idempotent: %t}",
		GoName(e.Name), e.Method, e.Path, body, g.goName(e.Request), Idempotent(e))
}

func (g *generator) endpoints() ([]byte, error) {
	var body bytes.Buffer
	for _, e := range Methods(g.s) {
		name := GoName(e.Name)
		kind := Result(e)
		if kind != ResultStream {
			g.writeResponse(&body, e, name, kind)
		}
		g.writeMethodDoc(&body, e, name, kind)
		params := "ctx context.Context"
		reqArg := "nil"
		if e.Request != "" {
			params += ", req *" + g.goName(e.Request)
			reqArg = "req"
		}
		if kind == ResultStream {
			fmt.Fprintf(&body, "func (c *Client) %s(%s, w io.Writer) (*DownloadResponse, error) {\n", name, params)
			fmt.Fprintf(&body, "\treturn c.stream(ctx, %s, %s, w)\n}\n\n", g.endpointLiteral(e), reqArg)
			continue
		}
		outs := ""
		switch kind {
		case ResultTyped, ResultRaw:
			outs = ", &res.Result"
		case ResultPartial:
			outs = ", &res.Result, &res.Raw"
		}
		fmt.Fprintf(&body, "func (c *Client) %s(%s) (*%sResponse, error) {\n\tres := &%sResponse{}\n", name, params, name, name)
		fmt.Fprintf(&body, "\tif err := c.invoke(ctx, %s, %s, &res.Meta%s); err != nil {\n\t\treturn nil, err\n\t}\n\treturn res, nil\n}\n\n",
			g.endpointLiteral(e), reqArg, outs)
	}
	imports := []string{"context"}
	if bytes.Contains(body.Bytes(), []byte("json.RawMessage")) {
		imports = append([]string{"context", "encoding/json"}, imports[1:]...)
	}
	imports = append(imports, "io")
	b := g.head(imports...)
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

func (g *generator) writeResponse(b *bytes.Buffer, e Endpoint, name string, kind ResultKind) {
	fmt.Fprintf(b, "// %sResponse is the answer of [Client.%s]: the envelope", name, name)
	switch kind {
	case ResultTyped:
		fmt.Fprintf(b, " and its result.\ntype %sResponse struct {\n\tMeta\n\t// Result is the envelope's result.\n\tResult %s\n}\n\n", name, g.goName(e.Response))
	case ResultNone:
		fmt.Fprintf(b, "; the platform returns no result.\ntype %sResponse struct {\n\tMeta\n}\n\n", name)
	case ResultPartial:
		fmt.Fprintf(b, " and its result.\n// The platform does not publish the full shape of the result: Result\n// holds the fields seen so far, Raw all of it.\n")
		fmt.Fprintf(b, "type %sResponse struct {\n\tMeta\n\t// Result holds the known fields of the result.\n\tResult %s\n\t// Raw is the result as it arrived.\n\tRaw json.RawMessage\n}\n\n", name, g.goName(e.Response))
	case ResultRaw:
		fmt.Fprintf(b, " and its result.\n// The platform does not publish the shape of the result, so it is kept\n// as the JSON that arrived.\n")
		fmt.Fprintf(b, "type %sResponse struct {\n\tMeta\n\t// Result is the result as it arrived (null when there is none).\n\tResult json.RawMessage\n}\n\n", name)
	}
}

func (g *generator) writeMethodDoc(b *bytes.Buffer, e Endpoint, name string, kind ResultKind) {
	fmt.Fprintf(b, "// %s calls %s (%s): %s\n//\n", name, e.Title, e.Path, wrap(e.Doc))
	how := map[string]string{BodyJSON: "with a JSON body", BodyQuery: "with a query string",
		BodyMultipart: "with a streamed multipart body", BodyForm: "with a form body"}[e.Body]
	if e.Request == "" {
		how = "without parameters"
	}
	fmt.Fprintf(b, "// %s %s, %s.", e.Method, e.Path, how)
	if Idempotent(e) {
		b.WriteString(" It only reads, so it is retried after transient failures.")
	} else {
		b.WriteString(" It is re-sent only when it cannot have reached the platform.")
	}
	if kind == ResultStream {
		b.WriteString(" The file streams into w; an error page is never written to w.")
	}
	if e.SaaS {
		b.WriteString("\n//\n// SaaS (agent mode) only: the client must hold the agent's credentials.")
	}
	if e.Deprecated {
		b.WriteString("\n//\n// Deprecated: the platform keeps this endpoint only for old integrations.")
	}
	b.WriteString("\n")
}

// routes writes the fake's table of every endpoint: how its input
// arrives, what it requires and what its result looks like.
func (g *generator) routes() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, header, g.s.Platform, g.s.Version)
	b.WriteString("package qiyuesuotest\n\nimport \"github.com/hetong-go/hetong/qiyuesuo\"\n\n")
	b.WriteString("// generatedRoutes lists every endpoint of the platform.\nvar generatedRoutes = []route{\n")
	for _, e := range Methods(g.s) {
		var req []string
		pair := false
		if e.Request != "" {
			pair = g.hasPair(e.Request)
			for _, f := range g.s.Objects[e.Request].Fields {
				if f.IsRequired() {
					req = append(req, fmt.Sprintf("%q", f.Name))
				}
			}
		}
		result := "nil"
		if e.Response != "" {
			result = "func() any { return new(qiyuesuo." + g.goName(e.Response) + ") }"
		}
		fmt.Fprintf(&b, "\t{name: %q, method: %q, path: %q, body: %q, stream: %t, noResult: %t, pair: %t, required: []string{%s}, result: %s},\n",
			GoName(e.Name), e.Method, e.Path, e.Body, e.Stream, Result(e) == ResultNone, pair, strings.Join(req, ", "), result)
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}
