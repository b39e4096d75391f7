package kingdeetest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// MsgCodes the fake answers with.
const (
	msgContextLostCode = 1
	msgException       = 4
	msgBadParameter    = 8
	msgNoSuchField     = 9
	msgNotFound        = 10
	msgValidation      = 11
	msgNotOperable     = 12
)

// request is a decoded call body, whichever of the body forms it used.
type request struct {
	formID   string
	opNumber string
	data     map[string]any
	params   []any
}

// parseRequest accepts {"formid","opNumber","data"} (data an object or a
// JSON string) and {"parameters":[…]}.
func parseRequest(body []byte) (*request, error) {
	var top map[string]any
	if err := decodeJSON(body, &top); err != nil {
		return nil, err
	}
	if top == nil {
		return nil, errors.New("body is not an object")
	}
	r := &request{}
	if p, ok := top["parameters"].([]any); ok {
		r.params = p
		switch len(p) {
		case 1:
			top = map[string]any{"data": p[0]}
		case 2:
			top = map[string]any{"formid": p[0], "data": p[1]}
		case 3:
			top = map[string]any{"formid": p[0], "opNumber": p[1], "data": p[2]}
		default:
			return r, nil
		}
	}
	_, formID, _ := ci(top, "formid")
	_, opNumber, _ := ci(top, "opNumber")
	r.formID, r.opNumber = str(formID), str(opNumber)
	data := top["data"]
	if s, ok := data.(string); ok {
		if err := decodeJSON([]byte(s), &data); err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
	}
	switch d := data.(type) {
	case map[string]any:
		r.data = d
	case nil:
		r.data = top
	default:
		return nil, errors.New("data must be an object")
	}
	if r.formID == "" {
		_, f, _ := ci(r.data, "FormId")
		r.formID = str(f)
	}
	return r, nil
}

func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

func decodeB64(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

// ci finds a key case-insensitively (Kingdee keys are).
func ci(m map[string]any, key string) (string, any, bool) {
	if v, ok := m[key]; ok {
		return key, v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return k, v, true
		}
	}
	return "", nil, false
}

// str renders a scalar as text; references render as their number.
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		if _, n, ok := ci(x, "FNumber"); ok {
			return str(n)
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func toInt(v any) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(str(v)), 10, 64)
	return n, err == nil
}

func truthy(v any) bool {
	switch strings.ToLower(str(v)) {
	case "true", "1":
		return true
	}
	return false
}

// strList reads ["a","b"] or "a,b".
func strList(v any) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if s := strings.TrimSpace(str(e)); s != "" {
				out = append(out, s)
			}
		}
	case nil:
	default:
		for _, s := range strings.Split(str(x), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// outcome is what a ResponseStatus reports.
type outcome struct {
	code int
	errs []rowErr
	ents []entity
	msgs []string
}

type rowErr struct {
	field, msg string
	dindex     int
	code       int
}

type entity struct {
	id     int64
	number string
	dindex int
}

func failure(code int, field, msg string, dindex int) *outcome {
	return &outcome{code: code, errs: []rowErr{{field, msg, dindex, code}}}
}

func (o *outcome) fail(code int, field, msg string, dindex int) {
	o.errs = append(o.errs, rowErr{field, msg, dindex, code})
	if o.code == 0 {
		o.code = code
	}
}

// responseStatus renders the ResponseStatus object.
func (s *Server) responseStatus(o *outcome) map[string]any {
	ok := len(o.errs) == 0
	errs := make([]any, 0, len(o.errs))
	for _, e := range o.errs {
		var field any
		if e.field != "" {
			field = e.field
		}
		errs = append(errs, map[string]any{"FieldName": field, "Message": e.msg, "DIndex": e.dindex})
	}
	ents := make([]any, 0, len(o.ents))
	for _, e := range o.ents {
		ents = append(ents, map[string]any{"Id": s.num(e.id), "Number": e.number, "DIndex": e.dindex})
	}
	msgs := make([]any, 0, len(o.msgs))
	for _, m := range o.msgs {
		msgs = append(msgs, map[string]any{"FieldName": nil, "Message": m, "DIndex": 0})
	}
	errorCode := 0
	if !ok {
		errorCode = 500
	}
	code := o.code
	if ok {
		code = 0
	}
	st := map[string]any{"ErrorCode": s.num(int64(errorCode)), "IsSuccess": ok, "Errors": errs,
		"SuccessEntitys": ents, "SuccessMessages": msgs, "MsgCode": s.num(int64(code))}
	if s.stringTypes {
		st["IsSuccess"] = strconv.FormatBool(ok)
	}
	return st
}

// num renders a number, as text in string-types mode.
func (s *Server) num(n int64) any {
	if s.stringTypes {
		return strconv.FormatInt(n, 10)
	}
	return n
}

// writeStatus answers {"Result":{"ResponseStatus":…, extra…}}, or the
// wrapped [[{"Result":…}]] shape ExecuteBillQuery uses for errors.
func (s *Server) writeStatus(w http.ResponseWriter, op string, extra map[string]any, o *outcome) {
	result := map[string]any{"ResponseStatus": s.responseStatus(o)}
	for k, v := range extra {
		result[k] = v
	}
	env := map[string]any{"Result": result}
	if op == "executebillquery" {
		writeJSON(w, []any{[]any{env}})
		return
	}
	writeJSON(w, env)
}
