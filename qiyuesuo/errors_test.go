package qiyuesuo

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/transport"
)

func TestEnvelopes(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		ct, body   string
		ok         bool
		code       string
		respCode   string
		kind       transport.Kind
		isCode     string
		wantInText string
	}{
		{name: "code 0", status: 200, body: `{"code":0,"message":"SUCCESS","result":{"id":"3000000000000000001"}}`, ok: true},
		{name: "responseCode ok", status: 200, body: `{"responseCode":"00000000","message":"SUCCESS","result":{"id":"1"}}`, ok: true},
		{name: "code as string", status: 200, body: `{"code":"0","result":{}}`, ok: true},
		{name: "auth 442", status: 442, body: `{"message":"INVALID TOKEN","code":442,"responseCode":"11990442"}`, code: "442", respCode: "11990442", isCode: CodeInvalidToken, wantInText: "INVALID TOKEN"},
		{name: "business error", status: 200, body: `{"responseCode":"11101003","message":"合同不存在"}`, respCode: CodeContractNotFound, isCode: CodeContractNotFound, wantInText: "合同不存在"},
		{name: "4-digit code", status: 200, body: `{"code":1001,"message":"请求失败"}`, code: "1001", isCode: CodeRequestFailed},
		{name: "HTML 200", status: 200, ct: "text/html", body: `<html>gateway</html>`, kind: transport.KindNotJSON, wantInText: "gateway"},
		{name: "HTML 502", status: 502, ct: "text/html", body: `<html>bad gateway</html>`, kind: transport.KindNotJSON, wantInText: "HTTP 502"},
		{name: "truncated JSON", status: 200, body: `{"code":0,"res`, kind: transport.KindDecode},
		{name: "no code", status: 200, body: `{"result":{}}`, kind: transport.KindDecode},
		{name: "wrong result shape", status: 200, body: `{"code":0,"result":[1,2]}`, kind: transport.KindDecode},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := mockClient(t, WithRetry(RetryPolicy{MaxAttempts: 1}))
			mt.RegisterResponder(http.MethodGet, Production.BaseURL()+"/v2/contract/detail", func(*http.Request) (*http.Response, error) {
				r := httpmock.NewStringResponse(tc.status, tc.body)
				ct := tc.ct
				if ct == "" {
					ct = "application/json"
				}
				r.Header.Set("Content-Type", ct)
				return r, nil
			})
			res, err := c.ContractDetail(context.Background(), &ContractDetailRequest{ContractID: "1"})
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, tc.status, res.HTTPStatus)
				return
			}
			require.Error(t, err)
			assert.Nil(t, res)
			var e *Error
			require.True(t, errors.As(err, &e), "%T", err)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.respCode, e.ResponseCode)
			assert.Equal(t, tc.status, e.HTTPStatus)
			if tc.isCode != "" {
				assert.True(t, IsCode(err, tc.isCode))
			}
			if tc.kind != 0 {
				var te *transport.Error
				require.True(t, errors.As(err, &te))
				assert.Equal(t, tc.kind, te.Kind)
			}
			assert.Contains(t, err.Error(), tc.wantInText)
			assert.NotContains(t, err.Error(), vecSecret)
		})
	}
}

func TestIsCode(t *testing.T) {
	assert.False(t, IsCode(nil, CodeOK))
	assert.False(t, IsCode(errors.New("x"), "1"))
	e := &Error{Code: "442", ResponseCode: "11990442"}
	assert.True(t, IsCode(e, "442"))
	assert.True(t, IsCode(e, "11990442"))
	assert.False(t, IsCode(e, ""))
	assert.False(t, IsCode(&Error{}, "0"))
}

func TestNewClientValidates(t *testing.T) {
	_, err := NewClient(Config{AppSecret: "s"})
	assert.ErrorContains(t, err, "Config.AppToken")
	_, err = NewClient(Config{AppToken: "t"})
	assert.ErrorContains(t, err, "Config.AppSecret")
	for _, o := range []Option{WithBaseURL("ftp://x"), WithTimeout(0), WithRetry(RetryPolicy{}), WithHeaderPrefix("x qys"),
		WithRateLimit(-1, 0), WithClock(nil), WithHTTPClient(nil), WithTransport(nil), nil} {
		_, err = NewClient(Config{AppToken: "t", AppSecret: "s"}, o)
		assert.Error(t, err)
	}
	c, err := NewClient(Config{AppToken: "t", AppSecret: "s"}, WithHeaderPrefix("X-QYS"), WithLogger(nil), WithRateLimit(0, 0))
	require.NoError(t, err)
	assert.Equal(t, "x-qys-", c.prefix)
}

