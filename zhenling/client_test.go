package zhenling

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const mockBase = "https://oc.example.com/base"

var mockCfg = Config{BaseURL: mockBase, ClientID: "cid-123", ClientSecret: "csecret-very-private"}

// newMock returns a client on its own httpmock transport, with a token
// responder that hands out "tok-1", "tok-2", ...
func newMock(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport, *[]string) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var forms []string
	n := 0
	mt.RegisterResponder(http.MethodPost, mockBase+DefaultTokenPath, func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		forms = append(forms, r.Header.Get("Content-Type")+"|"+string(b)+"|"+r.URL.RawQuery+"|"+r.Header.Get("Authorization"))
		n++
		return httpmock.NewJsonResponse(200, map[string]any{"access_token": "tok-" + string(rune('0'+n)), "token_type": "bearer", "expires_in": 43199, "scope": "default"})
	})
	c, err := NewClient(mockCfg, append([]Option{WithTransport(mt), WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: 1, MaxDelay: 1})}, opts...)...)
	require.NoError(t, err)
	return c, mt, &forms
}

func TestNewClientValidates(t *testing.T) {
	ok := Config{BaseURL: mockBase, ClientID: "id", ClientSecret: "s"}
	for want, tc := range map[string]struct {
		cfg  Config
		opts []Option
	}{
		"zhenling: NewClient: Config.BaseURL: required":                          {Config{ClientID: "id", ClientSecret: "s"}, nil},
		"zhenling: NewClient: Config.BaseURL: base URL":                          {Config{BaseURL: "oc.example.com", ClientID: "id", ClientSecret: "s"}, nil},
		"zhenling: NewClient: Config.ClientID: required":                         {Config{BaseURL: mockBase, ClientSecret: "s"}, nil},
		"zhenling: NewClient: Config.ClientSecret: required":                     {Config{BaseURL: mockBase, ClientID: "id"}, nil},
		"zhenling: NewClient: Config.TokenPath":                                  {Config{BaseURL: mockBase, ClientID: "id", ClientSecret: "s", TokenPath: "oauth/token"}, nil},
		"zhenling: NewClient: Config.TokenAuth":                                  {Config{BaseURL: mockBase, ClientID: "id", ClientSecret: "s", TokenAuth: 9}, nil},
		"zhenling: NewClient: timeout":                                           {ok, []Option{WithTimeout(0)}},
		"zhenling: NewClient: retry":                                             {ok, []Option{WithRetry(RetryPolicy{})}},
		"zhenling: NewClient: rate limit":                                        {ok, []Option{WithRateLimit(-1, 1)}},
		"zhenling: NewClient: HTTP client":                                       {ok, []Option{WithHTTPClient(nil)}},
		"zhenling: NewClient: transport":                                         {ok, []Option{WithTransport(nil)}},
		"zhenling: NewClient: clock":                                             {ok, []Option{WithClock(nil)}},
		"zhenling: NewClient: token store":                                       {ok, []Option{WithTokenStore(nil)}},
		`zhenling: NewClient: unknown operation "9.9"`:                           {ok, []Option{WithOperation("9.9", SingleScript, "X")}},
		`zhenling: NewClient: WithOperation("3.27"): invokeCode`:                 {ok, []Option{WithOperation("3.27", "", "X")}},
		`zhenling: NewClient: WithOperationPath("3.4"): path "x"`:                {ok, []Option{WithOperationPath("3.4", "x")}},
		`zhenling: NewClient: WithOperationPath("3.4"): path "//evil.example/x"`: {ok, []Option{WithOperationPath("3.4", "//evil.example/x")}},
		`zhenling: NewClient: WithOperation("3.27"): invokeCode and d`:           {ok, []Option{WithOperations(Operation{Name: "3.27"})}},
	} {
		c, err := NewClient(tc.cfg, tc.opts...)
		assert.Nil(t, c, want)
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
		var ze *Error
		require.ErrorAs(t, err, &ze, want)
		assert.Equal(t, "NewClient", ze.Op, want)
		assert.ErrorIs(t, err, ErrInvalidRequest, want)
	}
	c, err := NewClient(ok, nil, WithBaseURL(mockBase+"/"), WithLogger(nil))
	require.NoError(t, err)
	op, found := c.Operation(OpContractList)
	require.True(t, found)
	assert.Equal(t, "BASE.CONTRACT.PAGE_QUERY", op.Domain)
}

