package zhenling

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// bigPage is a 3.24 answer of about size bytes.
func bigPage(size int) string {
	var b strings.Builder
	b.WriteString(`{"message":"execute success","success":true,"result":{"code":"0","msg":"ok","data":{"content":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%d","uuid":"c0ffee-%d","contractNumber":"HT%d","contractName":"设备采购合同 %d","statusCode":"N","amount":"1000.12","remark":"%s"}`,
			i, i, i, i, strings.Repeat("x", 200))
	}
	b.WriteString(`],"last":true}}}`)
	return b.String()
}

// TestLargeAnswerMemory bounds what a 30 MiB page allocates in all (the
// body once and the typed rows) and logs the peak heap it saw.
func TestLargeAnswerMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates ~100 MB")
	}
	page := bigPage(30 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == DefaultTokenPath {
			_, _ = io.WriteString(w, `{"access_token":"t","expires_in":3600}`)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		_, _ = io.WriteString(w, page)
	}))
	defer srv.Close()
	c, err := NewClient(Config{BaseURL: srv.URL, ClientID: "id", ClientSecret: "s"}, WithMaxResponseBytes(64<<20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	peak := make(chan uint64)
	stop := make(chan struct{})
	go func() { peak <- samplePeakHeap(stop) }()
	p, err := c.Contracts.List(context.Background(), &ContractListRequest{Paging: Paging{Size: 100000}})
	close(stop)
	top := <-peak
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	mib := func(n uint64) float64 { return float64(n) / (1 << 20) }
	t.Logf("%d rows from a %.1f MiB answer: %.1f MiB allocated in all, peak heap %.1f MiB above the start (%.2f× the answer; the typed rows themselves are %.1f MiB)",
		len(p.Content), mib(uint64(len(page))), mib(after.TotalAlloc-before.TotalAlloc), mib(top-before.HeapInuse),
		float64(top-before.HeapInuse)/float64(len(page)), mib(uint64(len(p.Content))*uint64(unsafe.Sizeof(Contract{}))))
	// Deterministic bound: the body once plus the rows, no copy per layer
	// and no step-by-step growth of the rows (it was 12× before).
	if total := after.TotalAlloc - before.TotalAlloc; total > uint64(len(page))*5/2 {
		t.Errorf("decoding a %.1f MiB answer allocated %.1f MiB", mib(uint64(len(page))), mib(total))
	}
}

// samplePeakHeap polls the heap until stop closes and returns the most
// it saw in use.
func samplePeakHeap(stop <-chan struct{}) uint64 {
	var top uint64
	var m runtime.MemStats
	for {
		runtime.ReadMemStats(&m)
		top = max(top, m.HeapInuse)
		select {
		case <-stop:
			return top
		case <-time.After(time.Millisecond):
		}
	}
}
