package essbasic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hetong-go/hetong/internal/transport"
)

const benchReply = `{"Response":{"ApplicationId":"app-1","FlowInfo":[{"FlowId":"yDwivUUckpor6wtoUuogwQHCAB0ES0pQ","FlowName":"采购合同","FlowStatus":"ALL","CreateOn":1700000000,"FlowApproverInfos":[{"ApproveName":"张三","ApproveStatus":"ACCEPT","SignId":"s-1"}]}],"RequestId":"d49c0838-94b6-45f8-995e-42f61dfa0c05"}}`

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchReply)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkCallDescribeFlowDetailInfo is one typed call end to end:
// validate, fill the Agent, marshal, sign, send, check, decode.
func BenchmarkCallDescribeFlowDetailInfo(b *testing.B) {
	srv := benchServer(b)
	c, err := NewClient(Config{SecretID: "AKIDtest", SecretKey: "secret-key", Agent: testAgent},
		WithBaseURL(srv.URL), WithRateLimit(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	req := &DescribeFlowDetailInfoRequest{FlowIds: []string{"yDwivUUckpor6wtoUuogwQHCAB0ES0pQ"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := c.DescribeFlowDetailInfo(ctx, req)
		if err != nil || len(res.FlowInfo) != 1 {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallPlainNetHTTP is the same signed call with net/http and
// encoding/json only, as a baseline.
func BenchmarkCallPlainNetHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{}
	req := &DescribeFlowDetailInfoRequest{Agent: testAgent, FlowIds: []string{"yDwivUUckpor6wtoUuogwQHCAB0ES0pQ"}}
	host := srv.Listener.Addr().String()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := json.Marshal(req)
		ts := time.Now().Unix()
		hr, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/", bytes.NewReader(body))
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("X-TC-Action", "DescribeFlowDetailInfo")
		hr.Header.Set("X-TC-Version", APIVersion)
		hr.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
		hr.Header.Set("Authorization", TC3Authorization("AKIDtest", "secret-key", Service, host, "application/json", ts, body))
		resp, err := hc.Do(hr)
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var out struct {
			Response DescribeFlowDetailInfoResponse
		}
		if err := json.Unmarshal(raw, &out); err != nil || len(out.Response.FlowInfo) != 1 {
			b.Fatal(err)
		}
	}
}

// BenchmarkTC3Sign signs vector V1's body.
func BenchmarkTC3Sign(b *testing.B) {
	body := []byte(v1Body)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = TC3Authorization(v1SecretID, v1SecretKey, Service, v1Host, jsonContentType, v1Timestamp, body)
	}
}

// BenchmarkParseCallback verifies, decrypts and decodes one callback.
func BenchmarkParseCallback(b *testing.B) {
	body := encrypted(b, flowMsg)
	sig := CallbackSignature(testToken, body)
	cfg := CallbackConfig{Key: testKey, Token: testToken}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Signature", sig)
		if _, err := ParseCallback(r, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientSign is the per-attempt signing a client does (headers and
// TC3 with the day's key cached).
func BenchmarkClientSign(b *testing.B) {
	c, err := NewClient(Config{SecretID: v1SecretID, SecretKey: v1SecretKey})
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://" + v1Host + "/")
	body := []byte(v1Body)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := c.sign(&transport.Outgoing{Method: http.MethodPost, URL: u, Header: http.Header{}, Body: body}); err != nil {
			b.Fatal(err)
		}
	}
}

// largeAnswer is a DescribeFlowDetailInfo answer of about size bytes.
func largeAnswer(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"Response":{"FlowInfo":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"FlowId":"yDwivUUckpor6wtoUuogwQH%011d","FlowName":"采购合同 %d","FlowStatus":"ALL","CreateOn":1700000000,"FlowApproverInfos":[{"ApproveName":"张三","ApproveStatus":"ACCEPT","SignId":"s-%d"}]}`, i, i, i)
	}
	b.WriteString(`],"RequestId":"r"}}`)
	return b.Bytes()
}

// peakHeap runs f while sampling the live heap and returns the largest
// growth seen over the heap in use before f.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	done := make(chan struct{})
	sampled := make(chan uint64)
	go func() {
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				sampled <- peak
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	return <-sampled - base
}

// BenchmarkLargeAnswer decodes a 30 MiB answer and reports the peak heap
// growth in multiples of the answer's size (goal: at most 2).
func BenchmarkLargeAnswer(b *testing.B) {
	body := largeAnswer(30 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, err := NewClient(Config{SecretID: "AKIDtest", SecretKey: "secret-key", Agent: testAgent},
		WithBaseURL(srv.URL), WithRateLimit(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	req := &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}}
	var worst uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var res *DescribeFlowDetailInfoResponse
		peak := peakHeap(func() { res, err = c.DescribeFlowDetailInfo(context.Background(), req) })
		if err != nil || len(res.FlowInfo) == 0 {
			b.Fatal(err)
		}
		worst = max(worst, peak)
	}
	b.ReportMetric(float64(worst)/float64(len(body)), "peak-heap/answer")
}

// BenchmarkLargeAnswerPlain is BenchmarkLargeAnswer with net/http and
// encoding/json only (io.ReadAll, then json.Unmarshal), as a baseline.
func BenchmarkLargeAnswerPlain(b *testing.B) {
	body := largeAnswer(30 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	var worst uint64
	for i := 0; i < b.N; i++ {
		var out struct {
			Response DescribeFlowDetailInfoResponse
		}
		peak := peakHeap(func() {
			resp, err := http.Post(srv.URL, "application/json", strings.NewReader("{}"))
			if err != nil {
				b.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err := json.Unmarshal(raw, &out); err != nil {
				b.Fatal(err)
			}
		})
		worst = max(worst, peak)
	}
	b.ReportMetric(float64(worst)/float64(len(body)), "peak-heap/answer")
}
