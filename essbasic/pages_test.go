package essbasic

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// staffPages serves 5 employees in pages of the requested Limit and
// records the offsets asked for.
func staffPages(offsets *[]int64) *capture {
	cp := &capture{mt: httpmock.NewMockTransport()}
	cp.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		var req ChannelDescribeEmployeesRequest
		if err := json.Unmarshal(b, &req); err != nil {
			return nil, err
		}
		off := *req.Offset
		*offsets = append(*offsets, off)
		var staff []Staff
		for i := off; i < min(off+req.Limit, 5); i++ {
			staff = append(staff, Staff{UserId: fmt.Sprint("u", i)})
		}
		body, _ := json.Marshal(map[string]any{"Response": map[string]any{"Employees": staff, "TotalCount": 5, "RequestId": "r"}})
		return httpmock.NewBytesResponse(200, body), nil
	})
	return cp
}

func TestAllEmployeesPages(t *testing.T) {
	var offsets []int64
	c := newTestClient(t, staffPages(&offsets), WithRateLimit(0, 0))
	var ids []string
	for s, err := range c.AllEmployees(context.Background(), &ChannelDescribeEmployeesRequest{Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, s.UserId)
	}
	assert.Equal(t, []string{"u0", "u1", "u2", "u3", "u4"}, ids)
	assert.Equal(t, []int64{0, 2, 4}, offsets)

	// Stopping early fetches no further page.
	offsets = nil
	for range c.AllEmployees(context.Background(), &ChannelDescribeEmployeesRequest{Limit: 2}) {
		break
	}
	assert.Equal(t, []int64{0}, offsets)
}

func TestAllTemplatesStopsAtError(t *testing.T) {
	cp := newCapture(`{"Response":{"Error":{"Code":"ResourceNotFound.Organization","Message":"机构不存在。"},"RequestId":"r"}}`)
	c := newTestClient(t, cp)
	n := 0
	for _, err := range c.AllTemplates(context.Background(), nil) {
		n++
		assert.True(t, IsCode(err, CodeResourceNotFoundOrganization))
	}
	assert.Equal(t, 1, n)
	assert.Contains(t, string(cp.bodies[0]), `"Limit":100,"Offset":0`)

	cp = newCapture(`{"Response":{"ChannelOrganizationInfos":[{"OrganizationOpenId":"o1"}],"Total":1,"RequestId":"r"}}`)
	c = newTestClient(t, cp)
	for o, err := range c.AllChannelOrganizations(context.Background(), nil) {
		require.NoError(t, err)
		assert.Equal(t, "o1", o.OrganizationOpenId)
	}
	assert.Len(t, cp.reqs, 1)
	assert.Contains(t, string(cp.bodies[0]), `"Limit":200`)
}

// TestPagesCap: a list that never ends stops after MaxPages pages, with
// an error.
func TestPagesCap(t *testing.T) {
	fetches := 0
	var last error
	n := 0
	for _, err := range pages(context.Background(), "X", 0, func(_ context.Context, offset int64) ([]int64, int64, error) {
		fetches++
		return []int64{offset}, offset + 100, nil // always one more
	}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	assert.Equal(t, MaxPages, fetches)
	assert.Equal(t, MaxPages, n)
	require.Error(t, last)
	assert.Contains(t, last.Error(), "essbasic: X: stopped after 10000 pages")
}
