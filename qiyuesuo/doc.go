// Package qiyuesuo is a client for the 契约锁 (Qiyuesuo) open platform v2
// API: every one of its 127 endpoints, SaaS (agent-mode) ones included,
// from drafting, sending, signing and approving contracts to downloading
// their archives and receiving contract callbacks.
//
// # Client
//
// Create one [Client] per application and share it; it is safe for
// concurrent use:
//
//	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: token, AppSecret: secret})
//
// The default host is the production cloud, https://openapi.qiyuesuo.com;
// [WithEnvironment]([Test]) selects the test platform. A private
// deployment (私有云) sets its own host in Config.BaseURL (or
// [WithBaseURL], which overrides everything) and usually [WithHeaderPrefix]
// ([HeaderPrefixPrivateCloud]); old deployments that predate the nonce use
// [WithLegacySignature]. Printing a [Config] or a *Client shows no
// credential.
//
// # Authentication
//
// Every request carries x-qys-open-accesstoken (the App Token),
// x-qys-open-timestamp (Unix milliseconds), x-qys-open-nonce (a fresh
// UUID, [Nonce]) and x-qys-open-signature = md5hex(AppToken + AppSecret +
// timestamp + nonce) ([Signature]). The signature covers no URL or body. A
// new timestamp and nonce are made for every attempt, retries included,
// because the platform refuses a nonce it saw in the last 10 minutes.
// [WithClock] and [WithRandom] make a request's signature reproducible
// byte for byte, e.g. for the platform's support.
//
// # Endpoints
//
// Each endpoint of the platform is one method named after the official
// SDK's request (ContractDraft for /v2/contract/draft), with a request
// type carrying the platform's exact wire names and a response type
// embedding the envelope ([Meta]). They are generated from the platform's
// machine-readable spec. Where the platform publishes the shape of the
// result it is a typed Result; where it does not, Result is the JSON that
// arrived (json.RawMessage) and the type's doc says so; a typed result that
// does not come back is an error, never an empty success. Downloads stream
// into an io.Writer and return a [DownloadResponse]; an error page (HTML,
// or a JSON envelope) is never written to the writer, and a body that
// stalls fails after [WithIdleTimeout].
//
// Requests travel the way the platform reads them: JSON bodies, query
// strings (lists comma-joined), urlencoded forms, or multipart bodies
// whose files stream from their [File] reader (never held in memory; at
// most [MaxFileSize]) and whose objects and lists travel as one form field
// holding JSON. Required fields, length limits and "contractId or bizId"
// are checked before anything is sent; a bad request is an [*Error]
// wrapping [ErrInvalidRequest] that names the field. IDs are 19-digit
// integers kept as text ([ID]); times are "yyyy-MM-dd HH:mm:ss" in China
// Standard Time ([DateTime]). Optional numbers and flags are pointers:
// set them with hetong.Ptr (github.com/hetong-go/hetong).
//
// # Index by area
//
//   - contract: [Client.ContractCopySend], [Client.ContractDelay], [Client.ContractDetail], [Client.ContractDraft], [Client.ContractForceEnd], [Client.ContractForceEndAddAttachment], [Client.ContractList], [Client.ContractModify], [Client.ContractRequiredParamDetail], [Client.ContractResend], [Client.ContractSend], [Client.ContractStream]
//   - signatory: [Client.SignatoryAdd], [Client.SignatoryEdit], [Client.SignatoryEditV3], [Client.SignatoryOperatorsEdit]
//   - sign: [Client.ContractEmployeeAudit], [Client.ContractInvalid], [Client.ContractInvalidByFile], [Client.ContractInvalidByTemplate], [Client.ContractNotice], [Client.ContractSignCompany], [Client.ContractSignInvalid], [Client.ContractSignLegalPerson], [Client.ContractSignPersonal]
//   - page: [Client.ContractAppointURL], [Client.ContractJoinURL], [Client.ContractMiniappSignTicket], [Client.ContractMiniappViewTicket], [Client.ContractPersonalJoinURL], [Client.ContractShortURL], [Client.ContractSignURL], [Client.ContractViewURL]
//   - document: [Client.AttachmentDownload], [Client.ContractAddWatermark], [Client.ContractDownload], [Client.ContractDownloadURL], [Client.DocumentAddByFile], [Client.DocumentAddByFiles], [Client.DocumentAddByTemplate], [Client.DocumentDownload]
//   - template: [Client.TemplateCreateByWord], [Client.TemplateDetail], [Client.TemplateDownload], [Client.TemplateEdit], [Client.TemplateList], [Client.TemplatePreviewURL], [Client.TemplateRemove], [Client.TemplateStatus]
//   - category: [Client.CategoryDetail], [Client.CategoryList]
//   - seal: [Client.SealAutoCreate], [Client.SealCreateByImage], [Client.SealDetail], [Client.SealEdit], [Client.SealImage], [Client.SealList], [Client.SealRemove], [Client.SealStatus]
//   - company: [Client.CompanyChangeInfoURL], [Client.CompanyDetail], [Client.CompanyFeeInfo], [Client.CustomerAdd], [Client.HealthCheck], [Client.PlatformInfo], [Client.SSOPrivilegeURL], [Client.SubCompanyInvite], [Client.SubCompanyList], [Client.SubCompanyRemove]
//   - employee: [Client.EmployeeCreate], [Client.EmployeeDetail], [Client.EmployeeList], [Client.EmployeeRemove], [Client.EmployeeUpdate], [Client.RoleManage]
//   - auth: [Client.CompanyAuthH5Page], [Client.CompanyAuthH5PageWithLicense], [Client.CompanyAuthMiniappTicket], [Client.CompanyAuthMiniappTicketWithLicense], [Client.CompanyAuthPCPage], [Client.CompanyAuthPCPageWithLicense], [Client.CompanyAuthResult], [Client.PersonalAuthMiniappTicket], [Client.PersonalAuthResult], [Client.PersonalAuthURL], [Client.PersonalSignAuthMiniappTicket], [Client.PersonalSignAuthQuery], [Client.PersonalSignAuthURL], [Client.PersonalSignDeauthorize]
//   - verify: [Client.CompanyInfoVerify], [Client.IdentityVerify], [Client.OCRBankCard], [Client.OCRIDCard], [Client.PDFVerify]
//   - evidence: [Client.ChainEvidenceProveApply], [Client.ChainNotary], [Client.CompleteReportApply], [Client.CompleteReportDownload], [Client.CompleteReportStatus]
//   - callback: [Client.AppTokenDetail], [Client.AppTokenUpdateCallback]
//   - SaaS: [Client.SaaSAppAccessControl], [Client.SaaSApplyApp], [Client.SaaSBinding], [Client.SaaSCompanyAccessControl], [Client.SaaSCompanyAuthMiniappTicket], [Client.SaaSCompanyAuthPageURL], [Client.SaaSCompanyAuthResult], [Client.SaaSCompanyAuthURL], [Client.SaaSCompanyDetail], [Client.SaaSFeeInfo], [Client.SaaSFeeInit], [Client.SaaSFeeUpdate], [Client.SaaSHealthCheck], [Client.SaaSPersonalAccessControl], [Client.SaaSPersonalAuthMiniappTicket], [Client.SaaSPersonalAuthResult], [Client.SaaSPersonalAuthURL], [Client.SaaSPersonalSignAuthMiniappTicket], [Client.SaaSPersonalSignAuthURL], [Client.SaaSPersonalSignDeauthorize], [Client.SaaSPlatformFeeInfo], [Client.SaaSPrivilegeDetail], [Client.SaaSPrivilegeMiniappTicket], [Client.SaaSPrivilegeURL], [Client.SaaSResetToken], [Client.SaaSSealSignAuthURL]
//
// Endpoints the package does not model yet can be called with
// [Client.Raw], with the same signing, envelope and errors.
//
// # A contract's life
//
// A contract is drafted with [Client.ContractDraft] (signatories, their
// actions, a business category whose templates make its documents from
// templateParams, businessData), given documents with
// [Client.DocumentAddByFile], [Client.DocumentAddByFiles] or
// [Client.DocumentAddByTemplate] (read a template's parameters with
// [Client.TemplateDetail]), and published with [Client.ContractSend]. It
// is then signed with [Client.ContractSignCompany],
// [Client.ContractSignLegalPerson], [Client.ContractSignPersonal] or
// through the pages of [Client.ContractSignURL], and approved with
// [Client.ContractEmployeeAudit] (员工审批). [Client.SignatoryAdd] adds a
// party; [Client.ContractInvalid] recalls it, or voids a completed one
// (作废), whose invalidation document the sponsor signs with
// [Client.ContractSignInvalid]; [Client.ContractForceEnd] ends it.
// [Client.ContractStream] is its operation log.
//
// # Pagination
//
// The list endpoints read one page; [Client.AllContracts],
// [Client.AllSeals], [Client.AllTemplates], [Client.AllEmployees] and
// [Client.AllCategories] are iterators that page for you, stopping after
// [MaxPages] pages or when the platform repeats a page:
//
//	for ct, err := range c.AllContracts(ctx, &qiyuesuo.ContractListRequest{Status: qiyuesuo.StatusComplete}) {
//		if err != nil { return err }
//		fmt.Println(ct.ID, ct.Subject)
//	}
//
// # Errors
//
// An error reads "qiyuesuo: <Op>: <message> (code …, request …, HTTP …)".
// A call succeeds when the envelope has code 0 or responseCode
// "00000000". Anything else is an [*Error] with the Op (the method), Code,
// ResponseCode, Message and HTTPStatus; auth failures arrive as HTTP
// 441/442 with a JSON body. Transport failures are [*Error] too and unwrap
// to their cause, so errors.Is(err, context.DeadlineExceeded) works. Use
// [IsCode]:
//
//	if qiyuesuo.IsCode(err, qiyuesuo.CodeContractNotFound) { ... }
//
// Reads are retried on network errors and 5xx; writes are retried only
// when they never reached the server (connection refused) or the server
// refused them with 429, so a write is never performed twice. Uploads are
// never re-sent once streaming began.
//
// # Callbacks
//
// The platform POSTs a form with signature, timestamp and content.
// [ParseCallback] accepts only POST, checks signature ==
// md5hex(timestamp + callbackSecretKey) in constant time, the timestamp's
// age, decrypts content (base64 AES-128-ECB/PKCS#7 keyed by the secret, or
// CBC with a configured IV) and decodes a [CallbackEvent]; its errors wrap
// [ErrSignature], [ErrStale], [ErrDecrypt], [ErrMalformed] or
// [ErrTooLarge], and [CallbackStatus] gives the status a handler answers.
// [NewCallbackHandler] (or [Client.NewCallbackHandler], with the client's
// [WithDeduper]) runs your func once per message: it answers "success"
// only after your func returned nil; an error or a panic gets a 500 and
// the platform's retry runs the func again; a redelivery of a handled
// message is acknowledged without running it.
//
// Plaintext callbacks can be forged: the signature does not cover the
// content, so one captured callback lets anyone send any event with its
// timestamp. The timestamp window ([DefaultCallbackWindow], on by default
// in plaintext mode) narrows that, nothing more. Configure encrypted
// callbacks (CallbackConfig.Encrypted) and re-read the contract with
// [Client.ContractDetail] before acting on a callback.
//
// # Testing
//
// Package qiyuesuotest is an in-process fake of the platform that checks
// signatures and nonces, serves every endpoint, keeps the state of the
// contract lifecycle, streams archives, posts callbacks and injects
// faults (FailNext):
//
//	srv := qiyuesuotest.NewServer()
//	defer srv.Close()
//	c := srv.Client()
package qiyuesuo
