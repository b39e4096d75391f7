package zhenling

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

// pagedResponder serves total contracts in pages, optionally failing on
// page failAt, and records the requested page numbers.
func pagedResponder(total, failAt int, pagesSeen *[]int) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		var in struct{ Page, Size int }
		_ = json.Unmarshal(b, &in)
		*pagesSeen = append(*pagesSeen, in.Page)
		if in.Page == failAt {
			return httpmock.NewStringResponse(200, `{"success":true,"result":{"code":"E500","msg":"脚本异常"}}`), nil
		}
		var rows []map[string]string
		for i := in.Page * in.Size; i < min(total, (in.Page+1)*in.Size); i++ {
			rows = append(rows, map[string]string{"contractNumber": fmt.Sprintf("HT%d", i)})
		}
		body, _ := json.Marshal(map[string]any{"success": true, "result": map[string]any{"code": "0", "data": map[string]any{"content": rows}}})
		return httpmock.NewBytesResponse(200, body), nil
	}
}

func TestAllPagesUntilShortPage(t *testing.T) {
	c, mt, _ := newMock(t)
	var seen []int
	mt.RegisterResponder(http.MethodPost, regexpFor(mockBase+hitfPath+SingleScript), pagedResponder(5, -1, &seen))
	var got []string
	for ct, err := range c.Contracts.AllContracts(context.Background(), &ContractListRequest{Paging: Paging{Size: 2}}) {
		require.NoError(t, err)
		got = append(got, string(ct.ContractNumber))
	}
	assert.Equal(t, []string{"HT0", "HT1", "HT2", "HT3", "HT4"}, got)
	assert.Equal(t, []int{0, 1, 2}, seen)

	seen = nil
	got = nil
	for ct, err := range c.Contracts.AllContracts(context.Background(), &ContractListRequest{Paging: Paging{Size: 2}}) {
		require.NoError(t, err)
		got = append(got, string(ct.ContractNumber))
		if len(got) == 3 {
			break
		}
	}
	assert.Equal(t, []int{0, 1}, seen, "stops fetching when the caller stops")

	seen = nil
	for range c.Contracts.AllContracts(context.Background(), &ContractListRequest{Paging: Paging{Size: 5}}) {
	}
	assert.Equal(t, []int{0, 1}, seen, "a full last page needs one empty page to confirm")
}

func TestAllYieldsErrorOnce(t *testing.T) {
	c, mt, _ := newMock(t)
	var seen []int
	mt.RegisterResponder(http.MethodPost, regexpFor(mockBase+hitfPath+SingleScript), pagedResponder(10, 1, &seen))
	var n, errs int
	for _, err := range c.Contracts.AllContracts(context.Background(), &ContractListRequest{Paging: Paging{Size: 3}}) {
		if err != nil {
			errs++
			assert.True(t, IsCode(err, "E500"), "%v", err)
			continue
		}
		n++
	}
	assert.Equal(t, 3, n)
	assert.Equal(t, 1, errs)
	assert.Equal(t, []int{0, 1}, seen)

	for _, err := range c.Contracts.AllContracts(context.Background(), nil) {
		assert.ErrorIs(t, err, ErrInvalidRequest)
	}
	for _, err := range c.Contracts.AllPaymentPlans(context.Background(), &PaymentPlanQueryRequest{Paging: Paging{Size: 1}}) {
		assert.ErrorContains(t, err, "PaymentPlanQueryRequest.ContractNumber: required")
	}
}

// TestIteratorsEnd: a server that never says "last" stops at the page
// cap, and one that answers the same page number twice is a cycle.
func TestIteratorsEnd(t *testing.T) {
	defer func(n int) { pageCap = n }(pageCap)
	pageCap = 5
	c, mt, _ := newMock(t)
	calls := 0
	mt.RegisterResponder(http.MethodPost, regexpFor(mockBase+hitfPath+SingleScript), func(r *http.Request) (*http.Response, error) {
		calls++
		var in struct{ Page int }
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &in)
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"success":true,"result":{"code":"0","data":{"content":[{"id":"%d"}],"number":%d,"last":false}}}`, in.Page, in.Page+1)), nil
	})
	var errs []error
	rows := 0
	for _, err := range c.Contracts.AllContracts(context.Background(), &ContractListRequest{Paging: Paging{Size: 1}}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rows++
	}
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], "zhenling: 3.24: stopped after 5 pages without a last page")
	assert.Equal(t, 5, rows)
	assert.Equal(t, 5, calls)

	c, mt, _ = newMock(t)
	mt.RegisterResponder(http.MethodPost, regexpFor(mockBase+hitfPath+SingleScript),
		httpmock.NewStringResponder(200, `{"success":true,"result":{"code":"0","data":{"content":[{"id":"1"}],"number":3,"last":false}}}`))
	errs = nil
	for _, err := range c.Contracts.AllContracts(context.Background(), &ContractListRequest{Paging: Paging{Size: 1}}) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], "zhenling: 3.24: the server answered page 3 twice; stopped")
}
