package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

type benchReq struct {
	ContractID string `json:"contractId"`
	Pass       bool   `json:"pass"`
	Comment    string `json:"comment"`
}

type benchResp struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Result  struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"result"`
}

const benchBody = `{"code":0,"message":"SUCCESS","result":{"id":"2589012016299597907","status":"SIGNING"}}`

func benchServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(benchBody))
	}))
}

// BenchmarkTransportCall is one signed JSON call through the core.
func BenchmarkTransportCall(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	var s Settings
	_ = s.SetBaseURL(srv.URL)
	s.Defaults("", RateLimit{})
	c, _ := New(s, "secret")
	ctx := context.Background()
	in := &benchReq{ContractID: "2589012016299597907", Pass: true, Comment: "ok"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := json.Marshal(in)
		resp, err := c.Do(ctx, &Request{Op: "audit", Path: "/v2/contract/employeeaudit", ContentType: "application/json", Body: body,
			Sign: func(o *Outgoing) error { o.Header.Set("X-Sig", "x"); return nil }})
		if err != nil {
			b.Fatal(err)
		}
		var out benchResp
		if err := json.Unmarshal(resp.Body, &out); err != nil || out.Code != 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainNetHTTP is the same call with net/http and encoding/json:
// the floor the transport is measured against.
func BenchmarkPlainNetHTTP(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	hc := &http.Client{}
	ctx := context.Background()
	in := &benchReq{ContractID: "2589012016299597907", Pass: true, Comment: "ok"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := json.Marshal(in)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v2/contract/employeeaudit", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Sig", "x")
		res, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var out benchResp
		if err := json.Unmarshal(raw, &out); err != nil || out.Code != 0 {
			b.Fatal(err)
		}
	}
}
