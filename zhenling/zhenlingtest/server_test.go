package zhenlingtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/zhenling"
	"github.com/hetong-go/hetong/zhenling/zhenlingtest"
)

func do(t *testing.T, method, u, ctype, auth, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	require.NoError(t, err)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func token(t *testing.T, s *zhenlingtest.Server) string {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {zhenlingtest.ClientID}, "client_secret": {zhenlingtest.ClientSecret}}
	status, m := do(t, http.MethodPost, s.URL+"/oauth/oauth/token", "application/x-www-form-urlencoded", "", form.Encode())
	require.Equal(t, 200, status)
	assert.Equal(t, "bearer", m["token_type"])
	assert.EqualValues(t, 43199, m["expires_in"])
	return m["access_token"].(string)
}

func TestProtocolErrors(t *testing.T) {
	s := zhenlingtest.NewServer()
	defer s.Close()
	list := s.URL + "/api/hitf/v2p/rest/invoke/" + zhenling.SingleScript + "?domain=BASE.CONTRACT.PAGE_QUERY"

	status, m := do(t, http.MethodPost, s.URL+"/oauth/oauth/token", "application/x-www-form-urlencoded", "", "grant_type=client_credentials&client_id=x&client_secret=y")
	assert.Equal(t, 401, status)
	assert.Equal(t, "invalid_client", m["error"])
	status, m = do(t, http.MethodPost, s.URL+"/oauth/oauth/token?grant_type=password&client_id="+zhenlingtest.ClientID+"&client_secret="+zhenlingtest.ClientSecret, "", "", "")
	assert.Equal(t, 400, status)
	assert.Equal(t, "unsupported_grant_type", m["error"])
	assert.Zero(t, s.TokenFetches())

	status, m = do(t, http.MethodPost, list, "application/json", "", `{"page":0,"size":1}`)
	assert.Equal(t, 401, status)
	assert.Equal(t, "unauthorized", m["error"])
	status, m = do(t, http.MethodPost, list, "application/json", "bearer not-a-token", `{"page":0,"size":1}`)
	assert.Equal(t, 401, status)
	assert.Equal(t, "invalid_token", m["error"])

	tok := "Bearer " + token(t, s)
	status, m = do(t, http.MethodPost, list, "application/json", tok, `{"page":0,"size":1}`)
	assert.Equal(t, 200, status)
	assert.Equal(t, true, m["success"])

	status, m = do(t, http.MethodPost, strings.Replace(list, "PAGE_QUERY", "NOPE", 1), "application/json", tok, `{}`)
	assert.Equal(t, 404, status)
	assert.Equal(t, true, m["failed"])
	status, _ = do(t, http.MethodGet, list, "", tok, "")
	assert.Equal(t, 405, status)
	status, m = do(t, http.MethodPost, list, "application/json", tok, `{"page":`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "error.request_body.invalid", m["code"])
	status, m = do(t, http.MethodPost, list, "application/json", tok, `{"page":0,"size":0}`)
	assert.Equal(t, 200, status)
	assert.Equal(t, false, m["success"])
	assert.Equal(t, 2, s.Calls(zhenling.OpContractList))

	s.ExpireTokens()
	status, _ = do(t, http.MethodPost, list, "application/json", tok, `{"page":0,"size":1}`)
	assert.Equal(t, 401, status)
}

func TestOperationsCoverTheIndex(t *testing.T) {
	ops := zhenlingtest.Operations()
	assert.Len(t, ops, len(zhenling.Operations())-1, "every HITF operation, not the token endpoint")
	seen := map[string]bool{}
	for _, op := range ops {
		assert.True(t, op.Configured(), op.Name)
		key := op.InvokeCode + op.Domain
		assert.False(t, seen[key], "duplicate route %s", key)
		seen[key] = true
	}
}

func newClient(t *testing.T, s *zhenlingtest.Server) *zhenling.Client {
	c, err := zhenling.NewClient(zhenling.Config{BaseURL: s.URL, ClientID: zhenlingtest.ClientID, ClientSecret: zhenlingtest.ClientSecret},
		zhenling.WithOperations(zhenlingtest.Operations()...))
	require.NoError(t, err)
	return c
}

