package qiyuesuo

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
)

// The fact sheet's signing vectors (§2).
const (
	vecToken  = "TESTTOKEN01"
	vecSecret = "TESTSECRET0123456789"
	vecTS     = "1700000000000"
	vecNonce  = "123e4567-e89b-12d3-a456-426614174000"
	// reqNonce is the nonce WithRandom(fixedRandom) gives: the vector's
	// bytes with the UUID version 4 bits set.
	reqNonce = "123e4567-e89b-42d3-a456-426614174000"
	reqSig   = "47d790d27e6a60b745ffa5e2788ca8a8"
)

// fixedRandom yields the vector nonce's 16 bytes on every read.
type fixedRandom struct{}

func (fixedRandom) Read(p []byte) (int, error) {
	src := []byte{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}
	for i := range p {
		p[i] = src[i%len(src)]
	}
	return len(p), nil
}

func TestNonceFromRandom(t *testing.T) {
	n, err := Nonce(fixedRandom{})
	require.NoError(t, err)
	assert.Equal(t, reqNonce, n)
	assert.Equal(t, reqSig, Signature(vecToken, vecSecret, vecTS, n))
	_, err = Nonce(strings.NewReader("short"))
	assert.Error(t, err, "a source that runs dry is an error, never a weak nonce")
	a, _ := Nonce(nil)
	b, _ := Nonce(nil)
	assert.NotEqual(t, a, b)
}

func TestSignatureVectors(t *testing.T) {
	assert.Equal(t, "427f450785dbc462efcfc7c1b6db8416", Signature(vecToken, vecSecret, vecTS, vecNonce))
	assert.Equal(t, "3c3c0ef31888655bb7d5d6e0d54ac947", Signature(vecToken, vecSecret, vecTS, ""))
}

// mockClient returns a client on an httpmock transport with the vector's
// clock and nonce.
func mockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	base := []Option{WithTransport(mt), WithClock(func() time.Time { return time.UnixMilli(1700000000000) }), WithRandom(fixedRandom{}),
		WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})}
	c, err := NewClient(Config{AppToken: vecToken, AppSecret: vecSecret}, append(base, opts...)...)
	require.NoError(t, err)
	return c, mt
}

func TestExactRequestBytes(t *testing.T) {
	c, mt := mockClient(t)
	var got *http.Request
	var body []byte
	mt.RegisterResponder(http.MethodPost, Production.BaseURL()+"/v2/contract/employeeaudit", func(r *http.Request) (*http.Response, error) {
		got = r
		body, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(200, `{"responseCode":"00000000","message":"SUCCESS"}`), nil
	})
	res, err := c.ContractEmployeeAudit(context.Background(), &ContractEmployeeAuditRequest{ContractID: "2591540368898105360", Pass: false, Comment: "同意"})
	require.NoError(t, err)
	assert.Equal(t, "SUCCESS", res.Message)
	assert.Equal(t, `{"contractId":"2591540368898105360","pass":false,"comment":"同意"}`, string(body))
	h := got.Header
	assert.Equal(t, "application/json;charset=UTF-8", h.Get("Content-Type"))
	assert.Equal(t, vecToken, h.Get("x-qys-open-accesstoken"))
	assert.Equal(t, vecTS, h.Get("x-qys-open-timestamp"))
	assert.Equal(t, reqNonce, h.Get("x-qys-open-nonce"))
	assert.Equal(t, reqSig, h.Get("x-qys-open-signature"))
}

