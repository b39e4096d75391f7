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
// the query, a JSON body, or multipart fields and file sizes.
type in struct {
	query  url.Values
	body   []byte
	fields url.Values
	files  []upload
}

type upload struct {
	field, name string
	size        int64
}

// maxJSON bounds JSON bodies; uploads are counted, never stored.
const maxJSON = 1 << 20

func readInput(r *http.Request) (*in, *apiError) {
	p := &in{query: r.URL.Query(), fields: url.Values{}}
	if r.Method != http.MethodPost {
		return p, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		return p, p.readMultipart(r)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxJSON+1))
	if err != nil || len(b) > maxJSON {
		return nil, errParam("请求体过大")
	}
	if !strings.Contains(mt, "json") || !json.Valid(b) {
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

// get returns a query or multipart field.
func (p *in) get(k string) string {
	if v := p.fields.Get(k); v != "" {
		return v
	}
	return p.query.Get(k)
}

// decode unmarshals the JSON body into v.
func (p *in) decode(v any) *apiError {
	d := json.NewDecoder(bytes.NewReader(p.body))
	if err := d.Decode(v); err != nil {
		return errParam(err.Error())
	}
	return nil
}

// refBody is the contractId|bizId|tenantName part every contract call has.
type refBody struct {
	ContractID string `json:"contractId"`
	BizID      string `json:"bizId"`
	TenantName string `json:"tenantName"`
}

// ref returns the contract reference from the body or the query.
func (p *in) ref() (refBody, *apiError) {
	if p.body == nil {
		return refBody{ContractID: p.get("contractId"), BizID: p.get("bizId"), TenantName: p.get("tenantName")}, nil
	}
	var r refBody
	err := p.decode(&r)
	return r, err
}
