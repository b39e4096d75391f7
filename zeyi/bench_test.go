package zeyi

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"businessException":false,"errorCode":null,"message":null,"result":{"code":"SP1","auditId":1800000000000000001}}`))
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchRequest() *SendAuditRequest {
	return &SendAuditRequest{Code: "JR202510110000001", AuditType: "JINRUN_VEHICLE_FEE_AUDIT", OriginatorUsername: "E001",
		AuditFormList: []FormItem{TextItem("金额", "100.00"), FileItem("附件", "https://files.example/a.pdf")}}
}

// BenchmarkSendAudit is one typical call through the SDK end to end.
func BenchmarkSendAudit(b *testing.B) {
	srv := benchServer(b)
	c, err := NewClient(Config{AppKey: vecAppKey, AppSecret: vecAppSecret}, WithBaseURL(srv.URL), WithRateLimit(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	req := benchRequest()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.SendAudit(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendAuditPlain is the same call by hand with net/http and
// encoding/json, as a baseline.
func BenchmarkSendAuditPlain(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{}
	req := benchRequest()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := json.Marshal(req)
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		var rnd [NonceLen]byte
		_, _ = rand.Read(rnd[:])
		for i := range rnd {
			rnd[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rnd[i]%36]
		}
		nonce := string(rnd[:])
		sum := md5.Sum([]byte(vecAppKey + vecAppSecret + ts + nonce + string(body)))
		hr, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/audit/send", bytes.NewReader(body))
		hr.Header["appKey"] = []string{vecAppKey}
		hr.Header["timestamp"] = []string{ts}
		hr.Header["nonce"] = []string{nonce}
		hr.Header["sign"] = []string{hex.EncodeToString(sum[:])}
		hr.Header.Set("Content-Type", ContentType)
		resp, err := hc.Do(hr)
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var env struct {
			Success bool `json:"success"`
			Result  struct {
				Code    string      `json:"code"`
				AuditID json.Number `json:"auditId"`
			} `json:"result"`
		}
		if err := json.Unmarshal(raw, &env); err != nil || !env.Success {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	data := []byte(vecData)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = Sign(vecAppKey, vecAppSecret, vecTimestamp, vecNonce, data)
	}
}

func BenchmarkEncryptFixedIV(b *testing.B) {
	c, _ := NewCipher(Encryption{}, vecAppSecret)
	data := []byte(vecData)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Encrypt(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecryptRandomIVPrefix(b *testing.B) {
	c, _ := NewCipher(Encryption{Mode: RandomIVPrefix, AESSecret: "MDEyMzQ1Njc4OWFiY2RlZg=="}, "")
	ct, _ := c.Encrypt([]byte(vecData))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Decrypt(ct); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCallback(b *testing.B) {
	cfg := cbConfig()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseCallback(signedCallback(cbBody, nil), cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawLargeAnswer reads a 30 MiB answer (with its Content-Length)
// through Raw: B/op is the bytes allocated per call, an upper bound of the
// peak heap it needs.
func BenchmarkRawLargeAnswer(b *testing.B) {
	big := `{"success":true,"businessException":false,"errorCode":null,"message":null,"result":{"blob":"` +
		strings.Repeat("x", 30<<20) + `"}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(big)))
		_, _ = io.WriteString(w, big)
	}))
	b.Cleanup(srv.Close)
	c, err := NewClient(Config{AppKey: vecAppKey, AppSecret: vecAppSecret}, WithBaseURL(srv.URL), WithRateLimit(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(big)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Raw(context.Background(), &RawRequest{Path: "audit/query", Idempotent: true}); err != nil {
			b.Fatal(err)
		}
	}
}
