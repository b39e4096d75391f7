// Package essbasic is a client for 腾讯电子签 渠道版 (Tencent e-Sign, partner
// edition; Tencent Cloud API "essbasic", version 2021-05-26): a platform
// (渠道方) creates and signs contract flows (合同流程) on behalf of its
// sub-organisations (子客企业), downloads the signed PDFs and receives the
// platform's callbacks.
//
// # Getting started
//
//	c, err := essbasic.NewClient(essbasic.Config{
//		SecretID:  os.Getenv("ESSBASIC_SECRET_ID"),
//		SecretKey: os.Getenv("ESSBASIC_SECRET_KEY"),
//		Agent: &essbasic.Agent{AppId: "yDwh...", ProxyOrganizationOpenId: "org_1",
//			ProxyOperator: &essbasic.UserInfo{OpenId: "staff_1"}},
//	}) // production; add essbasic.WithEnvironment(essbasic.Test) for 联调
//	res, err := c.DescribeResourceUrlsByFlows(ctx, &essbasic.DescribeResourceUrlsByFlowsRequest{FlowIds: ids})
//
// # Index by area
//
//   - Client: [NewClient], [Config], [Client.Raw]; options [WithEnvironment],
//     [WithBaseURL], [WithFileBaseURL], [WithHTTPClient], [WithTransport],
//     [WithTimeout], [WithIdleTimeout], [WithMaxResponseBytes], [WithRetry],
//     [WithRateLimit], [WithRateLimiter], [WithLogger], [WithClock],
//     [WithDeduper], [WithLanguage].
//   - Actions: the 100 generated methods of [Client] (e.g.
//     [Client.ChannelCreateFlowByFiles], [Client.CreateSignUrls],
//     [Client.DescribeFlowDetailInfo]); per-flow results
//     [DescribeResourceUrlsByFlowsResponse.FlowResults].
//   - Lists: [Client.AllTemplates], [Client.AllEmployees],
//     [Client.AllChannelOrganizations] (at most [MaxPages] pages).
//   - Files: [Client.UploadFromReader], [Client.DownloadResource].
//   - Callbacks: [ParseCallback], [NewCallbackHandler], [CallbackConfig],
//     [CallbackEvent] ([CallbackEvent.FlowStatusChange],
//     [CallbackEvent.PartnerMessage]), [Deduper], [NewMemoryDeduper],
//     [CallbackStatus], the sentinels [ErrSignature], [ErrStale],
//     [ErrReplay], [ErrDecrypt], [ErrMalformed], [ErrTooLarge];
//     [EncryptCallback] and [CallbackSignature] for fakes and tests.
//   - Errors: [Error], [IsCode], the Code* constants, [ErrInvalidRequest].
//   - Signing: [TC3Authorization], [Service].
//   - Testing: package essbasictest.
//
// # Actions
//
// All 100 actions of the API are methods of [Client] with typed requests
// and responses, generated from the platform's spec (see internal/gen and
// go generate). Names follow the spec exactly (FlowIds, AppId, Url), so the
// official documentation applies word for word; each method links to it.
// Optional numbers and booleans of requests are pointers: nil lets the
// platform apply its default, hetong.Ptr(false) sends false. Strings, lists
// and structures are omitted when empty. Fields the spec disables are
// marked Deprecated. [Client.Raw] reaches any other action with hand-made
// parameters, with the same signing, envelope and errors, and only ever
// on the configured host. An action whose answer has fields fails when the
// platform's answer carries none of them (an empty answer is never a
// success with empty ids).
//
// # Agent
//
// Every request names the app, the sub-organisation and the operator in
// its Agent. Config.Agent is filled into every request whose Agent is nil;
// a request's own Agent wins (only an empty AppId is taken from the
// default), so one client can serve many sub-organisations.
//
// # Authentication and hosts
//
// Requests are POSTed to "/" and signed with TC3-HMAC-SHA256 over the exact
// body, afresh for every attempt (a signature older than five minutes is
// refused). The client talks to production (essbasic.tencentcloudapi.com)
// unless [WithEnvironment](Test) selects essbasic.test.ess.tencent.cn;
// UploadFiles goes to the environment's file host (file.ess.tencent.cn or
// file.test.ess.tencent.cn). [WithBaseURL] and [WithFileBaseURL] point
// elsewhere. [TC3Authorization] is the signing function itself: with
// [WithClock] fixing the time, a signature can be reproduced byte for byte.
//
// # Errors
//
// Every failure is an [*Error] reading
// "essbasic: <Op>: <message> (code …, request …, HTTP …)": platform errors
// carry Code, Message and RequestID (test them with [IsCode], which also
// matches a code's parent, e.g. "AuthFailure"); transport failures keep
// their cause so errors.Is(err, context.DeadlineExceeded) works; non-JSON
// answers say so with a short, redacted excerpt. Input refused before
// sending wraps [ErrInvalidRequest] and names the field
// ("essbasic: ChannelCancelFlow: ChannelCancelFlowRequest.FlowId: required",
// "essbasic: NewClient: Config.SecretKey: required"). No error, Config or
// Client shows a secret in any fmt verb.
//
// # Retries and rate limits
//
// The client keeps to the platform's limit of 20 requests per second per
// action ([WithRateLimit] changes it; [WithRateLimiter] shares a budget
// between replicas under the keys "essbasic:<AppId>:<Action>").
// RequestLimitExceeded and HTTP 429 are retried for every action;
// InternalError, 5xx and lost responses only for reads (Describe*, Get*),
// because no essbasic write can be deduplicated by the platform.
// [WithRetry] sets the attempts and backoff.
//
// # Pagination
//
// The All<Things> iterators fetch page after page by offset as you range
// over them; a server that repeats a page, or a list longer than
// [MaxPages] pages, ends with an error:
//
//	for tpl, err := range c.AllTemplates(ctx, &essbasic.DescribeTemplatesRequest{}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(tpl.TemplateId, tpl.TemplateName)
//	}
//
// # Files
//
// [Client.UploadFromReader] uploads from io.Readers, enforcing the size
// limits before sending; [Client.DownloadResource] streams a returned
// resource URL into an io.Writer, never saves an error page (HTML or a
// JSON envelope) as the file, and fails a body that stalls.
//
// # Callbacks
//
// [ParseCallback] verifies the optional Content-Signature, decrypts the
// AES-256-CBC body with the CallbackUrlKey (or reads plaintext when no key
// is configured) and returns a [CallbackEvent]; rejections wrap the shared
// sentinels and [CallbackStatus] says what to answer. [NewCallbackHandler]
// wraps it in an http.Handler that answers the platform's {} probe,
// handles each MsgId once (reserve, then commit after your func succeeded;
// 503 to a redelivery while the first is in flight), survives a panicking
// func, and acknowledges with 200 only after your func returned nil.
//
// # Testing
//
// Package essbasictest is an in-process fake of the platform that checks
// signatures exactly, keeps flows and files, sends callbacks, and injects
// the SDK's shared faults.
package essbasic