func TestLegacyAndPrivateCloudHeaders(t *testing.T) {
	c, mt := mockClient(t, WithLegacySignature(), WithHeaderPrefix(HeaderPrefixPrivateCloud), WithBaseURL("https://qys.example.com:9182"))
	var h http.Header
	mt.RegisterResponder(http.MethodGet, "https://qys.example.com:9182/v2/contract/detail", func(r *http.Request) (*http.Response, error) {
		h = r.Header
		return httpmock.NewStringResponse(200, `{"code":0,"result":{"id":"3000000000000000001","status":"DRAFT"}}`), nil
	})
	res, err := c.ContractDetail(context.Background(), &ContractDetailRequest{BizID: "b-1"})
	require.NoError(t, err)
	assert.Equal(t, ID("3000000000000000001"), res.Result.ID)
	assert.Equal(t, "3c3c0ef31888655bb7d5d6e0d54ac947", h.Get("x-qys-signature"))
	assert.Equal(t, vecToken, h.Get("x-qys-accesstoken"))
	assert.Equal(t, vecTS, h.Get("x-qys-timestamp"))
	assert.Empty(t, h.Get("x-qys-nonce"))
	assert.Empty(t, h.Get("x-qys-open-signature"))
}

func TestFreshNonceAndTimestampPerAttempt(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var mu sync.Mutex
	clock := time.UnixMilli(1700000000000)
	c, err := NewClient(Config{AppToken: vecToken, AppSecret: vecSecret}, WithTransport(mt),
		WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); clock = clock.Add(time.Millisecond); return clock }),
		WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}))
	require.NoError(t, err)
	var nonces, stamps []string
	mt.RegisterResponder(http.MethodGet, Production.BaseURL()+"/v2/contract/detail", func(r *http.Request) (*http.Response, error) {
		nonces = append(nonces, r.Header.Get("x-qys-open-nonce"))
		stamps = append(stamps, r.Header.Get("x-qys-open-timestamp"))
		assert.Equal(t, Signature(vecToken, vecSecret, stamps[len(stamps)-1], nonces[len(nonces)-1]), r.Header.Get("x-qys-open-signature"))
		if len(nonces) < 3 {
			return httpmock.NewStringResponse(503, `{"code":1001,"message":"busy"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"code":0,"result":{"id":"1"}}`), nil
	})
	_, err = c.ContractDetail(context.Background(), &ContractDetailRequest{ContractID: "1"})
	require.NoError(t, err)
	require.Len(t, nonces, 3)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, n := range nonces {
		assert.Regexp(t, uuid, n)
	}
	assert.NotEqual(t, nonces[0], nonces[1])
	assert.NotEqual(t, nonces[1], nonces[2])
	assert.NotEqual(t, stamps[0], stamps[2])
}

func TestQueryEncoding(t *testing.T) {
	c, mt := mockClient(t)
	var q string
	mt.RegisterResponder(http.MethodGet, Production.BaseURL()+"/v2/contract/list", func(r *http.Request) (*http.Response, error) {
		q = r.URL.RawQuery
		return httpmock.NewStringResponse(200, `{"code":0,"result":{"totalCount":0,"list":[]}}`), nil
	})
	start := DateTime{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	_, err := c.ContractList(context.Background(), &ContractListRequest{Status: StatusSigning, SelectLimit: hetong.Ptr(50), SelectOffset: hetong.Ptr(0), PublishTimeStart: &start})
	require.NoError(t, err)
	assert.Equal(t, "publishTimeStart=2026-01-02+11%3A04%3A05&selectLimit=50&selectOffset=0&status=SIGNING", q)
}

// TestQueryEncodingLists: an array:string query parameter travels as one
// comma-joined value, bools as true/false, unset pointers not at all.
func TestQueryEncodingLists(t *testing.T) {
	c, mt := mockClient(t)
	var q string
	mt.RegisterResponder(http.MethodGet, Production.BaseURL()+"/v2/contract/downloadurl", func(r *http.Request) (*http.Response, error) {
		q = r.URL.RawQuery
		return httpmock.NewStringResponse(200, `{"code":0,"result":{"downloadUrls":[]}}`), nil
	})
	_, err := c.ContractDownloadURL(context.Background(), &ContractDownloadURLRequest{ContractID: "3000000000000000001",
		DownloadItems: []string{ItemContract, ItemSignLog}, Compress: hetong.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, "compress=false&contractId=3000000000000000001&downloadItems=CONTRACT%2CSIGNLOG", q)
}
