package qiyuesuo_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

// TestFakeServesEveryEndpoint calls every endpoint method against the
// fake: each one is routed (no "no such API"), and answers either success
// or the platform's own error envelope.
func TestFakeServesEveryEndpoint(t *testing.T) {
	_, c := newFake(t, qiyuesuo.WithRateLimit(0, 0))
	errs := qiyuesuo.CallEveryEndpoint(t, c)
	require.Len(t, errs, 127)
	for name, err := range errs {
		if err == nil {
			continue
		}
		var e *qiyuesuo.Error
		if assert.True(t, errors.As(err, &e), "%s: %v", name, err) {
			assert.NotEqual(t, 404, e.HTTPStatus, "%s is not served: %v", name, err)
			assert.True(t, e.Code != "" || e.ResponseCode != "", "%s: not the platform's envelope: %v", name, err)
		}
	}
}

// sentContract drafts a contract from the fake's template category,
// with the sponsor sealing and one person signing, and sends it.
func sentContract(t *testing.T, c *qiyuesuo.Client, bizID string) qiyuesuo.Contract {
	t.Helper()
	ctx := context.Background()
	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{
		Subject: "采购合同", BizID: bizID, Category: &qiyuesuo.Category{ID: qiyuesuotest.CategoryID},
		TemplateParams: []qiyuesuo.TemplateParam{{Name: "甲方", Value: "甲公司"}, {Name: "合同金额", Value: "100.00"}},
		Signatories: []qiyuesuo.Signatory{
			{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName, Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionCompany}}},
			{TenantType: qiyuesuo.TenantPersonal, TenantName: "李四",
				Receiver: &qiyuesuo.User{Name: "李四", Contact: "13800000000", ContactType: qiyuesuo.ContactMobile}},
		},
	})
	require.NoError(t, err)
	require.Len(t, d.Result.Documents, 1, "the category's template makes the document")
	_, err = c.ContractSend(ctx, &qiyuesuo.ContractSendRequest{ContractID: d.Result.ID})
	require.NoError(t, err)
	return d.Result
}

func status(t *testing.T, srv *qiyuesuotest.Server, id qiyuesuo.ID) string {
	t.Helper()
	ct, ok := srv.Contract(id)
	require.True(t, ok)
	return ct.Status
}

// TestSignatoryLifecycle: draft → send → add signatory → edit it → sign
// by everyone → the added party keeps the contract open until it signs.
func TestSignatoryLifecycle(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	ct := sentContract(t, c, "sig-1")

	added, err := c.SignatoryAdd(ctx, &qiyuesuo.SignatoryAddRequest{BizID: "sig-1", Signatory: &qiyuesuo.Signatory{
		TenantType: qiyuesuo.TenantPersonal, TenantName: "王五",
		Receiver: &qiyuesuo.User{Name: "王五", Contact: "13900000000", ContactType: qiyuesuo.ContactMobile}}})
	require.NoError(t, err)
	require.NotNil(t, added.Result.Signatory)
	sid := added.Result.Signatory.ID
	assert.NotEmpty(t, sid)
	assert.Len(t, added.Result.Signatory.Actions, 1)

	_, err = c.SignatoryEditV3(ctx, &qiyuesuo.SignatoryEditV3Request{SignatoryID: sid,
		Receiver: &qiyuesuo.User{Name: "王五", Contact: "13700000000", ContactType: qiyuesuo.ContactMobile}})
	require.NoError(t, err)
	_, err = c.SignatoryEdit(ctx, &qiyuesuo.SignatoryEditRequest{SignatoryID: "1",
		Receiver: &qiyuesuo.User{Contact: "1", ContactType: qiyuesuo.ContactMobile}})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidParameter), "unknown signatory: %v", err)

	_, err = c.ContractSignCompany(ctx, &qiyuesuo.SignParam{ContractID: ct.ID, SealID: qiyuesuotest.SealID})
	require.NoError(t, err)
	_, err = c.ContractSignPersonal(ctx, &qiyuesuo.UserSignParam{ContractID: ct.ID,
		User: &qiyuesuo.User{Contact: "13800000000", ContactType: qiyuesuo.ContactMobile}})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusSigning, status(t, srv, ct.ID), "the added party has not signed")
	_, err = c.ContractSignPersonal(ctx, &qiyuesuo.UserSignParam{ContractID: ct.ID,
		User: &qiyuesuo.User{Contact: "13700000000", ContactType: qiyuesuo.ContactMobile}})
	require.NoError(t, err, "the edited receiver signs")
	assert.Equal(t, qiyuesuo.StatusComplete, status(t, srv, ct.ID))

	_, err = c.SignatoryEditV3(ctx, &qiyuesuo.SignatoryEditV3Request{SignatoryID: sid,
		Receiver: &qiyuesuo.User{Contact: "1", ContactType: qiyuesuo.ContactMobile}})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidContractStatus), "a signed party cannot change: %v", err)
}

