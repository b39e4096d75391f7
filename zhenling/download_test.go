package zhenling

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/transport"
)

// TestDownloadNeverSavesAnErrorPage: a 200 that carries an HTML login/WAF
// page, or a JSON envelope without a JSON Content-Type, is an error and
// nothing reaches the writer; a JSON answer is not a file either.
func TestDownloadNeverSavesAnErrorPage(t *testing.T) {
	cases := map[string]struct {
		ctype, body string
		code        string
		kind        transport.Kind
	}{
		"html login page":              {"text/html; charset=utf-8", `<!DOCTYPE html><html><body>请登录</body></html>`, "", transport.KindNotJSON},
		"html page as octet-stream":    {"application/octet-stream", `<html><head><title>WAF</title></head></html>`, "", transport.KindNotJSON},
		"error envelope, no type":      {"", `{"success":false,"message":"文件不存在","result":{"code":"FILE_NOT_FOUND","msg":"文件不存在"}}`, "FILE_NOT_FOUND", 0},
		"hzero error as octet-stream":  {"application/octet-stream", `{"failed":true,"code":"error.file","message":"no"}`, "error.file", 0},
		"success envelope, no type":    {"", `{"success":true,"result":{"code":"0","data":{"url":"x"}}}`, "", transport.KindNotFile},
		"success envelope, JSON typed": {"application/json", `{"success":true,"result":{"code":"0","data":{"url":"x"}}}`, "", 0},
	}
	for name, tc := range cases {
		c, mt, _ := newMock(t, WithOperation(OpFileDownload, SingleScript, "FILE.DOWNLOAD"))
		mt.RegisterResponder(http.MethodGet, `=~^`+mockBase+hitfPath, func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(200, tc.body)
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			return r, nil
		})
		var file bytes.Buffer
		dl, err := c.Files.Download(context.Background(), &FileKeyRequest{FileKey: "k"}, &file)
		assert.Nil(t, dl, name)
		assert.Zero(t, file.Len(), "%s: nothing saved", name)
		var ze *Error
		require.ErrorAs(t, err, &ze, name)
		assert.Equal(t, OpFileDownload, ze.Op, name)
		if tc.code != "" {
			assert.Equal(t, tc.code, ze.Code, name)
		}
		if tc.kind != 0 {
			var te *transport.Error
			require.True(t, errors.As(err, &te), "%s: %v", name, err)
			assert.Equal(t, tc.kind, te.Kind, name)
		}
	}
}

// TestDownloadQueryString: the GET's query comes from the request's url
// tags (go-querystring), Extra after it, and a repeated key is refused.
func TestDownloadQueryString(t *testing.T) {
	c, mt, _ := newMock(t, WithOperation(OpFileDownload, SingleScript, "FILE.DOWNLOAD"))
	var got string
	mt.RegisterResponder(http.MethodGet, `=~^`+mockBase+hitfPath, func(r *http.Request) (*http.Response, error) {
		got = r.URL.RawQuery
		resp := httpmock.NewStringResponse(200, "%PDF-1.7")
		resp.Header.Set("Content-Type", "application/pdf")
		return resp, nil
	})
	var file bytes.Buffer
	_, err := c.Files.Download(context.Background(), &FileKeyRequest{FileKey: "oc/a b.pdf", UserContext: UserContext{UserIDType: UserIDEmail, UserID: "a@b.cn"},
		Extra: map[string]any{"bucket": "oc-base"}}, &file)
	require.NoError(t, err)
	assert.Equal(t, "bucket=oc-base&domain=FILE.DOWNLOAD&fileKey=oc%2Fa+b.pdf&userId=a%40b.cn&userIdType=EMAIL", got)
	assert.Equal(t, "%PDF-1.7", file.String())
	_, err = c.Files.Download(context.Background(), &FileKeyRequest{FileKey: "k", Extra: map[string]any{"fileKey": "x"}}, &file)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.ErrorContains(t, err, `zhenling: 3.11: FileKeyRequest.Extra["fileKey"]: must not repeat a typed field`)
}
