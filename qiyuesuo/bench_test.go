package qiyuesuo_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hetong-go/hetong/qiyuesuo"
)

const auditOK = `{"responseCode":"00000000","message":"SUCCESS"}`

func auditServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write([]byte(auditOK))
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkEmployeeAudit is one typical call through the SDK (signing,
// marshalling, envelope check; rate limiting off).
func BenchmarkEmployeeAudit(b *testing.B) {
	srv := auditServer(b)
	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: "bench-token", AppSecret: "bench-secret"},
		qiyuesuo.WithBaseURL(srv.URL), qiyuesuo.WithRateLimit(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	req := &qiyuesuo.ContractEmployeeAuditRequest{ContractID: "2591540368898105360", Pass: true, Comment: "同意"}
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		if _, err := c.ContractEmployeeAudit(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmployeeAuditPlainHTTP is the same call written by hand with
// net/http and encoding/json, as the baseline.
func BenchmarkEmployeeAuditPlainHTTP(b *testing.B) {
	srv := auditServer(b)
	hc := &http.Client{Timeout: 30 * time.Second}
	type audit struct {
		ContractID string `json:"contractId"`
		Pass       bool   `json:"pass"`
		Comment    string `json:"comment"`
	}
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		body, _ := json.Marshal(audit{"2591540368898105360", true, "同意"})
		r, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v2/contract/employeeaudit", bytes.NewReader(body))
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		nonce := "123e4567-e89b-12d3-a456-426614174000"
		sum := md5.Sum([]byte("bench-token" + "bench-secret" + ts + nonce))
		r.Header.Set("Content-Type", "application/json;charset=UTF-8")
		r.Header.Set("x-qys-open-accesstoken", "bench-token")
		r.Header.Set("x-qys-open-timestamp", ts)
		r.Header.Set("x-qys-open-nonce", nonce)
		r.Header.Set("x-qys-open-signature", hex.EncodeToString(sum[:]))
		resp, err := hc.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		var env struct {
			ResponseCode string `json:"responseCode"`
			Message      string `json:"message"`
		}
		err = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if err != nil || env.ResponseCode != qiyuesuo.CodeOK {
			b.Fatal(err, env)
		}
	}
}

// BenchmarkSignature is the request signature alone.
func BenchmarkSignature(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		_ = qiyuesuo.Signature("TESTTOKEN01", "TESTSECRET0123456789", "1700000000000", "123e4567-e89b-12d3-a456-426614174000")
	}
}

// BenchmarkParseCallback verifies and decrypts the fact sheet's callback vector.
func BenchmarkParseCallback(b *testing.B) {
	body := url.Values{"signature": {cbSig}, "timestamp": {cbTS}, "content": {cbContent}}.Encode()
	cfg := qiyuesuo.CallbackConfig{SecretKey: cbSecret, Encrypted: true}
	b.ReportAllocs()
	for range b.N {
		r := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if _, err := qiyuesuo.ParseCallback(r, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDownload200MB streams a 200 MB archive from the fake and
// reports the peak live-heap growth during the download.
func BenchmarkDownload200MB(b *testing.B) {
	growth := int64(-1 << 62)
	var n int64
	for range b.N {
		var g int64
		n, g = heapGrowthOfDownload(b, 200<<20)
		growth = max(growth, g)
	}
	b.SetBytes(n)
	b.ReportMetric(float64(growth), "peak-heap-growth-B")
}