// TestVoidLifecycle: a completed contract is voided with the
// invalidation document left for the sponsor to sign (invalid autoSign
// false, invalidbyfile, invalidbytemplate), then invalidsign completes it;
// with autoSign (the default) it is void at once.
func TestVoidLifecycle(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	complete := func(biz string) qiyuesuo.ID {
		ct := sentContract(t, c, biz)
		_, _, err := srv.SignAll(ctx, ct.ID)
		require.ErrorIs(t, err, qiyuesuotest.ErrNoCallbackURL)
		require.Equal(t, qiyuesuo.StatusComplete, status(t, srv, ct.ID))
		return ct.ID
	}
	receivers := []qiyuesuo.CopySendReceiver{{Name: "赵六", Receiver: &qiyuesuo.User{Contact: "13600000000", ContactType: qiyuesuo.ContactMobile}}}

	a := complete("void-a")
	_, err := c.ContractSignInvalid(ctx, &qiyuesuo.ContractSignInvalidRequest{ContractID: a})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidContractStatus), "nothing to sign yet: %v", err)
	_, err = c.ContractInvalid(ctx, &qiyuesuo.ContractInvalidRequest{ContractID: a, Reason: "金额错误", AutoSign: hetong.Ptr(false), Receivers: receivers})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusInvaliding, status(t, srv, a))
	_, err = c.ContractSignInvalid(ctx, &qiyuesuo.ContractSignInvalidRequest{ContractID: a, SealID: qiyuesuotest.SealID})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusInvalided, status(t, srv, a))

	b := complete("void-b")
	_, err = c.ContractInvalidByFile(ctx, &qiyuesuo.ContractInvalidByFileRequest{
		InvalidInfo: &qiyuesuo.InvalidInfo{BizID: "void-b", Title: "作废声明", FileSuffix: "pdf", InvalidReason: "重签"},
		Receivers:   receivers,
		File:        qiyuesuo.File{Name: "void.pdf", Reader: strings.NewReader("%PDF-1.4 void")}})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusInvaliding, status(t, srv, b))
	_, err = c.ContractSignInvalid(ctx, &qiyuesuo.ContractSignInvalidRequest{BizID: "void-b"})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusInvalided, status(t, srv, b))

	d := complete("void-d")
	_, err = c.ContractInvalidByTemplate(ctx, &qiyuesuo.ContractInvalidByTemplateRequest{ContractID: d, TemplateID: qiyuesuotest.TemplateID,
		TemplateParams: []qiyuesuo.TemplateParam{{Name: "甲方", Value: "甲"}, {Name: "合同金额", Value: "1"}}, InvalidReason: "r"})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusInvaliding, status(t, srv, d))

	e := complete("void-e")
	_, err = c.ContractInvalid(ctx, &qiyuesuo.ContractInvalidRequest{ContractID: e})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusInvalided, status(t, srv, e), "autoSign defaults to true")

	// Recall and force-end act on signing contracts only.
	r := sentContract(t, c, "recall")
	_, err = c.ContractNotice(ctx, &qiyuesuo.ContractNoticeRequest{ContractID: r.ID})
	require.NoError(t, err)
	_, err = c.ContractInvalid(ctx, &qiyuesuo.ContractInvalidRequest{ContractID: r.ID})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusRecalled, status(t, srv, r.ID))
	f := sentContract(t, c, "force")
	_, err = c.ContractForceEnd(ctx, &qiyuesuo.ContractForceEndRequest{ContractID: f.ID, Reason: "r"})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusForceEnd, status(t, srv, f.ID))
	_, err = c.ContractForceEnd(ctx, &qiyuesuo.ContractForceEndRequest{ContractID: f.ID, Reason: "r"})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidContractStatus))
}

