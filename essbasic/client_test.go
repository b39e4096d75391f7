package essbasic

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
)

var testAgent = &Agent{AppId: "app-1", ProxyOrganizationOpenId: "org-1", ProxyOperator: &UserInfo{OpenId: "op-1"}}

// capture is a mock transport that records every request's URL, headers
// and body and answers with reply.
type capture struct {
	mt     *httpmock.MockTransport
	reqs   []*http.Request
	bodies [][]byte
}

func newCapture(reply string) *capture {
	c := &capture{mt: httpmock.NewMockTransport()}
	c.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		c.reqs, c.bodies = append(c.reqs, r), append(c.bodies, b)
		return httpmock.NewStringResponse(200, reply), nil
	})
	return c
}

func newTestClient(t *testing.T, cp *capture, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(Config{SecretID: "AKIDtest", SecretKey: "secret-key", Agent: testAgent},
		append([]Option{WithTransport(cp.mt), WithClock(func() time.Time { return time.Unix(v1Timestamp, 0) })}, opts...)...)
	require.NoError(t, err)
	return c
}

func TestTypedCallExactBytes(t *testing.T) {
	cp := newCapture(`{"Response":{"RequestId":"r-1"}}`)
	c := newTestClient(t, cp)
	res, err := c.ChannelCancelFlow(context.Background(), &ChannelCancelFlowRequest{FlowId: "f-1", CancelMessageFormat: hetong.Ptr[int64](0)})
	require.NoError(t, err)
	assert.Equal(t, "r-1", res.RequestId)
	require.Len(t, cp.reqs, 1)
	want := `{"FlowId":"f-1","Agent":{"AppId":"app-1","ProxyOrganizationOpenId":"org-1","ProxyOperator":{"OpenId":"op-1"}},"CancelMessageFormat":0}`
	assert.Equal(t, want, string(cp.bodies[0]), "struct order, default Agent filled, explicit zero kept")
	r := cp.reqs[0]
	assert.Equal(t, "https://essbasic.tencentcloudapi.com/", r.URL.String())
	assert.Equal(t, TC3Authorization("AKIDtest", "secret-key", Service, ProductionHost, "application/json", v1Timestamp, cp.bodies[0]), r.Header.Get("Authorization"))
	assert.Equal(t, "ChannelCancelFlow", r.Header.Get("X-TC-Action"))
	assert.Equal(t, requestClient, r.Header.Get("X-TC-RequestClient"))
}

func TestAgentRules(t *testing.T) {
	cp := newCapture(`{"Response":{"RequestId":"r"}}`)
	c := newTestClient(t, cp)
	ctx := context.Background()
	// A request's own Agent wins; its empty AppId comes from the default.
	_, err := c.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{FlowId: "f", Agent: &Agent{ProxyOrganizationOpenId: "org-2"}})
	require.NoError(t, err)
	assert.Equal(t, `{"FlowId":"f","Agent":{"AppId":"app-1","ProxyOrganizationOpenId":"org-2"}}`, string(cp.bodies[0]))

	// Without a default, a request without Agent is refused before sending.
	bare, err := NewClient(Config{SecretID: "id", SecretKey: "key"}, WithTransport(cp.mt))
	require.NoError(t, err)
	_, err = bare.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{FlowId: "f"})
	assert.EqualError(t, err, "essbasic: ChannelCancelFlow: ChannelCancelFlowRequest.Agent: required")
	assert.ErrorIs(t, err, ErrInvalidRequest)
	_, err = bare.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{FlowId: "f", Agent: &Agent{ProxyOrganizationOpenId: "o"}})
	assert.EqualError(t, err, "essbasic: ChannelCancelFlow: ChannelCancelFlowRequest.Agent.AppId: required")
	assert.Len(t, cp.reqs, 1, "nothing more was sent")
}

func TestValidationBeforeSending(t *testing.T) {
	cp := newCapture(`{"Response":{"RequestId":"r"}}`)
	c := newTestClient(t, cp)
	ctx := context.Background()
	ids := make([]string, 51)
	for i := range ids {
		ids[i] = "f"
	}
	cases := map[string]func() error{
		"essbasic: DescribeResourceUrlsByFlows: DescribeResourceUrlsByFlowsRequest.FlowIds: at most 50 items": func() error {
			_, err := c.DescribeResourceUrlsByFlows(ctx, &DescribeResourceUrlsByFlowsRequest{FlowIds: ids})
			return err
		},
		"essbasic: DescribeResourceUrlsByFlows: DescribeResourceUrlsByFlowsRequest.FlowIds: required": func() error {
			_, err := c.DescribeResourceUrlsByFlows(ctx, &DescribeResourceUrlsByFlowsRequest{})
			return err
		},
		"essbasic: ChannelCancelFlow: ChannelCancelFlowRequest.FlowId: required": func() error {
			_, err := c.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{})
			return err
		},
		"essbasic: CreateFlowsByTemplates: CreateFlowsByTemplatesRequest.FlowInfos[1].FlowName: required": func() error {
			_, err := c.CreateFlowsByTemplates(ctx, &CreateFlowsByTemplatesRequest{FlowInfos: []FlowInfo{{FlowName: "a"}, {}}})
			return err
		},
		"essbasic: CreateSignUrls: CreateSignUrlsRequest: required": func() error {
			_, err := c.CreateSignUrls(ctx, nil)
			return err
		},
		"essbasic: Raw: RawRequest.Action: required": func() error {
			_, err := c.Raw(ctx, &RawRequest{})
			return err
		},
	}
	for want, call := range cases {
		err := call()
		assert.EqualError(t, err, want)
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
	assert.Empty(t, cp.reqs)
}

