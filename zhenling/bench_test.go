package zhenling

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hetong-go/hetong/internal/transport"
)

const benchPage = `{"message":"execute success","success":true,"result":{"code":"0","msg":"查询成功","data":{"content":[` +
	`{"id":"4073799","uuid":"c0ffee","contractNumber":"HT20250001","contractName":"设备采购合同","statusCode":"N","amount":"1000.12"},` +
	`{"id":"4073800","uuid":"c0ffef","contractNumber":"HT20250002","contractName":"租赁合同","statusCode":"N","amount":"88.00"}],"totalElements":2,"last":true}}}`

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == DefaultTokenPath {
			_, _ = io.WriteString(w, `{"access_token":"bench-token","expires_in":43199}`)
			return
		}
		_, _ = io.WriteString(w, benchPage)
	}))
	b.Cleanup(srv.Close)
	return srv
}

var benchReq = &ContractListRequest{Paging: Paging{Page: 0, Size: 20}, StatusCode: "N", UserContext: UserContext{UserIDType: UserIDLoginName, UserID: "zhangsan"}}

// BenchmarkContractList is one 3.24 call through the SDK: encode, token
// from cache, HITF POST, envelope and page decode.
func BenchmarkContractList(b *testing.B) {
	srv := benchServer(b)
	c, err := NewClient(Config{BaseURL: srv.URL, ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		p, err := c.Contracts.List(ctx, benchReq)
		if err != nil || len(p.Content) != 2 {
			b.Fatal(err)
		}
	}
}

// BenchmarkContractListPlainHTTP is the same call with net/http and
// encoding/json, a fixed token and no retries, redaction or typed errors.
func BenchmarkContractListPlainHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{}
	u := srv.URL + hitfPath + SingleScript + "?domain=BASE.CONTRACT.PAGE_QUERY"
	type row struct {
		ID, UUID, ContractNumber, ContractName, StatusCode, Amount string
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		body, _ := json.Marshal(benchReq)
		req, _ := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
		req.Header.Set("Authorization", "bearer bench-token")
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out struct {
			Success bool
			Result  struct {
				Code string
				Data struct{ Content []row }
			}
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || len(out.Result.Data.Content) != 2 {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeAndDecode is the per-call work without I/O (Zhenling
// has no request signing): body encoding with Extra merged, and the
// envelope plus page decode.
func BenchmarkEncodeAndDecode(b *testing.B) {
	req := *benchReq
	req.Extra = map[string]any{"tenantFlag": "Y"}
	r := &transport.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(benchPage)}
	b.ReportAllocs()
	for range b.N {
		if _, err := req.body("ContractListRequest"); err != nil {
			b.Fatal(err)
		}
		var w wirePage[Contract]
		if _, err := decodeTyped(r, &w, true, decodeWirePage[Contract]); err != nil || len(w.Content) != 2 {
			b.Fatal(err)
		}
	}
}
