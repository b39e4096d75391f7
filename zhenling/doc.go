// Package zhenling is a client for the 甄零开放平台 (Zhenling open
// platform, "OC" / OneContract), a contract-lifecycle SaaS built on HZERO:
// push master data, upload contract files, create and query contracts,
// manage payment plans, act on workflow to-dos, and receive the results
// of asynchronous writes by callback.
//
// # Connecting
//
// There is no production default host: every tenant has its own, so
// [Config.BaseURL] is required ([TestBaseURL] is Zhenling's test host).
// Authentication is OAuth2 client_credentials (客户端模式), which carries
// no data-permission checks:
//
//	c, err := zhenling.NewClient(zhenling.Config{
//		BaseURL:      "https://oc-test.onecontract-cloud.com",
//		ClientID:     os.Getenv("ZHENLING_CLIENT_ID"),
//		ClientSecret: os.Getenv("ZHENLING_CLIENT_SECRET"),
//	}, zhenling.WithOperation(zhenling.OpContractCreate, zhenling.DataImport, "<domain from your PM>"))
//
// The client fetches a token from [DefaultTokenPath] (HZERO's
// /oauth/oauth/token; configurable with [Config.TokenPath] and
// [Config.TokenAuth]), caches it until shortly before expires_in, lets
// concurrent callers share one fetch, and on a 401 or invalid_token
// fetches a new one and retries the call once. Tokens can be shared
// between processes with [WithTokenStore].
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
// box: 1.1 (the token), 3.24, 3.30, 3.33, 3.34, 6.4 (SINGLE-SCRIPT), 6.5
// ([DataImport]) and 6.7 ([DataQuery], domain BILLING). Zhenling gives the
// codes of the other 44 to its customers only. A method whose operation
// is not configured fails before sending with a [NotConfiguredError] that
// says what to ask your Zhenling contact for and how to pass it, e.g.
//
//	zhenling.WithOperation(zhenling.OpContractParties, "<invoke code>", "<domain>")
//
// The package never guesses a code. [WithOperationPath] sends an
// operation outside HITF (e.g. a tenant's file service), and
// [Client.Invoke] calls any interface this package does not model.
//
// # Services
//
// Methods are grouped as in the index: [Client.Contracts] (3.x),
// [Client.Files] (3.4, 3.5, 3.7, 3.11, 3.15, 3.26), [Client.Parties] (2.x),
// [Client.Org] (4.x), [Client.Materials] (5.3), [Client.Fulfillment] (6.x)
// and [Client.Workflow] (7.x, 3.43). Where Zhenling published the fields
// (3.24, 3.30, 3.33, 3.34, 3.40, 6.4, 6.5) the request and response types
// carry exactly those. Elsewhere a request holds the identifiers the
// documents name plus an Extra map merged into the JSON body, and the
// answer is a [Result] whose Data is the raw JSON (or a [Receipt] for
// batch writes).
//
// To act as a user, set the request's [UserContext] (userIdType EMAIL,
// USERID or LOGINNAME, plus userId). Amounts are decimal strings, ids are
// strings, dates are "yyyy-MM-dd" or "yyyy-MM-dd HH:mm:ss".
//
// # Creating a contract
//
// Zhenling's integration guide creates a contract in steps: make sure the
// departments (4.1) and the handler (4.2, 4.3) exist; upload the main file
// and attachments with sourceDocumentNumber = your contract id (3.4);
// create the contract with sourceCode = the same id (3.40). The call
// returns a batch [Receipt]; the outcome arrives later by callback.
// [Client.CreateContractWithFiles] does the upload and create steps and
// checks that the ids agree before sending anything.
//
// # Callbacks
//
// Writes are asynchronous. Zhenling POSTs each result to a URL its PM
// configures per interface; judge it by code + subCode and find your
// record by sourceSystem + sourceCode. [ParseCallback] decodes a single
// object, an array or a {"data":[...]} batch into [CallbackEvent] values,
// and [NewCallbackHandler] acknowledges only after your func succeeded.
//
// Zhenling documents no callback signature. By default callbacks are NOT
// authenticated: set [CallbackConfig.Verifier] ([HeaderSecret],
// [BasicAuth] or your own) or protect the URL at the network level.
//
// # Errors
//
// Every failure after a request was built is an [Error]: HZERO's
// {failed, code, message, type}, OAuth2's {error, error_description}, a
// HITF envelope with success=false or a result code other than "0", a
// non-JSON body (with an excerpt), or a transport failure (which unwraps
// to its cause, so errors.Is(err, context.DeadlineExceeded) works). Use
// [IsCode] to test a code. Error strings never contain the client secret
// or the token.
//
// # Retries
//
// Queries are retried on network errors, 5xx and 429 although HITF sends
// them as POST. Writes (uploads, creates, payments, approvals) are only
// retried when the request provably did not reach the server, or was
// refused for its token: a timeout never re-sends a write.
//
// # Results
//
// A HITF result comes in two shapes that do not follow the invoke code:
// {code, msg, data} (3.30, 3.33, 3.34) and {errcode, errmsg, data} (6.4,
// 6.7). Every call reads both, for queries and writes alike; a code other
// than "0" is an [Error] with that Code.
//
// # Pagination
//
// Pages are Spring pages (content, …). In Go, [Paging.Page] counts from 0
// for every operation; on the wire the client adds the operation's
// [Operation.PageBase], because the endpoints disagree: the SINGLE-SCRIPT
// queries' samples start at 0, 6.7 starts at 1. [WithPageBase] changes it
// per operation. [ContractService.All], [ContractService.AllPaymentPlans]
// and [FulfillmentService.AllInvoices] iterate over every item.
//
// # Testing
//
// Package zhenlingtest is an in-process fake of the platform for tests and
// offline examples.
package zhenling
