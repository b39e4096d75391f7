package essbasic

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/sign"
)

// Vector V1 of the fact sheet: DescribeResourceUrlsByFlows as the official
// SDK's CommonRequest sends it (map body, sorted keys).
const (
	v1SecretID  = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
	v1SecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
	v1Host      = "essbasic.tencentcloudapi.com"
	v1Timestamp = 1700000000
	v1Body      = `{"Agent":{"AppId":"yDwhxUUckp3gl8j5UuFX33LSNozpRsbi","ProxyOperator":{"OpenId":"n9527"},"ProxyOrganizationOpenId":"org_dianziqian"},"FlowIds":["yDwivUUckpor6wtoUuogwQHCAB0ES0pQ","yDwi8UUckpo5fz9cUqI6nGwcuTvt9YSh"]}`
	v1Auth      = "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2023-11-14/essbasic/tc3_request, SignedHeaders=content-type;host, Signature=b9dfc600c2ffa2f398c00f151d1d4848d48988ead9dec6dc5037c7d587d43c32"
)

func TestTC3VectorV1Intermediates(t *testing.T) {
	require.Len(t, v1Body, 214)
	cr := tc3CanonicalRequest(v1Host, jsonContentType, sign.SHA256Hex([]byte(v1Body)))
	assert.Equal(t, "POST\n/\n\ncontent-type:application/json\nhost:essbasic.tencentcloudapi.com\n\ncontent-type;host\n"+
		"db407572202a20e6f8be1a48ae917eac7e565a6445f7d469aa78e1d4b051fe76", cr)
	sts := tc3StringToSign(v1Host, jsonContentType, v1Timestamp, "2023-11-14/essbasic/tc3_request", sign.SHA256Hex([]byte(v1Body)))
	assert.Equal(t, "TC3-HMAC-SHA256\n1700000000\n2023-11-14/essbasic/tc3_request\n"+
		"b8b26ebc3ed9f6890d08833ccf75a490c110a19eadb53eb16c290175e82a033b", sts)
	assert.Equal(t, v1Auth, TC3Authorization(v1SecretID, v1SecretKey, Service, v1Host, jsonContentType, v1Timestamp, []byte(v1Body)))
}

func TestTC3DateIsUTC(t *testing.T) {
	// 2023-11-15 02:00 in China is still 2023-11-14 in UTC.
	ts := time.Date(2023, 11, 15, 2, 0, 0, 0, time.FixedZone("CST", 8*3600)).Unix()
	assert.Contains(t, TC3Authorization("id", "key", Service, v1Host, jsonContentType, ts, nil), "/2023-11-14/essbasic/tc3_request")
	// The service stays essbasic on the file host.
	assert.Contains(t, TC3Authorization("id", "key", Service, ProductionFileHost, jsonContentType, ts, nil), "/essbasic/tc3_request")
}

// TestTC3VectorV1OnTheWire sends the vector's request through the client
// and checks every byte that matters on the wire.
func TestTC3VectorV1OnTheWire(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var got *http.Request
	var gotBody []byte
	mt.RegisterResponder(http.MethodPost, "https://essbasic.tencentcloudapi.com/", func(r *http.Request) (*http.Response, error) {
		got = r
		gotBody, _ = io.ReadAll(r.Body)
		return httpmock.NewStringResponse(200, `{"Response":{"FlowResourceUrlInfos":[],"ErrorMessages":[],"RequestId":"r-1"}}`), nil
	})
	c, err := NewClient(Config{SecretID: v1SecretID, SecretKey: v1SecretKey}, WithTransport(mt),
		WithClock(func() time.Time { return time.Unix(v1Timestamp, 0) }))
	require.NoError(t, err)
	params := map[string]any{
		"Agent": map[string]any{"AppId": "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi", "ProxyOrganizationOpenId": "org_dianziqian",
			"ProxyOperator": map[string]any{"OpenId": "n9527"}},
		"FlowIds": []string{"yDwivUUckpor6wtoUuogwQHCAB0ES0pQ", "yDwi8UUckpo5fz9cUqI6nGwcuTvt9YSh"},
	}
	res, err := c.Raw(context.Background(), &RawRequest{Action: "DescribeResourceUrlsByFlows", Params: params, Idempotent: true})
	require.NoError(t, err)
	assert.Equal(t, "r-1", res.RequestID)
	require.NotNil(t, got)
	assert.Equal(t, v1Body, string(gotBody))
	assert.Equal(t, v1Host, got.URL.Host)
	assert.Equal(t, "/", got.URL.Path)
	assert.Equal(t, v1Auth, got.Header.Get("Authorization"))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "DescribeResourceUrlsByFlows", got.Header.Get("X-TC-Action"))
	assert.Equal(t, "2021-05-26", got.Header.Get("X-TC-Version"))
	assert.Equal(t, "1700000000", got.Header.Get("X-TC-Timestamp"))
	assert.Equal(t, "zh-CN", got.Header.Get("X-TC-Language"))
	assert.Empty(t, got.Header.Get("X-TC-Region"))
	assert.Empty(t, got.Header.Get("X-TC-Token"))
}

// TestSigningKeyCacheFollowsTheDate: the cached key is re-derived when the
// UTC date changes.
func TestSigningKeyCacheFollowsTheDate(t *testing.T) {
	k := &signingKeys{secretKey: v1SecretKey}
	day := int64(86400)
	for _, ts := range []int64{v1Timestamp, v1Timestamp + 60, v1Timestamp + day, v1Timestamp, -1, 0} {
		date, key := k.forTime(ts)
		assert.Equal(t, tc3Date(ts), date, ts)
		assert.Equal(t, tc3SigningKey(v1SecretKey, Service, date), key, ts)
	}
	assert.NotEqual(t, tc3SigningKey(v1SecretKey, Service, "2023-11-14"), tc3SigningKey(v1SecretKey, Service, "2023-11-15"))
}