func TestNewClientValidates(t *testing.T) {
	for cfg, want := range map[*Config]string{
		{SecretKey: "k"}:                                 "essbasic: NewClient: Config.SecretID: required",
		{SecretID: "i"}:                                  "essbasic: NewClient: Config.SecretKey: required",
		{SecretID: "i", SecretKey: " \t\n"}:              "essbasic: NewClient: Config.SecretKey: required",
		{SecretID: "i", SecretKey: "k", Agent: &Agent{}}: "essbasic: NewClient: Config.Agent.AppId: required",
	} {
		_, err := NewClient(*cfg)
		assert.EqualError(t, err, want)
	}
	_, err := NewClient(Config{SecretID: "i", SecretKey: "k"}, WithBaseURL("ftp://x"))
	assert.ErrorContains(t, err, "base URL")
	_, err = NewClient(Config{SecretID: "i", SecretKey: "k"}, WithEnvironment(Environment(9)))
	assert.Error(t, err)
	_, err = NewClient(Config{SecretID: "i", SecretKey: "k"}, nil)
	assert.Error(t, err)
	_, err = NewClient(Config{SecretID: "i", SecretKey: "k"}, WithTimeout(0))
	assert.Error(t, err)
}

func TestHostsPerEnvironment(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		opts      []Option
		api, file string
	}{
		{nil, "https://essbasic.tencentcloudapi.com/", "https://file.ess.tencent.cn/"},
		{[]Option{WithEnvironment(Test)}, "https://essbasic.test.ess.tencent.cn/", "https://file.test.ess.tencent.cn/"},
		{[]Option{WithBaseURL("http://proxy:8080")}, "http://proxy:8080/", "http://proxy:8080/"},
		{[]Option{WithBaseURL("http://proxy:8080"), WithFileBaseURL("http://files:9090")}, "http://proxy:8080/", "http://files:9090/"},
	} {
		cp := newCapture(`{"Response":{"FileIds":["f"],"RequestId":"r"}}`)
		c := newTestClient(t, cp, tc.opts...)
		_, err := c.ChannelCancelFlow(ctx, &ChannelCancelFlowRequest{FlowId: "f"})
		require.NoError(t, err)
		_, err = c.UploadFiles(ctx, &UploadFilesRequest{BusinessType: "DOCUMENT", FileInfos: []UploadFile{{FileBody: "JVBERg==", FileName: "a.pdf"}}})
		require.NoError(t, err)
		require.Len(t, cp.reqs, 2)
		assert.Equal(t, tc.api, cp.reqs[0].URL.String())
		assert.Equal(t, tc.file, cp.reqs[1].URL.String())
		// The signed host is the host the request went to; the scope stays essbasic.
		for i, r := range cp.reqs {
			assert.Equal(t, TC3Authorization("AKIDtest", "secret-key", Service, r.URL.Host, "application/json", v1Timestamp, cp.bodies[i]), r.Header.Get("Authorization"))
		}
	}
}

func TestOptionalHeaders(t *testing.T) {
	cp := newCapture(`{"Response":{"RequestId":"r"}}`)
	c, err := NewClient(Config{SecretID: "i", SecretKey: "k", Token: "sts-token", Region: "ap-guangzhou", Agent: testAgent},
		WithTransport(cp.mt), WithLanguage("en-US"))
	require.NoError(t, err)
	_, err = c.ChannelCancelFlow(context.Background(), &ChannelCancelFlowRequest{FlowId: "f"})
	require.NoError(t, err)
	h := cp.reqs[0].Header
	assert.Equal(t, "sts-token", h.Get("X-TC-Token"))
	assert.Equal(t, "ap-guangzhou", h.Get("X-TC-Region"))
	assert.Equal(t, "en-US", h.Get("X-TC-Language"))
}