func TestAsyncCreateOutcomesAndCallbackRetry(t *testing.T) {
	s := zhenlingtest.NewServer()
	defer s.Close()
	var hits atomic.Int32
	events := make(chan []zhenling.CallbackEvent, 4)
	h := zhenling.NewCallbackHandler(zhenling.CallbackConfig{}, func(_ context.Context, evs []zhenling.CallbackEvent) error {
		if hits.Add(1) == 1 {
			return io.ErrUnexpectedEOF // the first delivery fails: the fake must retry
		}
		events <- evs
		return nil
	})
	recv := httptest.NewServer(h)
	defer recv.Close()
	s.SetCallback(recv.URL)
	c := newClient(t, s)
	ctx := context.Background()

	_, err := c.Files.Upload(ctx, &zhenling.FileUploadRequest{SourceDocumentNumber: "S1", FileName: "a.pdf", Body: strings.NewReader("x")})
	require.NoError(t, err)
	rc, err := c.Contracts.Create(ctx, &zhenling.ContractCreateRequest{Data: []zhenling.ContractCreate{{SourceCode: "S1"}, {SourceCode: "S2"}}})
	require.NoError(t, err)
	require.Len(t, rc.Rows, 2)
	evs := <-events
	require.Len(t, evs, 2)
	assert.Equal(t, "SUCCESS", evs[0].Code)
	assert.Equal(t, "FAILED", evs[1].Code)
	assert.Equal(t, "FILE_NOT_FOUND", evs[1].SubCode)

	_, err = c.Contracts.Create(ctx, &zhenling.ContractCreateRequest{Data: []zhenling.ContractCreate{{SourceCode: "S1"}}})
	require.NoError(t, err)
	evs = <-events
	assert.Equal(t, "SOURCE_CODE_EXISTS", evs[0].SubCode)
	s.Wait()
	d := s.Deliveries()
	require.Len(t, d, 3)
	assert.Equal(t, 500, d[0].Status)
	assert.Equal(t, 200, d[1].Status)

	res, err := c.Invoke(ctx, &zhenling.InvokeRequest{InvokeCode: zhenling.DataImport, Domain: "ZHENLINGTEST.CONTRACT_CREATE", Body: map[string]any{"data": []any{map[string]any{}}}})
	assert.Nil(t, res)
	assert.True(t, zhenling.IsCode(err, "PARAM_ERROR"), "the fake requires sourceCode too: %v", err)
}

