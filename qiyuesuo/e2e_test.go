package qiyuesuo_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

func newFake(t testing.TB, opts ...qiyuesuo.Option) (*qiyuesuotest.Server, *qiyuesuo.Client) {
	t.Helper()
	srv := qiyuesuotest.NewServer()
	t.Cleanup(srv.Close)
	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret},
		append([]qiyuesuo.Option{qiyuesuo.WithBaseURL(srv.URL)}, opts...)...)
	require.NoError(t, err)
	return srv, c
}

// draftWithAudit drafts a contract whose sponsor must approve (AUDIT),
// then seal (COMPANY), then a person signs.
func draftWithAudit(t testing.TB, c *qiyuesuo.Client, bizID string) qiyuesuo.Contract {
	t.Helper()
	ctx := context.Background()
	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{
		Subject: "采购合同", BizID: bizID, BusinessData: "order-42",
		Signatories: []qiyuesuo.Signatory{
			{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName, SerialNo: hetong.Ptr(1),
				Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionAudit}, {Type: qiyuesuo.ActionCompany}}},
			{TenantType: qiyuesuo.TenantPersonal, TenantName: "李四", SerialNo: hetong.Ptr(2),
				Receiver: &qiyuesuo.User{Name: "李四", Contact: "13800000000", ContactType: qiyuesuo.ContactMobile}},
		},
	})
	require.NoError(t, err)
	_, err = c.DocumentAddByFile(ctx, &qiyuesuo.DocumentAddByFileRequest{ContractID: d.Result.ID, Title: "合同正文",
		FileSuffix: "pdf", File: qiyuesuo.File{Name: "contract.pdf", Reader: strings.NewReader("%PDF-1.4 fake")}})
	require.NoError(t, err)
	return d.Result
}

type recorder struct {
	mu     sync.Mutex
	events []*qiyuesuo.CallbackEvent
}

func (r *recorder) handle(_ context.Context, ev *qiyuesuo.CallbackEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	return nil
}

func (r *recorder) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.CallbackType+"/"+e.ContractStatus)
	}
	return out
}

func TestLifecycleAgainstFake(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	rec := &recorder{}
	hook := httptest.NewServer(qiyuesuo.NewCallbackHandler(qiyuesuo.CallbackConfig{SecretKey: qiyuesuotest.CallbackSecret, Encrypted: true}, rec.handle))
	defer hook.Close()
	srv.SetCallback(hook.URL, qiyuesuotest.CallbackSecret, true)

	ct := draftWithAudit(t, c, "biz-1")
	assert.Len(t, ct.ID, 19)
	assert.Equal(t, qiyuesuo.StatusDraft, ct.Status)
	require.Len(t, ct.Signatories, 2)
	assert.NotEmpty(t, ct.Signatories[0].Actions[0].ID)

	// Not sent yet: audit fails with the seed's status code.
	_, err := c.ContractEmployeeAudit(ctx, &qiyuesuo.ContractEmployeeAuditRequest{ContractID: ct.ID, Pass: true})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidContractStatus), "%v", err)

	_, err = c.ContractSend(ctx, &qiyuesuo.ContractSendRequest{BizID: "biz-1"})
	require.NoError(t, err)

	// Sealing before the approval is not the company's turn yet.
	_, err = c.ContractSignCompany(ctx, &qiyuesuo.SignParam{ContractID: ct.ID})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeNotYourTurn), "%v", err)

	res, err := c.ContractEmployeeAudit(ctx, &qiyuesuo.ContractEmployeeAuditRequest{ContractID: ct.ID, Pass: true, Comment: "同意"})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.CodeOK, res.ResponseCode)

	_, err = c.ContractSignCompany(ctx, &qiyuesuo.SignParam{ContractID: ct.ID})
	require.NoError(t, err)
	_, err = c.ContractSignPersonal(ctx, &qiyuesuo.UserSignParam{ContractID: ct.ID, User: &qiyuesuo.User{Contact: "13800000000", ContactType: qiyuesuo.ContactMobile}})
	require.NoError(t, err)

	det, err := c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: ct.ID})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusComplete, det.Result.Status)
	assert.Equal(t, []string{"SEND_SIGNING/SIGNING", "COMPLETE/COMPLETE"}, rec.types())
	assert.Equal(t, "order-42", rec.events[1].BusinessData)

	var buf bytes.Buffer
	dl, err := c.ContractDownload(ctx, &qiyuesuo.ContractDownloadRequest{ContractID: ct.ID}, &buf)
	require.NoError(t, err)
	assert.Equal(t, "application/zip", dl.ContentType)
	assert.Equal(t, string(ct.ID)+".zip", dl.FileName)
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	require.Len(t, zr.File, 2)
	assert.Equal(t, "合同正文.pdf", zr.File[0].Name)
	f, err := zr.File[0].Open()
	require.NoError(t, err)
	pdf, _ := io.ReadAll(f)
	assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-1.4")))
	assert.True(t, bytes.HasSuffix(pdf, []byte("%%EOF\n")))

	_, err = c.ContractInvalid(ctx, &qiyuesuo.ContractInvalidRequest{ContractID: ct.ID, Reason: "作废"})
	require.NoError(t, err)
	det, err = c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{BizID: "biz-1"})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusInvalided, det.Result.Status)

	_, err = c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: "3999999999999999999"})
	var apiErr *qiyuesuo.Error
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, qiyuesuo.CodeContractNotFound, apiErr.ResponseCode)
	assert.Equal(t, 200, apiErr.HTTPStatus)
}

// TestConcurrentUse shares one client across goroutines; the fake refuses
// any reused nonce, so this also checks nonces are unique under load.
func TestConcurrentUse(t *testing.T) {
	srv, c := newFake(t, qiyuesuo.WithRateLimit(0, 0))
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{Subject: "并发", BizID: "c-" + strconv.Itoa(i),
				Signatories: []qiyuesuo.Signatory{{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName}}})
			if err != nil {
				errs <- err
				return
			}
			_, err = c.ContractDetail(ctx, &qiyuesuo.ContractDetailRequest{ContractID: d.Result.ID})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 20, srv.Calls("/v2/contract/draft"))
}
