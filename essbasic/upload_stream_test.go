package essbasic

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// patternReader yields n bytes of a repeating pattern without holding them.
type patternReader struct{ left int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	p.left -= int64(len(b))
	return len(b), nil
}

// hashingFileHost verifies TC3 over the streamed body without buffering it
// and answers 429 to the first failFirst attempts.
type hashingFileHost struct {
	mu        sync.Mutex
	failFirst int
	attempts  []string // the body hash of each attempt
	lengths   []int64
	badAuth   int
}

func (h *hashingFileHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sum := sha256.New()
	n, _ := io.Copy(sum, r.Body)
	hash := hex.EncodeToString(sum.Sum(nil))
	ts, _ := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	date := tc3Date(ts)
	want := tc3Authorization("AKIDtest", Service, date, tc3SigningKey("secret-key", Service, date), r.Host, jsonContentType, ts, hash)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attempts, h.lengths = append(h.attempts, hash), append(h.lengths, r.ContentLength)
	if r.Header.Get("Authorization") != want || r.ContentLength != n {
		h.badAuth++
		w.Write([]byte(`{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad"},"RequestId":"x"}}`))
		return
	}
	if len(h.attempts) <= h.failFirst {
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	w.Write([]byte(`{"Response":{"FileIds":["f1"],"TotalCount":1,"RequestId":"r"}}`))
}

// A 40 MiB document is spooled to a temporary file while it is hashed, then
// streamed: the client allocates a small fraction of the file, the TC3
// signature matches the streamed bytes, a retry re-sends the same body, and
// the temporary file is gone afterwards.
func TestUploadFromReaderStreamsLargeFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	host := &hashingFileHost{failFirst: 1}
	srv := httptest.NewServer(host)
	defer srv.Close()
	c, err := NewClient(Config{SecretID: "AKIDtest", SecretKey: "secret-key", Agent: testAgent},
		WithBaseURL(srv.URL), WithFileBaseURL(srv.URL), WithRateLimit(0, 0),
		WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	require.NoError(t, err)

	const size = 40 << 20
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := c.UploadFromReader(context.Background(), &UploadFromReaderRequest{BusinessType: "DOCUMENT",
		Files: []UploadSource{{Name: "big.pdf", Reader: &patternReader{left: size}}}})
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	assert.Equal(t, []string{"f1"}, res.FileIds)

	require.Len(t, host.attempts, 2, "429 once, then success")
	assert.Zero(t, host.badAuth, "TC3 signature over the streamed bytes")
	assert.Equal(t, host.attempts[0], host.attempts[1], "the retry re-sends the whole body")
	assert.Greater(t, host.lengths[0], int64(size*4/3), "Content-Length covers the base64 body")
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(8<<20), "allocated %d bytes for a %d-byte file (client and test server)", allocated, size)

	left, _ := os.ReadDir(tmp)
	assert.Empty(t, left, "the spooled body is removed")
}

func TestUploadFromReaderRemovesSpoolOnError(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cp := newCapture(`{"Response":{"FileIds":["f1"],"RequestId":"r"}}`)
	c := newTestClient(t, cp)
	_, err := c.UploadFromReader(context.Background(), &UploadFromReaderRequest{BusinessType: "DOCUMENT",
		Files: []UploadSource{{Name: "big.pdf", Reader: &patternReader{left: MaxDocumentUploadSize}}}})
	assert.ErrorContains(t, err, "UploadFromReaderRequest.Files[0]")
	assert.Empty(t, cp.reqs, "an oversize file is refused before sending")
	left, _ := os.ReadDir(tmp)
	assert.Empty(t, left)
}
