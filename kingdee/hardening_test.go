package kingdee_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/kingdee"
)

// A server that announces FileSize but never says IsLast: the download
// stops at FileSize instead of asking forever.
func TestDownloadStopsAtFileSize(t *testing.T) {
	c, mt := mockClient(t, vectorConfig)
	calls := 0
	mt.RegisterResponder(http.MethodPost, dfsBase+"AttachmentDownLoad.common.kdsvc", func(*http.Request) (*http.Response, error) {
		calls++
		if calls > 2 {
			return httpmock.NewStringResponse(500, "asked past FileSize"), nil
		}
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"Result":{"StartIndex":%d,"IsLast":false,"FileSize":10,"FileName":"a.txt","FilePart":"aGVsbG8="}}`, 5*calls)), nil
	})
	var buf bytes.Buffer
	res, err := c.DownloadAttachment(context.Background(), &kingdee.AttachmentDownloadRequest{FileID: "f1"}, &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(10), res.Written)
	assert.Equal(t, "hellohello", buf.String())
	assert.Equal(t, 2, calls)
}

func TestDownloadRefusesMoreOrLessThanFileSize(t *testing.T) {
	for name, answer := range map[string]string{
		"more": `{"Result":{"StartIndex":5,"IsLast":false,"FileSize":3,"FilePart":"aGVsbG8="}}`,
		"less": `{"Result":{"StartIndex":5,"IsLast":true,"FileSize":9,"FilePart":"aGVsbG8="}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := mockClient(t, vectorConfig)
			mt.RegisterResponder(http.MethodPost, dfsBase+"AttachmentDownLoad.common.kdsvc", httpmock.NewStringResponder(200, answer))
			var buf bytes.Buffer
			_, err := c.DownloadAttachment(context.Background(), &kingdee.AttachmentDownloadRequest{FileID: "f1"}, &buf)
			assert.ErrorContains(t, err, "FileSize")
			if name == "more" {
				assert.Zero(t, buf.Len(), "nothing past FileSize is written")
			}
		})
	}
}

// Raw never leaves the configured site.
func TestRawRejectsURLsAndPaths(t *testing.T) {
	c, mt := mockClient(t, vectorConfig)
	for _, svc := range []string{"https://evil.example/k3cloud/X", "//evil.example/X", "/k3cloud/X", "../X", "X/../../Y", "a..b", "Save?x=1", ".Save"} {
		_, err := c.Raw(context.Background(), &kingdee.RawRequest{Service: svc})
		assert.ErrorContains(t, err, "RawRequest.Service", svc)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// "", null and {} are not a success for a save or a read.
func TestEmptyAnswersFail(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(*kingdee.Client) error{
		"Save": func(c *kingdee.Client) error {
			_, err := c.Save(ctx, &kingdee.SaveRequest{FormID: "X", Model: map[string]any{"FID": 0}})
			return err
		},
		"BatchSave": func(c *kingdee.Client) error {
			_, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: "X", Models: []map[string]any{{"FID": 0}}})
			return err
		},
		"Submit": func(c *kingdee.Client) error {
			_, err := c.Submit(ctx, &kingdee.SubmitRequest{Bills: kingdee.Bills{FormID: "X", Numbers: []string{"1"}}})
			return err
		},
		"View": func(c *kingdee.Client) error {
			_, err := c.View(ctx, &kingdee.ViewRequest{FormID: "X", Number: "1"})
			return err
		},
		"ExecuteBillQuery": func(c *kingdee.Client) error {
			_, err := c.ExecuteBillQuery(ctx, &kingdee.QueryRequest{FormID: "X", FieldKeys: []string{"FID"}})
			return err
		},
		"BillQuery": func(c *kingdee.Client) error {
			_, err := c.BillQuery(ctx, &kingdee.QueryRequest{FormID: "X", FieldKeys: []string{"FID"}})
			return err
		},
		"QueryBusinessInfo": func(c *kingdee.Client) error {
			_, err := c.QueryBusinessInfo(ctx, &kingdee.BusinessInfoRequest{FormID: "X"})
			return err
		},
	}
	for op, call := range calls {
		for _, answer := range []string{``, ` null `, `{}`, `{ }`, `{"Result":{}}`} {
			t.Run(op+"/"+answer, func(t *testing.T) {
				c, mt := mockClient(t, vectorConfig, kingdee.WithRetry(kingdee.RetryPolicy{MaxAttempts: 1}))
				mt.RegisterResponder(http.MethodPost, dfsBase+op+".common.kdsvc", httpmock.NewStringResponder(200, answer))
				err := call(c)
				var ke *kingdee.Error
				require.ErrorAs(t, err, &ke)
				assert.Equal(t, op, ke.Op)
			})
		}
	}
	// GetDataCenterList lives in another service.
	c, mt := mockClient(t, vectorConfig)
	mt.RegisterResponder(http.MethodPost, "https://erp.example.com/k3cloud/Kingdee.BOS.ServiceFacade.ServicesStub.Account.AccountService.GetDataCenterList.common.kdsvc",
		httpmock.NewStringResponder(200, "null"))
	_, err := c.GetDataCenterList(ctx)
	assert.Error(t, err)
}

// A server that ignores StartRow sends the same full page forever: AllRows
// notices and stops with an error.
func TestAllRowsDetectsARepeatedPage(t *testing.T) {
	c, mt := mockClient(t, vectorConfig)
	mt.RegisterResponder(http.MethodPost, queryURL, httpmock.NewStringResponder(200, `[[1],[2]]`))
	type row struct {
		ID int64 `kd:"FID"`
	}
	var got []int64
	var err error
	for r, e := range kingdee.AllRows[row](context.Background(), c, &kingdee.QueryRequest{FormID: "X", Limit: 2}) {
		if e != nil {
			err = e
			break
		}
		got = append(got, r.ID)
	}
	assert.Equal(t, []int64{1, 2}, got)
	assert.ErrorContains(t, err, "again")
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

// A server that always sends a new full page is stopped at MaxPages.
func TestAllRowsPageCap(t *testing.T) {
	c, mt := mockClient(t, vectorConfig)
	n := 0
	mt.RegisterResponder(http.MethodPost, queryURL, func(*http.Request) (*http.Response, error) {
		n++
		return httpmock.NewStringResponse(200, fmt.Sprintf(`[[%d]]`, n)), nil
	})
	type row struct {
		ID int64 `kd:"FID"`
	}
	count := 0
	var err error
	for _, e := range kingdee.AllRows[row](context.Background(), c, &kingdee.QueryRequest{FormID: "X", Limit: 1}) {
		if e != nil {
			err = e
			break
		}
		count++
	}
	assert.Equal(t, kingdee.MaxPages, count)
	assert.ErrorContains(t, err, "MaxPages")
}
