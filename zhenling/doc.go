// Package zhenling is a client for the 甄零开放平台 (Zhenling open
// platform, "OC" / OneContract), a contract-lifecycle SaaS built on HZERO:
// push master data, upload contract files, create and query contracts,
// manage payment plans and invoices, act on workflow to-dos, and receive
// the results of asynchronous writes by callback.
//
// # Connecting
//
// There is no production default host: every tenant has its own, so
// [Config.BaseURL] is required ([TestBaseURL] is Zhenling's test host;
// [WithBaseURL] overrides it). Authentication is OAuth2
// client_credentials (客户端模式), which carries no data-permission checks:
//
//	c, err := zhenling.NewClient(zhenling.Config{
//		BaseURL:      "https://oc-test.onecontract-cloud.com",
//		ClientID:     os.Getenv("ZHENLING_CLIENT_ID"),
//		ClientSecret: os.Getenv("ZHENLING_CLIENT_SECRET"),
//	}, zhenling.WithOperation(zhenling.OpContractCreate, zhenling.DataImport, "<domain from your PM>"))
//
// NewClient validates and never contacts the server; a refusal names the
// field ("zhenling: NewClient: Config.BaseURL: required"). The client
// fetches a token from [DefaultTokenPath] (HZERO's /oauth/oauth/token;
// configurable with [Config.TokenPath] and [Config.TokenAuth]), refreshes
// it ahead of expires_in, lets concurrent callers share one fetch, and on
// a 401 or invalid_token fetches a new one and retries the call once.
//
// Options: [WithBaseURL], [WithHTTPClient], [WithTransport], [WithTimeout],
// [WithIdleTimeout], [WithRetry] ([RetryPolicy]), [WithRateLimit],
// [WithRateLimiter] ([RateLimiter]), [WithLogger], [WithClock],
// [WithTokenStore] ([TokenStore]), [WithDeduper] ([Deduper]),
// [WithMaxResponseBytes], and per operation [WithOperation],
// [WithOperations], [WithOperationPath], [WithPageBase]. Zhenling signs
// nothing, so there is no source of randomness to inject.
//
// # Operations
//
// Every business call goes through the HITF gateway:
//
//	POST {BaseURL}/api/hitf/v2p/rest/invoke/{invokeCode}?domain={domain}
//	Authorization: bearer <token>
//
// An operation is an (invoke code, domain) pair. [Operations] lists every
// entry of Zhenling's endpoint index. Eight are public and work out of the
// box: 1.1 (the token), 3.24, 3.30, 3.33, 3.34, 6.4 ([SingleScript]), 6.5
// ([DataImport]) and 6.7 ([DataQuery], domain BILLING). Zhenling gives the
// codes of the other 44 to its customers only. A method whose operation
// is not configured fails before sending with an [Error] wrapping a
// [NotConfiguredError] that says what to ask your Zhenling contact for
// and how to pass it, e.g.
//
//	zhenling.WithOperation(zhenling.OpContractParties, "<invoke code>", "<domain>")
//
// The package never guesses a code. [WithOperationPath] sends an
// operation outside HITF (e.g. a tenant's file service), and
// [Client.Invoke] calls any interface this package does not model, on the
// configured host only.
//
// # Services
//
//   - [Client.Contracts] (3.x): [ContractService.List] and
//     [ContractService.AllContracts] (3.24), [ContractService.Create]
//     (3.40), [ContractService.LeaseClauses] (3.30), [ContractService.Lines]
//     (3.33), [ContractService.PaymentPlans] and
//     [ContractService.AllPaymentPlans] (3.34), the other 查询合同关联数据
//     queries and the change/delete/archive calls.
//   - [Client.Files] (3.4, 3.5, 3.7, 3.11, 3.15, 3.26) and
//     [Client.CreateContractWithFiles] (3.4 then 3.40, ids checked first).
//   - [Client.Fulfillment] (6.x): [FulfillmentService.PayPaymentPlan] (6.4),
//     [FulfillmentService.CreatePaymentPlans] (6.5),
//     [FulfillmentService.Invoices] and [FulfillmentService.AllInvoices]
//     (6.7 开票信息查询).
//   - [Client.Parties] (2.x), [Client.Org] (4.x), [Client.Materials] (5.3),
//     [Client.Workflow] (7.x, 3.43).
//
// Where Zhenling published the fields (3.24, 3.30, 3.33, 3.34, 3.40, 6.4,
// 6.5, 6.7) the request and response types carry exactly those (3.40's
// request is tested field by field against the published sample).
// Elsewhere a request holds the identifiers the documents name plus an
// Extra map merged into the JSON body, and the answer is a [Result] whose
// Data is the raw JSON (or a [Receipt] for batch writes). [QueryPage]
// decodes a documented paged query into a row type of your own, for
// fields this package does not type.
//
// To act as a user, set the request's [UserContext] (userIdType EMAIL,
// USERID or LOGINNAME, plus userId). Money is [hetong.Amount], exact
// decimal text that never passes through float64, written in the form
// each endpoint's sample uses (3.40's amount as a string, 6.4/6.5's as
// numbers). Ids are [String]s; dates are "yyyy-MM-dd" or
// "yyyy-MM-dd HH:mm:ss".
//
// # Results
//
// A HITF result comes in two shapes that do not follow the invoke code:
// {code, msg, data} (3.30, 3.33, 3.34) and {errcode, errmsg, data} (6.4,
// 6.7). Every call reads both, for queries and writes alike; a code other
// than "0" is an [Error] with that Code. An answer is decoded in one pass
// (envelope, page and rows together). A call that must return something
// (a page, 6.4's plan, a batch receipt) fails on an empty answer.
//
// # Pagination
//
// Pages are Spring pages (content, …). In Go, [Paging.Page] counts from 0
// for every operation; on the wire the client adds the operation's
// [Operation.PageBase], because the endpoints disagree: the SINGLE-SCRIPT
// queries' samples start at 0, 6.7 starts at 1. [WithPageBase] changes it
// per operation. The All* iterators stop after [MaxPages] pages and when
// the server answers the same page twice.
//
// # Creating a contract
//
// Zhenling's integration guide creates a contract in steps: make sure the
// departments (4.1) and the handler (4.2, 4.3) exist; upload the main file
// and attachments with sourceDocumentNumber = your contract id (3.4);
// create the contract with sourceCode = the same id (3.40). The call
// returns a batch [Receipt]; the outcome arrives later by callback.
//
// # Callbacks
//
// Writes are asynchronous. Zhenling POSTs each result to a URL its PM
// configures per interface; judge it by code + subCode and find your
// record by sourceSystem + sourceCode. [ParseCallback] decodes a single
// object, an array or a {"data":[...]} batch into [CallbackEvent] values.
// [NewCallbackHandler] (or [Client.NewCallbackHandler], which uses
// [WithDeduper]) acknowledges only after your func succeeded and handles
// a message once: its [CallbackKey] is reserved before your func runs,
// committed after it succeeded, released when it failed or panicked (a
// panic is answered 500, and OC's retry runs it again). Rejections wrap
// the shared sentinels ([ErrSignature], [ErrMalformed], [ErrTooLarge], …);
// [CallbackStatus] gives the status the handler answers.
//
// Zhenling documents no callback signature. By default callbacks are NOT
// authenticated: set [CallbackConfig.Verifier] ([HeaderSecret],
// [BasicAuth] or your own) or protect the URL at the network level.
//
// # Errors
//
// Every failure is an [Error] reading "zhenling: <Op>: <message> (code …,
// request …, HTTP …)": input refused before sending (wrapping
// [ErrInvalidRequest], message "<Field>: <rule>"), HZERO's {failed, code,
// message, type}, OAuth2's {error, error_description}, a HITF envelope
// with success=false or a result code other than "0", a non-JSON body, a
// download that answered a page instead of the file, or a transport
// failure (which unwraps to its cause, so errors.Is(err,
// context.DeadlineExceeded) works for timeouts). Use [IsCode] to test a
// code. No error string, log line, or printed Config or Client contains
// the client secret or a token.
//
// # Retries
//
// Queries are retried on network errors, 5xx and 429 although HITF sends
// them as POST. Writes (uploads, creates, payments, approvals) are only
// retried when the request provably did not reach the server, or was
// refused for its token: a timeout never re-sends a write.
//
// # Downloads
//
// [FileService.Download] streams the file into your writer. The first
// bytes are looked at before any reaches it: an HTML login or WAF page,
// or a JSON envelope sent instead of the file, is returned as the
// platform's error and never saved. A body that stalls fails after the
// idle timeout.
//
// # Testing
//
// Package zhenlingtest is an in-process fake of the platform:
// zhenlingtest.NewServer, (*Server).Client, FailNext for faults,
// Redeliver for callbacks.
package zhenling
