package qiyuesuotest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong/qiyuesuo"
)

// in is a request's parameters, read before the server lock is taken:
// the query, a JSON body, or form fields and file sizes.
type in struct {
	query  url.Values
	body   []byte
	object map[string]json.RawMessage // the JSON body's members
	fields url.Values
	files  []upload
}

type upload struct {
	field, name string
	size        int64
}

// maxJSON bounds JSON bodies and form fields; uploads are counted, never stored.
const maxJSON = 1 << 20

// readInput reads the parameters the way the route's body kind says they
// travel, refusing a request whose Content-Type does not fit it.
func readInput(r *http.Request, body string) (*in, *apiError) {
	p := &in{query: r.URL.Query(), fields: url.Values{}}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch body {
	case "none":
		return p, nil
	case "multipart":
		if mt != "multipart/form-data" {
			return nil, errParam("请求格式应为multipart/form-data")
		}
		return p, p.readMultipart(r)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxJSON+1))
	if err != nil || len(b) > maxJSON {
		return nil, errParam("请求体过大")
	}
	if body == "form" {
		if mt != "application/x-www-form-urlencoded" {
			return nil, errParam("请求格式应为application/x-www-form-urlencoded")
		}
		if p.fields, err = url.ParseQuery(string(b)); err != nil {
			return nil, errParam("表单格式错误")
		}
		return p, nil
	}
	if !strings.Contains(mt, "json") || json.Unmarshal(b, &p.object) != nil {
		return nil, errParam("请求格式应为application/json")
	}
	p.body = b
	return p, nil
}

func (p *in) readMultipart(r *http.Request) *apiError {
	mr, err := r.MultipartReader()
	if err != nil {
		return errParam("multipart")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return errParam("multipart")
		}
		if part.FileName() == "" {
			v, _ := io.ReadAll(io.LimitReader(part, maxJSON))
			p.fields.Add(part.FormName(), string(v))
			continue
		}
		n, err := io.Copy(io.Discard, part)
		if err != nil {
			return errParam("文件读取失败")
		}
		if n > qiyuesuo.MaxFileSize {
			return errParam("文件大小超过30M")
		}
		p.files = append(p.files, upload{field: part.FormName(), name: part.FileName(), size: n})
	}
}

// has reports whether the request carries a non-empty value for key.
func (p *in) has(key string) bool {
	if raw, ok := p.object[key]; ok {
		v := string(bytes.TrimSpace(raw))
		return v != "null" && v != `""` && v != "[]" && v != "{}"
	}
	for _, f := range p.files {
		if f.field == key {
			return true
		}
	}
	return p.get(key) != ""
}

// get returns a query or form field, or a JSON string member.
func (p *in) get(k string) string {
	if raw, ok := p.object[k]; ok {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return strings.Trim(string(raw), `"`)
	}
	if v := p.fields.Get(k); v != "" {
		return v
	}
	return p.query.Get(k)
}

// decode unmarshals the JSON body into v.
func (p *in) decode(v any) *apiError {
	if p.body == nil {
		return errParam("请求体不能为空")
	}
	if err := json.Unmarshal(p.body, v); err != nil {
		return errParam(err.Error())
	}
	return nil
}

// decodeField unmarshals a form field that holds JSON (invalidInfo, receivers).
func (p *in) decodeField(k string, v any) *apiError {
	raw := p.get(k)
	if raw == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return errParam(k + "应为JSON字符串")
	}
	return nil
}

// checkRequired refuses a request that lacks a required parameter, or
// addresses a contract by neither or both of contractId and bizId.
func (p *in) checkRequired(rt route) *apiError {
	for _, k := range rt.required {
		if !p.has(k) {
			return errParam(k + "不能为空")
		}
	}
	if rt.pair && p.has("contractId") == p.has("bizId") {
		return errParam("合同ID与业务ID二选一,不能同时为空")
	}
	return nil
}

// ref returns the contract reference of a request.
func (p *in) ref() (contractID, bizID, tenant string) {
	return p.get("contractId"), p.get("bizId"), p.get("tenantName")
}
