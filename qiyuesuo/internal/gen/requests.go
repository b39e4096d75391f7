package gen

import (
	"bytes"
	"fmt"
	"strings"
)

// requests writes every request object with its validate method and, for
// multipart bodies, its formParts method.
func (g *generator) requestsFile() ([]byte, error) {
	var body bytes.Buffer
	users := map[string][]string{}
	for _, e := range Methods(g.s) {
		if e.Request != "" {
			users[e.Request] = append(users[e.Request], "[Client."+GoName(e.Name)+"]")
		}
	}
	for _, name := range sortedKeys(g.s.Objects) {
		if _, isReq := g.reqOf[name]; !isReq {
			continue
		}
		gn := g.goName(name)
		fmt.Fprintf(&body, "// %s is the request of %s (%s).\n", gn, strings.Join(users[name], " and "), g.encoding(name))
		fmt.Fprintf(&body, "type %s struct {\n", gn)
		g.writeStruct(&body, name)
		body.WriteString("}\n\n")
		if g.body[name] == BodyMultipart {
			g.writeFormParts(&body, name)
		}
		g.writeMoneyMarshal(&body, name)
	}
	for _, name := range sortedKeys(g.s.Objects) {
		if g.needsVal[name] {
			g.writeValidate(&body, name)
		}
	}
	imports := []string{}
	for _, imp := range []struct{ use, path string }{
		{"json.", "encoding/json"}, {"strconv.", "strconv"}, {"strings.", "strings"},
		{"hetong.", "github.com/hetong-go/hetong"},
		{"transport.", "github.com/hetong-go/hetong/internal/transport"},
	} {
		if bytes.Contains(body.Bytes(), []byte(imp.use)) {
			imports = append(imports, imp.path)
		}
	}
	b := g.head(imports...)
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// writeMoneyMarshal makes a request with amounts of money send them as
// the JSON strings the platform reads, whatever form they were made in.
func (g *generator) writeMoneyMarshal(b *bytes.Buffer, name string) {
	var fields []string
	for _, f := range g.s.Objects[name].Fields {
		if MoneyFields[name+"."+f.Name] {
			fields = append(fields, GoName(f.Name))
		}
	}
	if len(fields) == 0 {
		return
	}
	gn := g.goName(name)
	fmt.Fprintf(b, "// MarshalJSON sends the amounts as JSON strings, as the platform reads them.\n")
	fmt.Fprintf(b, "func (r %s) MarshalJSON() ([]byte, error) {\n\ttype plain %s\n\tp := plain(r)\n", gn, gn)
	for _, f := range fields {
		fmt.Fprintf(b, "\tp.%s = amountAsString(p.%s)\n", f, f)
	}
	b.WriteString("\treturn json.Marshal(p)\n}\n\n")
}

func (g *generator) encoding(req string) string {
	return map[string]string{
		BodyJSON:      "a JSON body",
		BodyQuery:     "sent as the query string",
		BodyMultipart: "a streamed multipart/form-data body",
		BodyForm:      "an application/x-www-form-urlencoded body",
	}[g.body[req]]
}

func (g *generator) writeFormParts(b *bytes.Buffer, name string) {
	gn := g.goName(name)
	fmt.Fprintf(b, "func (r *%s) formParts() ([]transport.Part, error) {\n\tvar f formBuilder\n", gn)
	var files []Field
	for _, fl := range g.s.Objects[name].Fields {
		st, _ := parseType(fl.Type)
		typ, _ := g.fieldType(name, fl)
		v := "r." + GoName(fl.Name)
		switch {
		case st.Kind == "file":
			files = append(files, fl)
			continue
		case st.Kind == "object" || st.Kind == "map" || st.Array:
			cond := "len(" + v + ") > 0"
			if strings.HasPrefix(typ, "*") {
				cond = v + " != nil"
			}
			fmt.Fprintf(b, "\tif %s {\n\t\tf.json(%q, %s)\n\t}\n", cond, fl.Name, v)
		case typ == "string":
			fmt.Fprintf(b, "\tf.text(%q, %s)\n", fl.Name, v)
		case typ == "ID":
			fmt.Fprintf(b, "\tf.text(%q, string(%s))\n", fl.Name, v)
		case strings.HasPrefix(typ, "*"):
			fmt.Fprintf(b, "\tif %s != nil {\n\t\tf.value(%q, *%s)\n\t}\n", v, fl.Name, v)
		default:
			fmt.Fprintf(b, "\tf.value(%q, %s)\n", fl.Name, v)
		}
	}
	for _, fl := range files {
		st, _ := parseType(fl.Type)
		if st.Array {
			fmt.Fprintf(b, "\tfor _, file := range r.%s {\n\t\tf.file(%q, file)\n\t}\n", GoName(fl.Name), fl.Name)
		} else {
			fmt.Fprintf(b, "\tf.file(%q, r.%s)\n", fl.Name, GoName(fl.Name))
		}
	}
	b.WriteString("\treturn f.parts, f.err\n}\n\n")
}

func (g *generator) writeValidate(b *bytes.Buffer, name string) {
	gn := g.goName(name)
	fmt.Fprintf(b, "func (r *%s) validate(path string) error {\n\tif r == nil {\n\t\treturn required(path)\n\t}\n", gn)
	if g.hasPair(name) {
		b.WriteString("\tif err := checkPair(path, string(r.ContractID), string(r.BizID)); err != nil {\n\t\treturn err\n\t}\n")
	}
	for _, f := range g.s.Objects[name].Fields {
		g.writeChecks(b, name, f)
	}
	b.WriteString("\treturn nil\n}\n\n")
}

func (g *generator) writeChecks(b *bytes.Buffer, obj string, f Field) {
	st, _ := parseType(f.Type)
	typ, _ := g.fieldType(obj, f)
	field := GoName(f.Name)
	v := "r." + field
	path := `path+".` + field + `"`
	text := v // the field as a string
	if typ == "ID" {
		text = "string(" + v + ")"
	}
	check := func(cond, call string) {
		fmt.Fprintf(b, "\tif %s {\n\t\treturn %s\n\t}\n", cond, call)
	}
	switch {
	case st.Kind == "file" && st.Array:
		if f.IsRequired() {
			check("len("+v+") == 0", "required("+path+")")
		}
		fmt.Fprintf(b, "\tfor i, file := range %s {\n\t\tif err := file.check(%s+\"[\"+strconv.Itoa(i)+\"]\", true); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n", v, path)
	case st.Kind == "file":
		fmt.Fprintf(b, "\tif err := %s.check(%s, %t); err != nil {\n\t\treturn err\n\t}\n", v, path, f.IsRequired())
	case f.IsRequired() && (st.Array || st.Kind == "map"):
		check("len("+v+") == 0", "required("+path+")")
	case f.IsRequired() && strings.HasPrefix(typ, "*"):
		check(v+" == nil", "required("+path+")")
	case f.IsRequired() && (typ == "string" || typ == "ID"):
		check("strings.TrimSpace("+text+") == \"\"", "required("+path+")")
	}
	if f.Max != nil {
		if st.Array {
			check(fmt.Sprintf("len(%s) > %d", v, *f.Max), fmt.Sprintf("tooMany(%s, %d)", path, *f.Max))
		} else if typ == "string" || typ == "ID" {
			check(fmt.Sprintf("runes(%s) > %d", text, *f.Max), fmt.Sprintf("tooLong(%s, %d)", path, *f.Max))
		}
	}
	if st.Kind == "object" && g.needsVal[st.Ref] {
		if st.Array {
			fmt.Fprintf(b, "\tfor i := range %s {\n\t\tif err := %s[i].validate(%s+\"[\"+strconv.Itoa(i)+\"]\"); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n", v, v, path)
		} else {
			fmt.Fprintf(b, "\tif %s != nil {\n\t\tif err := %s.validate(%s); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n", v, v, path)
		}
	}
}