// TestTemplateParameters: the template's parameters come back with their
// types; a draft in its category must fill the required ones.
func TestTemplateParameters(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	tpl, err := c.TemplateDetail(ctx, &qiyuesuo.TemplateDetailRequest{TemplateID: qiyuesuotest.TemplateID})
	require.NoError(t, err)
	var required []string
	for _, p := range tpl.Result.Parameters {
		if p.Required {
			required = append(required, p.Name)
		}
	}
	assert.Equal(t, []string{"甲方", "合同金额"}, required)
	var names []string
	for tp, err := range c.AllTemplates(ctx, nil) {
		require.NoError(t, err)
		names = append(names, tp.Name)
	}
	assert.Equal(t, []string{qiyuesuotest.TemplateName}, names)
	_, err = c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{Subject: "s", Category: &qiyuesuo.Category{ID: qiyuesuotest.CategoryID},
		TemplateParams: []qiyuesuo.TemplateParam{{Name: "甲方", Value: "甲"}},
		Signatories:    []qiyuesuo.Signatory{{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName}}})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeInvalidParameter), "合同金额 is required: %v", err)
	_, err = c.TemplateDetail(ctx, &qiyuesuo.TemplateDetailRequest{TemplateID: "1"})
	assert.Error(t, err)
	var cats []string
	for cat, err := range c.AllCategories(ctx, nil) {
		require.NoError(t, err)
		cats = append(cats, cat.Name)
	}
	assert.Equal(t, []string{qiyuesuotest.CategoryName}, cats)
}

// TestSealPaging: SealList pages with selectOffset/selectLimit and
// filters by status; AllSeals walks the pages.
func TestSealPaging(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	page, err := c.SealList(ctx, &qiyuesuo.SealListRequest{SelectOffset: hetong.Ptr(1), SelectLimit: hetong.Ptr(1)})
	require.NoError(t, err)
	assert.Equal(t, 3, page.Result.TotalCount, "NORMAL seals by default")
	require.Len(t, page.Result.List, 1)
	assert.Equal(t, qiyuesuo.ID("3800000000000000002"), page.Result.List[0].ID)

	var ids []qiyuesuo.ID
	for s, err := range c.AllSeals(ctx, &qiyuesuo.SealListRequest{Status: "ALL", SelectLimit: hetong.Ptr(3)}) {
		require.NoError(t, err)
		ids = append(ids, s.ID)
	}
	assert.Len(t, ids, 4)
	assert.Equal(t, 2, srv.Calls("/v2/seal/list")-1, "two pages of three")

	detail, err := c.SealDetail(ctx, &qiyuesuo.SealDetailRequest{SealID: qiyuesuotest.SealID})
	require.NoError(t, err)
	assert.Equal(t, "COMPANY", detail.Result.SealType)
	_, err = c.SealList(ctx, &qiyuesuo.SealListRequest{TenantName: "别的公司"})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodePermissionMismatch))
}