func TestValidationBeforeSending(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	big := strings.NewReader(strings.Repeat("x", MaxFileSize+1))
	cases := []struct {
		field string
		call  func() error
	}{
		{"ContractEmployeeAuditRequest.ContractID", func() error {
			_, err := c.ContractEmployeeAudit(ctx, &ContractEmployeeAuditRequest{Pass: true})
			return err
		}},
		{"ContractEmployeeAuditRequest.BizID", func() error {
			_, err := c.ContractEmployeeAudit(ctx, &ContractEmployeeAuditRequest{ContractID: "1", BizID: "b", Pass: true})
			return err
		}},
		{"ContractEmployeeAuditRequest", func() error { _, err := c.ContractEmployeeAudit(ctx, nil); return err }},
		{"ContractDraftRequest.Signatories", func() error { _, err := c.ContractDraft(ctx, &ContractDraftRequest{Subject: "s"}); return err }},
		{"ContractDraftRequest.Signatories[0].TenantType", func() error {
			_, err := c.ContractDraft(ctx, &ContractDraftRequest{Subject: "s", Signatories: []Signatory{{}}})
			return err
		}},
		{"ContractDraftRequest.BusinessData", func() error {
			_, err := c.ContractDraft(ctx, &ContractDraftRequest{Subject: "s", Signatories: []Signatory{{TenantType: TenantPersonal}}, BusinessData: strings.Repeat("数", 101)})
			return err
		}},
		{"DocumentAddByFileRequest.File", func() error {
			_, err := c.DocumentAddByFile(ctx, &DocumentAddByFileRequest{ContractID: "1", Title: "t", FileSuffix: "pdf", File: File{Name: "a.pdf", Reader: big}})
			return err
		}},
		{"DocumentAddByFileRequest.FileSuffix", func() error {
			_, err := c.DocumentAddByFile(ctx, &DocumentAddByFileRequest{ContractID: "1", Title: "t", File: File{Name: "noext", Reader: strings.NewReader("x")}})
			return err
		}},
		{"DocumentAddByFileRequest.File.Name", func() error {
			_, err := c.DocumentAddByFile(ctx, &DocumentAddByFileRequest{ContractID: "1", Title: "t", FileSuffix: "pdf", File: File{Reader: strings.NewReader("x")}})
			return err
		}},
		{"DocumentAddByFilesRequest.Files", func() error {
			_, err := c.DocumentAddByFiles(ctx, &DocumentAddByFilesRequest{ContractID: "1", Title: "t"})
			return err
		}},
		{"UserSignParam.User", func() error {
			_, err := c.ContractSignPersonal(ctx, &UserSignParam{ContractID: "1"})
			return err
		}},
		{"UserSignParam.User.ContactType", func() error {
			_, err := c.ContractSignPersonal(ctx, &UserSignParam{ContractID: "1", User: &User{Contact: "13800000000"}})
			return err
		}},
		{"ContractDownloadRequest.ContractID", func() error {
			_, err := c.ContractDownload(ctx, &ContractDownloadRequest{}, discardWriter{})
			return err
		}},
		{"ContractDownloadRequest", func() error { _, err := c.ContractDownload(ctx, nil, discardWriter{}); return err }},
		{"w", func() error {
			_, err := c.ContractDownload(ctx, &ContractDownloadRequest{ContractID: "1"}, nil)
			return err
		}},
		{"ContractShortURLRequest.BizID", func() error {
			_, err := c.ContractShortURL(ctx, &ContractShortURLRequest{ContractID: "1", BizID: "b"})
			return err
		}},
		{"RawRequest.Method", func() error { _, err := c.Raw(ctx, &RawRequest{Method: "PUT", Path: "/x"}); return err }},
		{"RawRequest.Path", func() error {
			_, err := c.Raw(ctx, &RawRequest{Method: "GET", Path: "//evil.example.com/x"})
			return err
		}},
		{"RawRequest.Path", func() error {
			_, err := c.Raw(ctx, &RawRequest{Method: "GET", Path: "https://evil.example.com/x"})
			return err
		}},
		{"EmployeeCreateRequest.User", func() error { _, err := c.EmployeeCreate(ctx, &EmployeeCreateRequest{}); return err }},
		{"ContractSignURLRequest.BizID", func() error {
			_, err := c.ContractSignURL(ctx, &ContractSignURLRequest{ContractID: "1", BizID: strings.Repeat("b", 51)})
			return err
		}},
		{"ContractDraftRequest.RelatedContractIDs", func() error {
			_, err := c.ContractDraft(ctx, &ContractDraftRequest{Subject: "s", Signatories: []Signatory{{TenantType: TenantPersonal}}, RelatedContractIDs: make([]ID, 51)})
			return err
		}},
	}
	for _, tc := range cases {
		err := tc.call()
		require.Error(t, err, tc.field)
		assert.ErrorIs(t, err, ErrInvalidRequest, tc.field)
		assert.Contains(t, err.Error(), ": "+tc.field+": ", tc.field)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.NotEmpty(t, e.Op, "every error names its call")
	}
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing may be sent")
	_, err := c.DocumentAddByFile(ctx, &DocumentAddByFileRequest{ContractID: "1", Title: "t", FileSuffix: "pdf", File: File{Name: "a.pdf", Reader: big}})
	assert.ErrorIs(t, err, ErrFileTooLarge)
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
