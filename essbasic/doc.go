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
//	}, essbasic.WithEnvironment(essbasic.Test))
//	res, err := c.DescribeResourceUrlsByFlows(ctx, &essbasic.DescribeResourceUrlsByFlowsRequest{FlowIds: ids})
//
// # Actions
//
// All 100 actions of the API are methods of [Client] with typed requests
// and responses, generated from the platform's spec (see internal/gen and
// go generate). Names follow the spec exactly (FlowIds, AppId, Url), so the
// official documentation applies word for word; each method links to it.
// Optional numbers and booleans of requests are pointers: nil lets the
// platform apply its default, [Ptr](false) sends false. Strings, lists and
// structures are omitted when empty. Fields the spec disables are marked
// Deprecated. [Client.Raw] reaches any action with hand-made parameters.
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
// refused). UploadFiles goes to the file host (file.ess.tencent.cn, or
// file.test.ess.tencent.cn with [WithEnvironment](Test)); everything else to
// essbasic.tencentcloudapi.com or essbasic.test.ess.tencent.cn.
// [WithBaseURL] and [WithFileBaseURL] point elsewhere.
//
// # Errors
//
// Every failure of a call is an [*Error]: platform errors carry Code,
// Message and RequestID (test them with [IsCode], which also matches a
// code's parent, e.g. "AuthFailure"); transport failures keep their cause
// so errors.Is(err, context.DeadlineExceeded) works; non-JSON answers say
// so with a short excerpt. Requests refused before sending wrap
// [ErrInvalidRequest] and name the field. Batch actions can succeed as a
// whole and fail per item: [DescribeResourceUrlsByFlowsResponse.FlowResults]
// pairs each flow with its ErrorMessages entry.
//
// # Retries and rate limits
//
// The client keeps to the platform's limit of 20 requests per second per
// action ([WithRateLimit] changes it). RequestLimitExceeded and HTTP 429 are
// retried for every action; InternalError, 5xx and lost responses only for
// reads (Describe*, Get*), because no essbasic write can be deduplicated by
// the platform. [WithRetry] sets the attempts and backoff.
//
// # Pagination
//
// [Client.AllTemplates], [Client.AllEmployees] and
// [Client.AllChannelOrganizations] return iter.Seq2 iterators that fetch
// page after page by offset as you range over them:
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
// resource URL into an io.Writer.
//
// # Callbacks
//
// [ParseCallback] verifies the optional Content-Signature, decrypts the
// AES-256-CBC body with the CallbackUrlKey (or reads plaintext when no key
// is configured) and returns a [CallbackEvent]; [NewCallbackHandler] wraps it
// in an http.Handler that acknowledges with 200 only after your func
// succeeded, answers the platform's {} probe, and can drop re-delivered
// messages by MsgId.
//
// # Testing
//
// Package essbasictest is an in-process fake of the platform that checks
// signatures exactly, keeps flows and files, and sends callbacks.
package essbasic