func TestFilesRoundTrip(t *testing.T) {
	s := zhenlingtest.NewServer()
	defer s.Close()
	c := newClient(t, s)
	ctx := context.Background()
	_, err := c.Files.Upload(ctx, &zhenling.FileUploadRequest{SourceDocumentNumber: "S9", FileName: "a.pdf", Body: strings.NewReader("x")})
	require.NoError(t, err)
	up, err := c.Files.UploadAttachment(ctx, &zhenling.FileUploadRequest{FileName: "b.txt", ContentType: "text/plain", Body: strings.NewReader("hello")})
	require.NoError(t, err)
	pv, err := c.Files.PreviewURL(ctx, &zhenling.FileKeyRequest{FileKey: up.FileKey})
	require.NoError(t, err)
	assert.Equal(t, s.URL+"/preview/"+up.FileKey, pv.URL)
	var sb strings.Builder
	dl, err := c.Files.Download(ctx, &zhenling.FileKeyRequest{FileKey: up.FileKey}, &sb)
	require.NoError(t, err)
	assert.Equal(t, "hello", sb.String())
	assert.Equal(t, "text/plain", dl.ContentType)
	_, err = c.Files.Download(ctx, &zhenling.FileKeyRequest{FileKey: "missing"}, &sb)
	assert.True(t, zhenling.IsCode(err, "FILE_NOT_FOUND"), "%v", err)
	res, err := c.Files.ClearSourceFiles(ctx, &zhenling.SourceFilesRequest{SourceDocumentNumber: "S9"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"deleted":1}`, string(res.Data))
}

// TestEnvelopesOnTheWire: 6.7 answers in errcode/errmsg by default (as its
// page shows), and SetEnvelope switches it to code/msg.
func TestEnvelopesOnTheWire(t *testing.T) {
	s := zhenlingtest.NewServer()
	defer s.Close()
	tok := "bearer " + token(t, s)
	invoices := s.URL + "/api/hitf/v2p/rest/invoke/" + zhenling.DataQuery + "?domain=BILLING"
	status, m := do(t, http.MethodPost, invoices, "application/json", tok, `{"page":1,"size":10,"billingStatus":"A"}`)
	require.Equal(t, 200, status)
	result := m["result"].(map[string]any)
	assert.Equal(t, "0", result["errcode"])
	assert.NotContains(t, result, "code")
	assert.Equal(t, float64(1), result["data"].(map[string]any)["number"], "pages are numbered from 1")

	s.SetEnvelope(zhenling.OpInvoiceQuery, zhenlingtest.EnvelopeCode)
	_, m = do(t, http.MethodPost, invoices, "application/json", tok, `{"page":1,"size":10}`)
	result = m["result"].(map[string]any)
	assert.Equal(t, "0", result["code"])
	assert.NotContains(t, result, "errcode")

	_, m = do(t, http.MethodPost, invoices, "application/json", tok, `{"page":0,"size":10}`)
	assert.Equal(t, false, m["success"], "page 0 is below 6.7's base")

	plans := s.URL + "/api/hitf/v2p/rest/invoke/" + zhenling.SingleScript + "?domain=BASE.CONTRACT.PAY_SETT_DETAIL_QUERY"
	_, m = do(t, http.MethodPost, plans, "application/json", tok, `{"contractSerialNumber":"LS1","page":0,"size":10}`)
	assert.Equal(t, "PARAM_ERROR", m["result"].(map[string]any)["code"], "3.34 needs contractNumber")

	pay := s.URL + "/api/hitf/v2p/rest/invoke/" + zhenling.SingleScript + "?domain=HITF.API.FULFILL_PAYMENTPLAN_PAY.CALLBACK"
	_, m = do(t, http.MethodPost, pay, "application/json", tok, `{"paymentStatus":"ALL_PAID","id":"","paidAmount":100,"sourceScheduleId":"NOPE"}`)
	assert.Equal(t, "40004", m["result"].(map[string]any)["errcode"], "the sample's id \"\" falls back to sourceScheduleId")
}

// TestFaultsAndClient: FailNext renders a code in the operation's own
// envelope, a status with a body as is, a reset as a dropped connection;
// Client ignores invalid options rather than failing.
func TestFaultsAndClient(t *testing.T) {
	s := zhenlingtest.NewServer()
	defer s.Close()
	c := s.Client(zhenling.WithRetry(zhenling.RetryPolicy{MaxAttempts: 1}))
	require.NotNil(t, c)
	require.NotNil(t, s.Client(zhenling.WithTimeout(-1)), "an invalid option leaves a working client")
	ctx := context.Background()

	s.FailNext(zhenlingtest.Fault{Match: zhenling.OpPaymentPlanPay, Code: "40009", Message: "锁定"})
	_, err := c.Fulfillment.PayPaymentPlan(ctx, &zhenling.PaymentPlanPayRequest{PaymentStatus: zhenling.PaymentStatusAllPaid, SourceScheduleID: "X"})
	assert.True(t, zhenling.IsCode(err, "40009"), "%v", err)

	s.FailNext(zhenlingtest.Fault{Match: zhenling.OpToken, Code: "invalid_client", Message: "Bad client credentials"})
	require.NoError(t, c.Invalidate(ctx))
	_, err = c.Token(ctx)
	assert.True(t, zhenling.IsCode(err, "invalid_client"), "%v", err)

	s.FailNext(zhenlingtest.Fault{Match: zhenling.OpContractList, Reset: true})
	_, err = c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 1}})
	var ze *zhenling.Error
	require.ErrorAs(t, err, &ze)
	assert.Zero(t, ze.HTTPStatus, "no answer: %v", err)

	_, err = c.Contracts.List(ctx, &zhenling.ContractListRequest{Paging: zhenling.Paging{Size: 1}})
	assert.NoError(t, err, "faults are used up")
}

// TestCallbacksNeverDroppedSilently: without a callback URL the result is
// recorded as a failed Delivery; Redeliver says why it cannot deliver.
func TestCallbacksNeverDroppedSilently(t *testing.T) {
	s := zhenlingtest.NewServer()
	defer s.Close()
	c := s.Client()
	ctx := context.Background()
	out, err := c.CreateContractWithFiles(ctx, &zhenling.ContractFlowRequest{SourceCode: "S1",
		MainFile: &zhenling.FileUploadRequest{FileName: "a.pdf", Body: strings.NewReader("pdf")}})
	require.NoError(t, err)
	s.Wait()
	ds := s.Deliveries()
	require.Len(t, ds, 1)
	assert.ErrorContains(t, ds[0].Err, "no callback URL")
	_, _, err = s.Redeliver(ctx, out.Receipt.BatchID())
	assert.ErrorContains(t, err, "no callback URL")
	_, _, err = s.Redeliver(ctx, "nope")
	assert.ErrorContains(t, err, `no callback for batch "nope"`)

	var hits atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, `{"code":"0"}`)
	}))
	defer hook.Close()
	s.SetCallback(hook.URL)
	status, body, err := s.Redeliver(ctx, out.Receipt.BatchID())
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	assert.Equal(t, `{"code":"0"}`, string(body))
	assert.Equal(t, int32(1), hits.Load())
}