// TestSubsidiaries: list, invite and remove subsidiaries (子公司).
func TestSubsidiaries(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	names := func() []string {
		res, err := c.SubCompanyList(ctx)
		require.NoError(t, err)
		var out []string
		for _, raw := range res.Result.SubCompanies {
			var sub struct{ Name, Status string }
			require.NoError(t, json.Unmarshal(raw, &sub))
			out = append(out, sub.Name+"/"+sub.Status)
		}
		assert.NotEmpty(t, res.Raw, "the whole result is kept")
		return out
	}
	assert.Equal(t, []string{qiyuesuotest.SubsidiaryName + "/JOINED"}, names())
	_, err := c.SubCompanyInvite(ctx, &qiyuesuo.SubCompanyInviteRequest{CompanyName: "新子公司"})
	require.NoError(t, err)
	assert.Equal(t, []string{qiyuesuotest.SubsidiaryName + "/JOINED", "新子公司/INVITED"}, names())
	_, err = c.SubCompanyRemove(ctx, &qiyuesuo.SubCompanyRemoveRequest{CompanyName: qiyuesuotest.SubsidiaryName})
	require.NoError(t, err)
	assert.Equal(t, []string{"新子公司/INVITED"}, names())
	_, err = c.SubCompanyRemove(ctx, &qiyuesuo.SubCompanyRemoveRequest{CompanyName: qiyuesuotest.SubsidiaryName})
	assert.Error(t, err)
}

// TestOperationLogAndDownloads: views, downloads and signatures show in
// the operation log; contract, document and attachment downloads stream.
func TestOperationLogAndDownloads(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	ct := sentContract(t, c, "log-1")
	_, err := c.ContractViewURL(ctx, &qiyuesuo.ContractViewURLRequest{ContractID: ct.ID})
	require.NoError(t, err)
	_, _, err = srv.SignAll(ctx, ct.ID)
	require.ErrorIs(t, err, qiyuesuotest.ErrNoCallbackURL)

	var archive bytes.Buffer
	res, err := c.ContractDownload(ctx, &qiyuesuo.ContractDownloadRequest{ContractID: ct.ID}, &archive)
	require.NoError(t, err)
	assert.Equal(t, "application/zip", res.ContentType)
	zr, err := zip.NewReader(bytes.NewReader(archive.Bytes()), int64(archive.Len()))
	require.NoError(t, err)
	assert.Len(t, zr.File, 2)

	var doc bytes.Buffer
	_, err = c.DocumentDownload(ctx, &qiyuesuo.DocumentDownloadRequest{DocumentID: ct.Documents[0].ID}, &doc)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(doc.Bytes(), []byte("%PDF-")))

	var att bytes.Buffer
	_, err = c.AttachmentDownload(ctx, &qiyuesuo.AttachmentDownloadRequest{BizID: "log-1"}, &att)
	require.NoError(t, err)
	zr, err = zip.NewReader(bytes.NewReader(att.Bytes()), int64(att.Len()))
	require.NoError(t, err)
	assert.Len(t, zr.File, 2, "one attachment per signatory")

	log, err := c.ContractStream(ctx, &qiyuesuo.ContractStreamRequest{ContractID: ct.ID})
	require.NoError(t, err)
	var ops []string
	for _, raw := range log.Result.List {
		var e struct{ Operation string }
		require.NoError(t, json.Unmarshal(raw, &e))
		ops = append(ops, e.Operation)
	}
	assert.Equal(t, []string{"CREATE", "SEND", "VIEW", "SIGN", "DOWNLOAD", "DOWNLOAD"}, ops)
	assert.Equal(t, len(ops), log.Result.TotalCount)
	only, err := c.ContractStream(ctx, &qiyuesuo.ContractStreamRequest{ContractID: ct.ID, Operation: "DOWNLOAD"})
	require.NoError(t, err)
	assert.Equal(t, 2, only.Result.TotalCount)

	links, err := c.ContractDownloadURL(ctx, &qiyuesuo.ContractDownloadURLRequest{ContractID: ct.ID})
	require.NoError(t, err)
	require.Len(t, links.Result.DownloadURLs, 1)
	short, err := c.ContractShortURL(ctx, &qiyuesuo.ContractShortURLRequest{ContractID: ct.ID, Contact: "13800000000"})
	require.NoError(t, err)
	assert.Contains(t, string(short.Result), "/s/"+string(ct.ID), "an unpublished shape stays raw")
	page, err := c.ContractSignURL(ctx, &qiyuesuo.ContractSignURLRequest{ContractID: ct.ID, HideEndButton: hetong.Ptr(true),
		User:      &qiyuesuo.User{Contact: "13800000000", ContactType: qiyuesuo.ContactMobile},
		PageStyle: &qiyuesuo.PageStyle{ThemeColor: "#1E7BFF"}})
	require.NoError(t, err)
	assert.Contains(t, page.Result.PageURL, string(ct.ID))
}

