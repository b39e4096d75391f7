package qiyuesuo

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMultipartUploadBytes(t *testing.T) {
	c, mt := mockClient(t)
	type part struct{ name, file, ctype, value string }
	var parts []part
	var sig string
	mt.RegisterResponder(http.MethodPost, Production.BaseURL()+"/v2/document/addbyfile", func(r *http.Request) (*http.Response, error) {
		sig = r.Header.Get("x-qys-open-signature")
		mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		require.NoError(t, err)
		require.Equal(t, "multipart/form-data", mediaType)
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			b, _ := io.ReadAll(p)
			parts = append(parts, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(b)})
		}
		return httpmock.NewStringResponse(200, `{"code":0,"message":"SUCCESS","result":{"documentId":"3000000000000000009"}}`), nil
	})
	sort := -1
	x, page := 0.5, 0
	res, err := c.DocumentAddByFile(context.Background(), &DocumentAddByFileRequest{
		BizID: "PO-1", TenantName: "子公司", Title: "正文", DocumentSort: &sort, FileSuffix: "pdf",
		File:     File{Name: "/tmp/合同.pdf", Reader: strings.NewReader("%PDF-1.4 body")},
		Stampers: []Stamper{{Type: "COMPANY", ActionID: "3000000000000000003", Page: &page, OffsetX: &x, OffsetY: &x}},
	})
	require.NoError(t, err)
	assert.Equal(t, ID("3000000000000000009"), res.Result.DocumentID)
	assert.Equal(t, reqSig, sig)
	assert.Equal(t, []part{
		{"bizId", "", "", "PO-1"},
		{"tenantName", "", "", "子公司"},
		{"title", "", "", "正文"},
		{"fileSuffix", "", "", "pdf"},
		{"documentSort", "", "", "-1"},
		{"stampers", "", "", `[{"actionId":"3000000000000000003","type":"COMPANY","page":0,"offsetX":0.5,"offsetY":0.5}]`},
		{"file", "合同.pdf", "application/pdf", "%PDF-1.4 body"},
	}, parts)
}

func TestUploadIsNeverRetried(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder(http.MethodPost, Production.BaseURL()+"/v2/document/addbyfile", func(r *http.Request) (*http.Response, error) {
		_, _ = io.Copy(io.Discard, r.Body)
		return httpmock.NewStringResponse(503, `{"code":1001,"message":"busy"}`), nil
	})
	_, err := c.DocumentAddByFile(context.Background(), &DocumentAddByFileRequest{ContractID: "1", Title: "t",
		FileSuffix: "pdf", File: File{Name: "a.pdf", Reader: strings.NewReader("x")}})
	assert.True(t, IsCode(err, CodeRequestFailed), "%v", err)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
