package qiyuesuo_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/qiyuesuo"
	"github.com/hetong-go/hetong/qiyuesuo/qiyuesuotest"
)

// The whole lifecycle against the in-process fake: draft, upload, send,
// approve, seal, receive the COMPLETE callback, download the archive.
func Example() {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	// Your callback endpoint: it answers "success" once the func returned nil.
	hook := httptest.NewServer(qiyuesuo.NewCallbackHandler(
		qiyuesuo.CallbackConfig{SecretKey: qiyuesuotest.CallbackSecret, Encrypted: true},
		func(ctx context.Context, ev *qiyuesuo.CallbackEvent) error {
			fmt.Println("callback:", ev.CallbackType, ev.ContractStatus, ev.BusinessData)
			return nil
		}))
	defer hook.Close()
	srv.SetCallback(hook.URL, qiyuesuotest.CallbackSecret, true)

	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret},
		qiyuesuo.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	draft, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{
		Subject: "采购合同", BizID: "PO-2026-001", BusinessData: "PO-2026-001",
		Signatories: []qiyuesuo.Signatory{{
			TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName,
			Actions: []qiyuesuo.Action{{Type: qiyuesuo.ActionAudit}, {Type: qiyuesuo.ActionCompany}},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	id := draft.Result.ID
	fmt.Println("draft:", id, draft.Result.Status)

	_, err = c.DocumentAddByFile(ctx, &qiyuesuo.DocumentAddByFileRequest{ContractID: id, Title: "采购合同正文",
		FileSuffix: "pdf", File: qiyuesuo.File{Name: "po.pdf", Reader: strings.NewReader("%PDF-1.4 ...")}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.ContractSend(ctx, &qiyuesuo.ContractSendRequest{ContractID: id}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.ContractEmployeeAudit(ctx, &qiyuesuo.ContractEmployeeAuditRequest{ContractID: id, Pass: true, Comment: "同意"}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.ContractSignCompany(ctx, &qiyuesuo.SignParam{ContractID: id}); err != nil {
		log.Fatal(err)
	}

	var archive bytes.Buffer
	if _, err := c.ContractDownload(ctx, &qiyuesuo.ContractDownloadRequest{ContractID: id}, &archive); err != nil {
		log.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(archive.Bytes()), int64(archive.Len()))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range zr.File {
		fmt.Println("archive:", f.Name)
	}
	// Output:
	// draft: 3000000000000000001 DRAFT
	// callback: SEND_SIGNING SIGNING PO-2026-001
	// callback: COMPLETE COMPLETE PO-2026-001
	// archive: 采购合同正文.pdf
	// archive: 签署日志.pdf
}

func ExampleClient_ContractEmployeeAudit() {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret},
		qiyuesuo.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.ContractEmployeeAudit(context.Background(), &qiyuesuo.ContractEmployeeAuditRequest{ContractID: "2591540368898105360", Pass: true})
	switch {
	case qiyuesuo.IsCode(err, qiyuesuo.CodeContractNotFound):
		fmt.Println("no such contract:", err)
	case err != nil:
		log.Fatal(err)
	}
	// Output:
	// no such contract: qiyuesuo: ContractEmployeeAudit: 合同不存在 (code 11101003, HTTP 200)
}

func ExampleClient_AllContracts() {
	srv := qiyuesuotest.NewServer()
	defer srv.Close()
	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: qiyuesuotest.AppToken, AppSecret: qiyuesuotest.AppSecret},
		qiyuesuo.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, subject := range []string{"合同A", "合同B", "合同C"} {
		_, err := c.ContractDraft(ctx, &qiyuesuo.ContractDraftRequest{Subject: subject,
			Signatories: []qiyuesuo.Signatory{{TenantType: qiyuesuo.TenantCompany, TenantName: qiyuesuotest.CompanyName}}})
		if err != nil {
			log.Fatal(err)
		}
	}
	// The iterator fetches pages of two until the list is exhausted.
	for ct, err := range c.AllContracts(ctx, &qiyuesuo.ContractListRequest{Status: qiyuesuo.StatusDraft, SelectLimit: hetong.Ptr(2)}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ct.ID, ct.Subject)
	}
	// Output:
	// 3000000000000000001 合同A
	// 3000000000000000004 合同B
	// 3000000000000000007 合同C
}

// Verifying and decrypting a callback by hand (the fact sheet's vector).
func ExampleParseCallback() {
	form := url.Values{
		"signature": {"bc1dd1036eefc0f0ae789c8afd3203a9"},
		"timestamp": {"1700000000000"},
		"content":   {"Em/AveBMFUlwdVAIqRJaMhdsKVpZXXGT0JXxzgVmWrbI678OAm4bXGUby9B/l3xgkO6mBl8ITAF55PLi6N7RupFHKicY8rFSY7YvxCx384x8TzZPQQZUv9Op8Nx92aGW"},
	}
	r := httptest.NewRequest(http.MethodPost, "/qiyuesuo/callback", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ev, err := qiyuesuo.ParseCallback(r, qiyuesuo.CallbackConfig{SecretKey: "0123456789abcdef", Encrypted: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ev.ContractID, ev.CallbackType, ev.ContractStatus)
	// Output:
	// 3000000000000000001 COMPLETE COMPLETE
}

func ExampleSignature() {
	fmt.Println(qiyuesuo.Signature("TESTTOKEN01", "TESTSECRET0123456789", "1700000000000", "123e4567-e89b-12d3-a456-426614174000"))
	// Output:
	// 427f450785dbc462efcfc7c1b6db8416
}
