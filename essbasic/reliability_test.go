package essbasic

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDownloadNeverSavesAnErrorPage: a login/WAF page served with 200 and
// a JSON error envelope sent without Content-Type (or as a PDF) become
// *Error before a byte reaches the writer (the old code saved them as the
// file and returned nil).
func TestDownloadNeverSavesAnErrorPage(t *testing.T) {
	envelope := `{"Response":{"Error":{"Code":"ResourceNotFound.File","Message":"文件不存在"},"RequestId":"r-7"}}`
	for _, tc := range []struct {
		name, contentType, body, code, msg string
	}{
		{"HTML page with 200", "text/html; charset=utf-8", "<!DOCTYPE html><html><body>请登录</body></html>", "", "page instead of the file"},
		{"HTML page as octet-stream", "application/octet-stream", "<html><head><title>WAF</title></head></html>", "", "page instead of the file"},
		{"JSON envelope without Content-Type", "", envelope, "ResourceNotFound.File", "文件不存在"},
		{"JSON envelope as a PDF", "application/pdf", envelope, "ResourceNotFound.File", "文件不存在"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil // no sniffing by net/http
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c := faultClient(t, srv.URL)
			var file bytes.Buffer
			n, err := c.DownloadResource(context.Background(), srv.URL+"/file/x.pdf?hkey=h", &file)
			assert.Zero(t, n)
			assert.Zero(t, file.Len(), "nothing reached the writer")
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "DownloadResource", e.Op)
			assert.Equal(t, tc.code, e.Code)
			assert.Contains(t, err.Error(), tc.msg)
			if tc.code != "" {
				assert.Equal(t, "r-7", e.RequestID)
			}
		})
	}
}

// TestDownloadStallFails: a body that stops mid-way fails after the idle
// timeout even though the ctx has no deadline (the old code hung).
func TestDownloadStallFails(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = io.WriteString(w, "%PDF-1.4 "+strings.Repeat("x", 1024))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := faultClient(t, srv.URL, WithIdleTimeout(100*time.Millisecond))
	var file bytes.Buffer
	_, err := c.DownloadResource(context.Background(), srv.URL+"/file/x.pdf", &file)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "stalled")
}

// TestEmptyAnswersFail: an answer without any of the response's fields is
// a decode error for every action that must return something, and still a
// success for the 13 actions whose answer is only a RequestId. An answer
// without a Response object fails for all.
func TestEmptyAnswersFail(t *testing.T) {
	ctx := context.Background()
	returning := 0
	for _, a := range generatedActions {
		c := newTestClient(t, newCapture(`{"Response":{"RequestId":"r-e"}}`), WithRetry(RetryPolicy{MaxAttempts: 1}))
		_, err := a.call(ctx, c)
		if !a.returns {
			assert.NoError(t, err, a.name)
			continue
		}
		returning++
		var e *Error
		if assert.ErrorAs(t, err, &e, a.name) {
			assert.Contains(t, err.Error(), "empty answer")
			assert.Equal(t, "r-e", e.RequestID)
		}
	}
	assert.Equal(t, 87, returning)
	for _, body := range []string{``, `{}`, `null`, `{"Response":null}`, `{"Response":{}}`} {
		c := newTestClient(t, newCapture(body), WithRetry(RetryPolicy{MaxAttempts: 1}))
		_, err := c.DescribeFlowDetailInfo(ctx, &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
		assert.Error(t, err, "%q", body)
	}
	// Zero values that were really sent are an answer.
	c := newTestClient(t, newCapture(`{"Response":{"FlowInfo":null,"RequestId":"r"}}`))
	_, err := c.DescribeFlowDetailInfo(ctx, &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	assert.NoError(t, err)
	// An error key spelled with escapes is still an error.
	c = newTestClient(t, newCapture(`{"Response":{"\u0045rror":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}`), WithRetry(RetryPolicy{MaxAttempts: 1}))
	_, err = c.DescribeFlowDetailInfo(ctx, &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	assert.True(t, IsCode(err, CodeInternalError), "%v", err)
}

// TestMaxResponseBytes: an answer over the cap fails instead of filling
// memory.
func TestMaxResponseBytes(t *testing.T) {
	big, err := json.Marshal(map[string]any{"Response": map[string]any{"FlowInfo": []any{map[string]string{"FlowName": strings.Repeat("长", 4096)}}, "RequestId": "r"}})
	require.NoError(t, err)
	c := newTestClient(t, newCapture(string(big)), WithMaxResponseBytes(1024), WithRetry(RetryPolicy{MaxAttempts: 1}))
	_, err = c.DescribeFlowDetailInfo(context.Background(), &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Contains(t, err.Error(), "larger than 1024 bytes")
	c = newTestClient(t, newCapture(string(big)))
	_, err = c.DescribeFlowDetailInfo(context.Background(), &DescribeFlowDetailInfoRequest{FlowIds: []string{"f"}})
	assert.NoError(t, err, "the default cap is 32 MiB")
}

// TestAttemptTimeoutIsDeadlineExceeded: an attempt that ran out of
// WithTimeout satisfies errors.Is(err, context.DeadlineExceeded).
func TestAttemptTimeoutIsDeadlineExceeded(t *testing.T) {
	release := make(chan struct{})
	fs := newFaultServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := faultClient(t, fs.URL, WithTimeout(50*time.Millisecond))
	err := write(context.Background(), c)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestIteratorsEnd: a server that ignores the offset (the same page again
// and again, with a growing total) ends the iterator with an error instead
// of looping forever.
func TestIteratorsEnd(t *testing.T) {
	cp := &capture{mt: httpmock.NewMockTransport()}
	calls := 0
	cp.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		calls++
		body, _ := json.Marshal(map[string]any{"Response": map[string]any{
			"Employees": []Staff{{UserId: "u0"}, {UserId: "u1"}}, "TotalCount": 1000000, "RequestId": "r"}})
		return httpmock.NewBytesResponse(200, body), nil
	})
	c := newTestClient(t, cp, WithRateLimit(0, 0))
	var ids []string
	var last error
	for s, err := range c.AllEmployees(context.Background(), &ChannelDescribeEmployeesRequest{Limit: 2}) {
		if err != nil {
			last = err
			break
		}
		ids = append(ids, s.UserId)
	}
	require.Error(t, last)
	assert.Contains(t, last.Error(), "repeats the previous page")
	assert.Equal(t, []string{"u0", "u1"}, ids)
	assert.Equal(t, 2, calls)
}