func TestExactBytesSent(t *testing.T) {
	c, mt, forms := newMock(t)
	var got *http.Request
	var body string
	mt.RegisterResponder(http.MethodPost, regexpFor(mockBase+hitfPath+SingleScript), func(r *http.Request) (*http.Response, error) {
		got = r
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		return httpmock.NewStringResponse(200, `{"message":"execute success","success":true,"result":{"code":"0","msg":"查询成功","data":{"content":[{"id":4073799,"contractNumber":"HT1","amount":"1000.12"}],"totalElements":"1","last":true}}}`), nil
	})
	page, err := c.Contracts.List(context.Background(), &ContractListRequest{
		Paging: Paging{Page: 0, Size: 20}, StartTime: "2025-04-01 00:00:00", StatusCode: "N",
		Condition:   &ContractListCondition{CategoryUUID: "cat-1", DepartmentCode: "D01"},
		UserContext: UserContext{UserIDType: UserIDLoginName, UserID: "zhangsan"},
		Extra:       map[string]any{"tenantFlag": "Y"},
	})
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, "/base/api/hitf/v2p/rest/invoke/"+SingleScript, got.URL.Path)
	assert.Equal(t, "domain=BASE.CONTRACT.PAGE_QUERY", got.URL.RawQuery)
	assert.Equal(t, "bearer tok-1", got.Header.Get("Authorization"))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, `{"condition":{"categoryUuid":"cat-1","departmentCode":"D01"},"page":0,"size":20,"startTime":"2025-04-01 00:00:00","statusCode":"N","tenantFlag":"Y","userId":"zhangsan","userIdType":"LOGINNAME"}`, body)
	assert.Equal(t, []string{"application/x-www-form-urlencoded|client_id=cid-123&client_secret=csecret-very-private&grant_type=client_credentials||"}, *forms)
	require.Len(t, page.Content, 1)
	assert.Equal(t, "4073799", string(page.Content[0].ID))
	assert.Equal(t, int64(1), page.TotalElements)
	assert.True(t, page.Last)
}

func TestBodyWithoutExtraKeepsFieldOrder(t *testing.T) {
	b, err := (&ContractQueryRequest{ContractRef: ContractRef{ContractNumber: "HT1"}, Paging: Paging{Size: 10}}).body("ContractQueryRequest")
	require.NoError(t, err)
	assert.Equal(t, `{"contractNumber":"HT1","page":0,"size":10}`, string(b))
	b, err = (&PaymentPlanPayRequest{PaymentStatus: PaymentStatusAllPaid, ID: "38457", PaidAmount: amt("100.00"), SourceScheduleID: "S1"}).body("P")
	require.NoError(t, err)
	assert.Equal(t, `{"paymentStatus":"ALL_PAID","id":"38457","paidAmount":100.00,"sourceScheduleId":"S1"}`, string(b))
}

func TestDataImportCodeKeptRawInPath(t *testing.T) {
	c, mt, _ := newMock(t)
	var raw, body string
	mt.RegisterResponder(http.MethodPost, regexpFor(mockBase+hitfPath+DataImport), func(r *http.Request) (*http.Response, error) {
		raw = r.URL.EscapedPath() + "?" + r.URL.RawQuery
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		return httpmock.NewStringResponse(200, `{"success":true,"message":"execute success","result":{"data":[{"batchId":"7ecb6832-aaaa","sourceSystem":"DEFAULT","originData":"{\"planAmount\":100}","supplierId":123}]}}`), nil
	})
	rc, err := c.Fulfillment.CreatePaymentPlans(context.Background(), &PaymentPlanCreateRequest{Data: []PaymentPlanCreate{{
		ContractNumber: "HT1", PlanAmount: amt("100"), TaxRate: "0.13", PlanDate: "2025-05-01 00:00:00", Extra: map[string]any{"receiverName": "甲"},
	}}})
	require.NoError(t, err)
	assert.Equal(t, "/base/api/hitf/v2p/rest/invoke/SFpFUk86T1JDSEVTVFJBVElPTjpISVRGLkFQSS5EQVRBX0lNUE9SVA==?domain=FULFILL_PAYMENTPLAN", raw)
	assert.Equal(t, `{"data":[{"contractNumber":"HT1","planAmount":100,"planDate":"2025-05-01 00:00:00","receiverName":"甲","taxRate":0.13}]}`, body)
	assert.Equal(t, "7ecb6832-aaaa", rc.BatchID())
	assert.Equal(t, `{"planAmount":100}`, string(rc.Rows[0].OriginData))
	assert.Contains(t, string(rc.Rows[0].Raw), `"supplierId":123`)
}

func regexpFor(u string) string {
	return `=~^` + strings.NewReplacer(".", `\.`, "+", `\+`, "=", `=`).Replace(u) + `(\?.*)?$`
}

