// Package qiyuesuo is a client for the 契约锁 (Qiyuesuo) open platform v2
// API: draft, send, sign and approve contracts, download their archives,
// and receive contract callbacks.
//
// # Client
//
// Create one [Client] per application and share it; it is safe for
// concurrent use:
//
//	c, err := qiyuesuo.NewClient(qiyuesuo.Config{AppToken: token, AppSecret: secret},
//		qiyuesuo.WithBaseURL(qiyuesuo.ProductionBaseURL))
//
// The default host is the test environment [TestBaseURL]. Private-cloud
// deployments (私有云) pass their own host and [WithHeaderPrefix]
// ([HeaderPrefixPrivateCloud]); old deployments that predate the nonce use
// [WithLegacySignature].
//
// # Authentication
//
// Every request carries x-qys-open-accesstoken (the App Token),
// x-qys-open-timestamp (Unix milliseconds), x-qys-open-nonce (a fresh
// UUID) and x-qys-open-signature = md5hex(AppToken + AppSecret + timestamp
// + nonce) ([Signature]). The signature covers no URL or body. A new
// timestamp and nonce are made for every attempt, retries included,
// because the platform refuses a nonce it saw in the last 10 minutes.
//
// # Contracts
//
// A contract is created with [Client.Draft] (signatories, their actions,
// category, template parameters, businessData), given documents with
// [Client.AddDocumentByFile] (a streamed multipart upload, at most 30 MB),
// [Client.AddDocumentByFiles] or [Client.AddDocumentByTemplate], and
// published with [Client.Send]. It is then signed with
// [Client.CompanySign], [Client.LegalPersonSign], [Client.PersonalSign] or
// through the pages of [Client.PageURL], and approved with
// [Client.EmployeeAudit] (员工审批). [Client.Invalid] recalls or voids it,
// [Client.ForceEnd] ends it. Every contract call takes a ContractID or a
// BizID, exactly one, checked before anything is sent.
//
// IDs are 19-digit integers and are kept as text ([ID]); times are
// "yyyy-MM-dd HH:mm:ss" in China Standard Time ([DateTime]).
//
// # Pagination
//
// [Client.List] reads one page; [Client.Contracts] is an iterator that
// pages for you:
//
//	for ct, err := range c.Contracts(ctx, &qiyuesuo.ListRequest{Status: qiyuesuo.StatusComplete}) {
//		if err != nil { return err }
//		fmt.Println(ct.ID, ct.Subject)
//	}
//
// # Downloads
//
// [Client.Download] and [Client.DownloadDocument] stream the zip or PDF
// into an io.Writer without holding it in memory. A JSON body (told apart
// by its Content-Type) is an error from the platform, returned as [*Error].
//
// # Errors
//
// A call succeeds when the envelope has code 0 or responseCode
// "00000000". Anything else is an [*Error] with the Code, ResponseCode,
// Message and HTTPStatus; auth failures arrive as HTTP 441/442 with a JSON
// body. Transport failures are [*Error] too and unwrap to their cause, so
// errors.Is(err, context.DeadlineExceeded) works. Use [IsCode]:
//
//	if qiyuesuo.IsCode(err, qiyuesuo.CodeContractNotFound) { ... }
//
// Reads are retried on network errors and 5xx; writes are retried only when
// they never reached the server (connection refused) or the server refused
// them with 429, so a write is never performed twice. Uploads are never
// re-sent once streaming began.
//
// # Callbacks
//
// The platform POSTs a form with signature, timestamp and content.
// [ParseCallback] checks signature == md5hex(timestamp + callbackSecretKey)
// in constant time, optionally the timestamp's age, decrypts content
// (base64 AES-128-ECB/PKCS#7 keyed by the secret, or CBC with a configured
// IV) and decodes a [CallbackEvent]. [NewCallbackHandler] answers
// "success" only after your func returned nil, so a failure makes the
// platform retry. The platform retries up to 7 times, so handle callbacks
// idempotently and re-read the contract with [Client.Detail] before acting.
//
// # Testing
//
// Package qiyuesuotest is an in-process fake of the platform that checks
// signatures and nonces, keeps contract state, streams archives and posts
// callbacks.
package qiyuesuo
