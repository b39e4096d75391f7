package qiyuesuo_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

func TestContractsIteratorPages(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	var want []qiyuesuo.ID
	for range 7 {
		want = append(want, draftWithAudit(t, c, "").ID)
	}
	var got []qiyuesuo.ID
	for ct, err := range c.Contracts(ctx, &qiyuesuo.ListRequest{Limit: 3, Status: qiyuesuo.StatusDraft}) {
		require.NoError(t, err)
		got = append(got, ct.ID)
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 3, srv.Calls("/v2/contract/list"), "pages of 3, 3 and 1")

	// Stopping early fetches no more pages.
	n := 0
	for range c.Contracts(ctx, &qiyuesuo.ListRequest{Limit: 2}) {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 4, srv.Calls("/v2/contract/list"))

	for _, err := range c.Contracts(ctx, &qiyuesuo.ListRequest{Limit: 5000}) {
		assert.ErrorIs(t, err, qiyuesuo.ErrInvalidRequest)
	}
	for _, err := range c.Contracts(ctx, nil) {
		assert.ErrorIs(t, err, qiyuesuo.ErrInvalidRequest)
	}
}

func TestLinksAndCompanyEndpoints(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	ct := draftWithAudit(t, c, "links")

	pu, err := c.PageURL(ctx, &qiyuesuo.PageURLRequest{ContractID: ct.ID, PageType: qiyuesuo.PageSign, User: &qiyuesuo.User{Contact: "13800000000", ContactType: qiyuesuo.ContactMobile}})
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/page/sign/"+string(ct.ID), pu.PageURL)
	vu, err := c.ViewURL(ctx, &qiyuesuo.ViewURLRequest{BizID: "links"})
	require.NoError(t, err)
	assert.Contains(t, vu.ViewURL, "/page/view/")
	su, err := c.ShortURL(ctx, &qiyuesuo.ShortURLRequest{ContractID: ct.ID, Contact: "13800000000"})
	require.NoError(t, err)
	assert.NotEmpty(t, su.ShortURL)
	du, err := c.DownloadURL(ctx, &qiyuesuo.DownloadURLRequest{ContractID: ct.ID})
	require.NoError(t, err)
	assert.NotEmpty(t, du.DownloadURL)

	seals, err := c.SealList(ctx, &qiyuesuo.SealListRequest{})
	require.NoError(t, err)
	require.Len(t, seals.Seals, 1)
	assert.Equal(t, qiyuesuo.ID(qiyuesuotest.SealID), seals.Seals[0].ID)
	tpl, err := c.TemplateList(ctx, &qiyuesuo.TemplateListRequest{})
	require.NoError(t, err)
	assert.Equal(t, int64(1), tpl.TotalCount)
	cats, err := c.CategoryList(ctx, &qiyuesuo.CategoryListRequest{})
	require.NoError(t, err)
	assert.Len(t, cats.Categories, 1)

	emp, err := c.EmployeeCreate(ctx, &qiyuesuo.EmployeeCreateRequest{User: qiyuesuo.User{Name: "王五", Contact: "13900000000", ContactType: qiyuesuo.ContactMobile}, Number: "E001"})
	require.NoError(t, err)
	assert.Equal(t, "王五", emp.Employee.Name)
	list, err := c.EmployeeList(ctx, &qiyuesuo.EmployeeListRequest{Limit: 10})
	require.NoError(t, err)
	assert.Equal(t, int64(1), list.TotalCount)
	_, err = c.EmployeeRemove(ctx, &qiyuesuo.EmployeeRemoveRequest{User: qiyuesuo.User{Contact: "13900000000"}})
	require.NoError(t, err)
	_, err = c.EmployeeRemove(ctx, &qiyuesuo.EmployeeRemoveRequest{User: qiyuesuo.User{Contact: "13900000000"}})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidParameter))

	co, err := c.CompanyDetail(ctx, &qiyuesuo.CompanyDetailRequest{CompanyName: qiyuesuotest.CompanyName})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuotest.CompanyName, co.Company.Name)

	_, err = c.UpdateCallback(ctx, &qiyuesuo.UpdateCallbackRequest{CallbackURL: "https://example.com/qys?a=1&b=2", Encrypt: true})
	require.NoError(t, err)
	cfg, err := c.CallbackConfig(ctx)
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/qys?a=1&b=2", cfg.Settings.CallbackURL)
	assert.True(t, cfg.Settings.Encrypt)
	assert.Equal(t, qiyuesuotest.CallbackSecret, cfg.Settings.CallbackSecretKey)

	raw, err := c.Raw(ctx, &qiyuesuo.RawRequest{Method: "GET", Path: "/v2/contract/detail", Query: map[string][]string{"bizId": {"links"}}, Idempotent: true})
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw.Result, &m))
	assert.Equal(t, string(ct.ID), m["id"])
	_, err = c.Raw(ctx, &qiyuesuo.RawRequest{Method: "GET", Path: "/v2/nope"})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeRequestFailed), "%v", err)
}

func TestLegalPersonSignAndOrdinal(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	ordinal := false
	d, err := c.Draft(ctx, &qiyuesuo.DraftRequest{Subject: "s", Ordinal: &ordinal, Signatories: []qiyuesuo.Signatory{
		{TenantType: qiyuesuo.TenantPersonal, TenantName: "李四", Receiver: &qiyuesuo.User{Contact: "1", ContactType: qiyuesuo.ContactMobile}},
		{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName, Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionLP}}},
	}})
	require.NoError(t, err)
	_, err = c.AddDocumentByFile(ctx, &qiyuesuo.AddDocumentByFileRequest{ContractID: d.Contract.ID, Title: "t", File: qiyuesuo.File{Name: "t.pdf", Reader: jsonReader("x")}})
	require.NoError(t, err)
	_, err = c.Send(ctx, &qiyuesuo.SendRequest{ContractID: d.Contract.ID})
	require.NoError(t, err)
	// Not ordinal: the company may sign before the person.
	_, err = c.LegalPersonSign(ctx, &qiyuesuo.CompanySignRequest{ContractID: d.Contract.ID})
	require.NoError(t, err)
	_, err = c.CompanySign(ctx, &qiyuesuo.CompanySignRequest{ContractID: d.Contract.ID})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeNotYourTurn))
	_, err = c.PersonalSign(ctx, &qiyuesuo.PersonalSignRequest{ContractID: d.Contract.ID, User: &qiyuesuo.User{Contact: "1"}})
	require.NoError(t, err)
	got, _ := srv.Contract(d.Contract.ID)
	assert.Equal(t, qiyuesuo.StatusComplete, got.Status)
	assert.False(t, got.CompleteTime.IsZero())
}