func TestUploadFromReader(t *testing.T) {
	cp := newCapture(`{"Response":{"FileIds":["f1"],"TotalCount":1,"RequestId":"r"}}`)
	c := newTestClient(t, cp)
	ctx := context.Background()
	res, err := c.UploadFromReader(ctx, &UploadFromReaderRequest{BusinessType: "DOCUMENT", Deadline: hetong.Ptr[int64](1700003600),
		Files: []UploadSource{{Name: "合同 \"A\".pdf", Reader: strings.NewReader("%PDF-1.4")}}})
	require.NoError(t, err)
	assert.Equal(t, []string{"f1"}, res.FileIds)
	want := `{"Agent":{"AppId":"app-1","ProxyOrganizationOpenId":"org-1","ProxyOperator":{"OpenId":"op-1"}},"BusinessType":"DOCUMENT",` +
		`"FileInfos":[{"FileBody":"JVBERi0xLjQ=","FileName":"合同 \"A\".pdf"}],"Deadline":1700003600}`
	assert.Equal(t, want, string(cp.bodies[0]))
	assert.Equal(t, "https://file.ess.tencent.cn/", cp.reqs[0].URL.String())

	// Same bytes as the generated UploadFiles would send.
	_, err = c.UploadFiles(ctx, &UploadFilesRequest{BusinessType: "DOCUMENT", Deadline: hetong.Ptr[int64](1700003600),
		FileInfos: []UploadFile{{FileBody: "JVBERi0xLjQ=", FileName: "合同 \"A\".pdf"}}})
	require.NoError(t, err)
	assert.Equal(t, string(cp.bodies[0]), string(cp.bodies[1]))

	big := io.LimitReader(zeros{}, MaxImageUploadSize)
	_, err = c.UploadFromReader(ctx, &UploadFromReaderRequest{BusinessType: "SEAL", Files: []UploadSource{{Name: "seal.PNG", Reader: big}}})
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.EqualError(t, err, "essbasic: UploadFromReader: UploadFromReaderRequest.Files[0]: must be smaller than 8 MiB (seal.PNG)")
	_, err = c.UploadFromReader(ctx, &UploadFromReaderRequest{BusinessType: "DOCUMENT", Files: []UploadSource{
		{Name: "a.pdf", Reader: strings.NewReader("x")}, {Name: "b.docx", Reader: strings.NewReader("y")}}})
	assert.ErrorContains(t, err, "same type")
	_, err = c.UploadFromReader(ctx, &UploadFromReaderRequest{BusinessType: "DOCUMENT"})
	assert.EqualError(t, err, "essbasic: UploadFromReader: UploadFromReaderRequest.FileInfos: required")
	_, err = c.UploadFromReader(ctx, &UploadFromReaderRequest{BusinessType: "DOCUMENT", Files: []UploadSource{{Name: "a.pdf"}}})
	assert.EqualError(t, err, "essbasic: UploadFromReader: UploadFromReaderRequest.Files[0].Reader: required")
	assert.Len(t, cp.reqs, 2, "refused uploads send nothing")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestDownloadResource(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "https://file.test.ess.tencent.cn/file/FLOW/x/0/0.PDF",
		httpmock.NewBytesResponder(200, []byte("%PDF-signed")).HeaderSet(http.Header{"Content-Type": {"application/pdf"}}))
	mt.RegisterResponder(http.MethodGet, "https://file.test.ess.tencent.cn/expired",
		httpmock.NewStringResponder(403, "<Error>AccessDenied</Error>"))
	mt.RegisterResponder(http.MethodGet, "https://file.test.ess.tencent.cn/json",
		httpmock.NewStringResponder(200, `{"Response":{}}`).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	c := newTestClient(t, &capture{mt: mt})
	ctx := context.Background()
	var buf bytes.Buffer
	n, err := c.DownloadResource(ctx, "https://file.test.ess.tencent.cn/file/FLOW/x/0/0.PDF?hkey=secret-hkey", &buf)
	require.NoError(t, err)
	assert.EqualValues(t, 11, n)
	assert.Equal(t, "%PDF-signed", buf.String())

	_, err = c.DownloadResource(ctx, "https://file.test.ess.tencent.cn/expired?hkey=secret-hkey", io.Discard)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 403, e.HTTPStatus)
	assert.NotContains(t, err.Error(), "secret-hkey")
	_, err = c.DownloadResource(ctx, "https://file.test.ess.tencent.cn/json", io.Discard)
	assert.ErrorContains(t, err, "expected a file")
	_, err = c.DownloadResource(ctx, "/relative", io.Discard)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	_, err = c.DownloadResource(ctx, "https://x/", nil)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.False(t, errors.Is(err, context.Canceled))
}

// TestLenientResponse: numbers as strings (and back) decode, as the
// official SDK's users kept needing.
func TestLenientResponse(t *testing.T) {
	cp := newCapture(`{"Response":{"FlowInfo":[{"FlowId":12345,"CreateOn":"1700000000","DeadLine":1700000000.0,"NeedCreateReview":"false"}],"RequestId":"r"}}`)
	c := newTestClient(t, cp)
	res, err := c.DescribeFlowDetailInfo(context.Background(), &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	require.NoError(t, err)
	require.Len(t, res.FlowInfo, 1)
	assert.Equal(t, "12345", res.FlowInfo[0].FlowId)
	assert.EqualValues(t, 1700000000, res.FlowInfo[0].CreateOn)
	assert.EqualValues(t, 1700000000, res.FlowInfo[0].DeadLine)
	assert.False(t, res.FlowInfo[0].NeedCreateReview)

	cp = newCapture(`{"Response":{"FlowInfo":[{"CreateOn":"soon"}],"RequestId":"r-9"}}`)
	c = newTestClient(t, cp)
	_, err = c.DescribeFlowDetailInfo(context.Background(), &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "r-9", e.RequestID)
	assert.Contains(t, err.Error(), "cannot decode response")
}