// TestEmployeesCompanyAndCallbackSettings covers the account endpoints
// that keep state in the fake.
func TestEmployeesCompanyAndCallbackSettings(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	_, err := c.EmployeeCreate(ctx, &qiyuesuo.EmployeeCreateRequest{User: &qiyuesuo.User{Name: "张三", Contact: "13500000000", ContactType: qiyuesuo.ContactMobile}, Number: "E1"})
	require.NoError(t, err)
	det, err := c.EmployeeDetail(ctx, &qiyuesuo.EmployeeDetailRequest{User: &qiyuesuo.User{Contact: "13500000000", ContactType: qiyuesuo.ContactMobile}})
	require.NoError(t, err)
	assert.Equal(t, "张三", det.Result.Name)
	var n int
	for _, err := range c.AllEmployees(ctx, nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)
	_, err = c.EmployeeRemove(ctx, &qiyuesuo.EmployeeRemoveRequest{Contact: "13500000000", ContactType: qiyuesuo.ContactMobile})
	require.NoError(t, err)
	_, err = c.EmployeeRemove(ctx, &qiyuesuo.EmployeeRemoveRequest{Contact: "13500000000", ContactType: qiyuesuo.ContactMobile})
	assert.Error(t, err)

	co, err := c.CompanyDetail(ctx, &qiyuesuo.CompanyDetailRequest{CompanyName: qiyuesuotest.CompanyName})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuotest.RegisterNo, co.Result.RegisterNo)

	hook := httptest.NewServer(nil)
	defer hook.Close()
	up, err := c.AppTokenUpdateCallback(ctx, &qiyuesuo.AppTokenUpdateCallbackRequest{CallbackURL: hook.URL, Encrypt: hetong.Ptr(true)})
	require.NoError(t, err)
	assert.True(t, up.Result.Encrypt)
	got, err := c.AppTokenDetail(ctx)
	require.NoError(t, err)
	assert.Equal(t, hook.URL, got.Result.CallbackURL)
	assert.Equal(t, qiyuesuotest.CallbackSecret, got.Result.CallbackSecretKey)
}

// TestLegalPersonSign: the legal-person step (LP) is signed by
// ContractSignLegalPerson, in its turn.
func TestLegalPersonSign(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	d, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{
		Subject: "s", Send: hetong.Ptr(true), Category: &qiyuesuo.Category{ID: qiyuesuotest.CategoryID},
		TemplateParams: []qiyuesuo.TemplateParam{{Name: "甲方", Value: "甲"}, {Name: "合同金额", Value: "1"}},
		Signatories: []qiyuesuo.Signatory{{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName,
			Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionCompany}, {Type: qiyuesuo.ActionLP}}}},
	})
	require.NoError(t, err)
	_, err = c.ContractSignLegalPerson(ctx, &qiyuesuo.SignParam{ContractID: d.Result.ID})
	assert.True(t, qiyuesuo.IsCode(err, qiyuesuo.CodeNotYourTurn), "the seal comes first: %v", err)
	_, err = c.ContractSignCompany(ctx, &qiyuesuo.SignParam{ContractID: d.Result.ID})
	require.NoError(t, err)
	_, err = c.ContractSignLegalPerson(ctx, &qiyuesuo.SignParam{ContractID: d.Result.ID})
	require.NoError(t, err)
	assert.Equal(t, qiyuesuo.StatusComplete, status(t, srv, d.Result.ID))
}