func TestUnconfiguredOperationSendsNothing(t *testing.T) {
	c, mt, forms := newMock(t)
	_, err := c.Contracts.Parties(context.Background(), &ContractQueryRequest{ContractRef: ContractRef{ContractNumber: "HT1"}, Paging: Paging{Size: 10}})
	var nc *NotConfiguredError
	require.True(t, errors.As(err, &nc), "%v", err)
	assert.Equal(t, "3.27", nc.Op.Name)
	assert.Equal(t, `zhenling: 3.27: 查询合同相对方 is not configured: Zhenling has not published its HITF invoke code and domain. `+
		`Ask your Zhenling contact (PM) for the invoke code and the domain of 3.27 查询合同相对方, then pass them with `+
		`zhenling.WithOperation(zhenling.OpContractParties, "<invoke code>", "<domain>")`, err.Error())
	assert.Empty(t, *forms, "no token fetched")
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestOperationOverrideAndPath(t *testing.T) {
	c, mt, _ := newMock(t, WithOperation(OpContractParties, "Q1VTVE9N", "TENANT.PARTY"), WithOperationPath(OpFileDownload, "/api/ofle/v1/files/download"))
	var seen []string
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Method+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery)
		if r.Method == http.MethodGet {
			resp := httpmock.NewStringResponse(200, "PDFDATA")
			resp.Header.Set("Content-Type", "application/pdf")
			return resp, nil
		}
		return httpmock.NewStringResponse(200, `{"success":true,"result":{"code":"0","data":[{"partyName":"甲"}]}}`), nil
	})
	res, err := c.Contracts.Parties(context.Background(), &ContractQueryRequest{ContractRef: ContractRef{UUID: "u1"}, Paging: Paging{Size: 1}})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"partyName":"甲"}]`, string(res.Data))
	var sb strings.Builder
	dl, err := c.Files.Download(context.Background(), &FileKeyRequest{FileKey: "oc-base/(x)a b.pdf"}, &sb)
	require.NoError(t, err)
	assert.Equal(t, int64(7), dl.Written)
	assert.Equal(t, []string{
		"POST /base/api/hitf/v2p/rest/invoke/Q1VTVE9N?domain=TENANT.PARTY",
		"GET /base/api/ofle/v1/files/download?fileKey=oc-base%2F%28x%29a+b.pdf",
	}, seen)
}

func TestTokenAuthStyles(t *testing.T) {
	for style, want := range map[TokenAuthStyle]string{
		TokenAuthQuery: "||client_id=cid-123&client_secret=csecret-very-private&grant_type=client_credentials&scope=default|",
		TokenAuthBasic: "application/x-www-form-urlencoded|grant_type=client_credentials&scope=default||Basic Y2lkLTEyMzpjc2VjcmV0LXZlcnktcHJpdmF0ZQ==",
	} {
		mt := httpmock.NewMockTransport()
		var got string
		mt.RegisterResponder(http.MethodPost, regexpFor(mockBase+"/oauth/token"), func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			got = r.Header.Get("Content-Type") + "|" + string(b) + "|" + r.URL.RawQuery + "|" + r.Header.Get("Authorization")
			return httpmock.NewStringResponse(200, `{"access_token":"abc-token","expires_in":"7200"}`), nil
		})
		cfg := mockCfg
		cfg.TokenAuth, cfg.TokenPath, cfg.Scope = style, "/oauth/token", "default"
		c, err := NewClient(cfg, WithTransport(mt))
		require.NoError(t, err)
		tok, err := c.Token(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "abc-token", tok.AccessToken)
		assert.Equal(t, want, got)
	}
}

func TestRequestValidation(t *testing.T) {
	c, mt, _ := newMock(t, WithOperations(Operation{Name: OpContractCreate, InvokeCode: DataImport, Domain: "X"}))
	ctx := context.Background()
	cases := map[string]func() error{
		"ContractListRequest.Size: must be positive": func() error { _, err := c.Contracts.List(ctx, &ContractListRequest{}); return err },
		"ContractListRequest.Page: must not be negative": func() error {
			_, err := c.Contracts.List(ctx, &ContractListRequest{Paging: Paging{Page: -1, Size: 1}})
			return err
		},
		"ContractListRequest: required": func() error { _, err := c.Contracts.List(ctx, nil); return err },
		"ContractQueryRequest.ContractNumber: required": func() error {
			_, err := c.Contracts.Lines(ctx, &ContractQueryRequest{Paging: Paging{Size: 1}})
			return err
		},
		"ContractQueryRequest.UserContext: set both": func() error {
			_, err := c.Contracts.Lines(ctx, &ContractQueryRequest{ContractRef: ContractRef{UUID: "u"}, Paging: Paging{Size: 1}, UserContext: UserContext{UserID: "x"}})
			return err
		},
		`ContractListRequest.Extra["size"]: must not repeat a typed field`: func() error {
			_, err := c.Contracts.List(ctx, &ContractListRequest{Paging: Paging{Size: 1}, Extra: map[string]any{"size": 2}})
			return err
		},
		"ContractCreateRequest.Data[0].SourceCode": func() error {
			_, err := c.Contracts.Create(ctx, &ContractCreateRequest{Data: []ContractCreate{{}}})
			return err
		},
		"ContractCreateRequest.Data: at least 1 item":   func() error { _, err := c.Contracts.Create(ctx, &ContractCreateRequest{}); return err },
		"PaymentPlanPayRequest.PaymentStatus: required": func() error { _, err := c.Fulfillment.PayPaymentPlan(ctx, &PaymentPlanPayRequest{ID: "1"}); return err },
		"PaymentPlanCreateRequest.Data[0].ContractUUID": func() error {
			_, err := c.Fulfillment.CreatePaymentPlans(ctx, &PaymentPlanCreateRequest{Data: []PaymentPlanCreate{{}}})
			return err
		},
		"PaymentPlanCreateRequest.Data[0].TaxRate": func() error {
			_, err := c.Fulfillment.CreatePaymentPlans(ctx, &PaymentPlanCreateRequest{Data: []PaymentPlanCreate{{ContractID: "1", TaxRate: "12,5"}}})
			return err
		},
		"FileUploadRequest.SourceDocumentNumber": func() error {
			_, err := c.Files.Upload(ctx, &FileUploadRequest{FileName: "a", Body: strings.NewReader("")})
			return err
		},
		"ActionRequest.Extra: required":      func() error { _, err := c.Workflow.Approve(ctx, &ActionRequest{}); return err },
		"BatchRequest.Data: at least 1 item": func() error { _, err := c.Parties.Upsert(ctx, &BatchRequest{}); return err },
		"InvokeRequest.Domain: required":     func() error { _, err := c.Invoke(ctx, &InvokeRequest{InvokeCode: SingleScript}); return err },
		"ctx: required": func() error {
			//lint:ignore SA1012 a nil context must be an error, not a panic
			_, err := c.Contracts.List(nil, &ContractListRequest{Paging: Paging{Size: 1}})
			return err
		}, //nolint:staticcheck // nil ctx on purpose
		"ContractFlowRequest.Contract.SourceCode: must equal SourceCode \"A\"": func() error {
			_, err := c.CreateContractWithFiles(ctx, &ContractFlowRequest{SourceCode: "A", MainFile: &FileUploadRequest{FileName: "m", Body: strings.NewReader("x")}, Contract: ContractCreate{SourceCode: "B"}})
			return err
		},
		"ContractFlowRequest.Attachments[0].SourceDocumentNumber: must equal SourceCode \"A\"": func() error {
			_, err := c.CreateContractWithFiles(ctx, &ContractFlowRequest{SourceCode: "A", MainFile: &FileUploadRequest{FileName: "m", Body: strings.NewReader("x")},
				Attachments: []*FileUploadRequest{{SourceDocumentNumber: "B", FileName: "a", Body: strings.NewReader("y")}}})
			return err
		},
		"ContractFlowRequest.MainFile: required": func() error {
			_, err := c.CreateContractWithFiles(ctx, &ContractFlowRequest{SourceCode: "A"})
			return err
		},
	}
	for want, call := range cases {
		err := call()
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
	}
	assert.Zero(t, mt.GetTotalCallCount(), "invalid input is refused before sending")
}

func TestRecordMarshal(t *testing.T) {
	b, err := (&BatchRequest{Data: []Record{{SourceSystem: "oms", SourceCode: "P1", Fields: map[string]any{"partyName": "甲公司"}}}}).body("BatchRequest")
	require.NoError(t, err)
	assert.Equal(t, `{"data":[{"partyName":"甲公司","sourceCode":"P1","sourceSystem":"oms"}]}`, string(b))
	_, err = (&BatchRequest{Data: []Record{{SourceCode: "P1", Fields: map[string]any{"sourceCode": "P2"}}}}).body("BatchRequest")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Fields["sourceCode"] repeats Record.SourceCode`)
}

func TestOperationsTableIsACopy(t *testing.T) {
	ops := Operations()
	ops[0].Name = "changed"
	assert.Equal(t, OpToken, Operations()[0].Name)
}
