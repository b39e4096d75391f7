// Package zeyi is a client for 则一's approval gateway (tms-service-api),
// through which an integrator starts and cancels DingTalk approvals
// (钉钉审批) and receives their results.
//
// # Getting started
//
// 则一 issues an appKey and appSecret and puts the caller's server IP on an
// allow-list (白名单). Create one [Client] and share it. It talks to the
// production gateway (https://gw.shjiuze.cn/tms-service-api) unless
// [WithEnvironment](Test) or [WithBaseURL] says otherwise:
//
//	c, err := zeyi.NewClient(zeyi.Config{
//		AppKey:    os.Getenv("ZEYI_APP_KEY"),
//		AppSecret: os.Getenv("ZEYI_APP_SECRET"),
//	}, zeyi.WithEnvironment(zeyi.Test)) // leave out for production
//	res, err := c.SendAudit(ctx, &zeyi.SendAuditRequest{
//		Code:               "JR202510110000001",
//		AuditType:          "JINRUN_VEHICLE_FEE_AUDIT",
//		OriginatorUsername: "E001",
//		AuditFormList: []zeyi.FormItem{
//			zeyi.AmountItem("金额", amount), // a hetong.Amount, never float64
//			zeyi.FileItem("附件", "https://files.example.com/invoice.pdf"),
//		},
//	})
//
// The gateway keeps at most one approved or in-progress approval per
// business code (业务编号); [Client.CancelAudit] cancels one.
//
// # Index
//
//   - Client: [NewClient], [Config], [Client.SendAudit], [Client.CancelAudit],
//     [Client.Raw] (an endpoint not modelled here, on the same gateway only).
//   - Options: [WithEnvironment] ([Production], [Test]), [WithBaseURL],
//     [WithHTTPClient], [WithTransport], [WithTimeout], [WithRetry]
//     ([RetryPolicy]), [WithRateLimit], [WithRateLimiter] ([RateLimiter]),
//     [WithLogger], [WithClock], [WithRandom], [WithMaxResponseBytes],
//     [WithIdleTimeout], [WithDeduper] ([Deduper]).
//   - Requests: [SendAuditRequest], [FormItem] ([TextItem], [FileItem],
//     [AmountItem], [FormItem.Encrypted]), [ConditionParam],
//     [CancelAuditRequest].
//   - Signing: [Sign], [NonceFrom], [Timestamp], [SetSignatureHeaders].
//   - Encryption: [Encryption], [NewCipher], [Cipher].
//   - Errors: [Error], [ErrInvalidRequest], [IsCode], [IsBusiness].
//   - Callbacks: [ParseCallback], [NewCallbackHandler], [CallbackConfig],
//     [CallbackEvent], [CallbackStatus], [CallbackError], [NewMemoryDeduper],
//     and the sentinels [ErrSignature], [ErrStale], [ErrReplay],
//     [ErrDecrypt], [ErrMalformed], [ErrTooLarge].
//
// # Signing
//
// Every request carries the headers appKey, timestamp (Unix ms), nonce (6
// random characters) and sign = lowercase hex MD5 of appKey + appSecret +
// timestamp + nonce + body, where body is the exact bytes sent (数据加签).
// The client marshals each request once and signs those bytes, with a fresh
// timestamp and nonce on every attempt. Header names go on the wire in the
// doc's exact case (appKey, not Go's canonical Appkey); over HTTP/2 the
// protocol lowercases every name. [Sign] exposes the formula; with
// [WithClock] and [WithRandom] a signature is reproducible byte for byte,
// e.g. to answer a question from 则一's support.
//
// # Doc revisions
//
// The gateway's doc changed after its first revision: code became id,
// originatorUsername became username, form items use name instead of key,
// cancel gained auditId and auditType, and send returns {code, auditId}.
// Every field of both revisions is modelled and optional beyond the
// required ones, and empty fields are not sent, so one struct serves
// either gateway. Confirm the names with 则一.
//
// # Encryption
//
// Encryption is off by default (「无敏感数据则无需加密」). Set
// [Config.Encryption] and mark form items with [FormItem.Encrypted] to send
// their values AES-CBC encrypted and base64 encoded, in one of two modes:
// [FixedIV] (key = appSecret bytes, IV agreed with 则一, the seed revision)
// or [RandomIVPrefix] (key = base64 aesSecret, random IV prefixed, the
// latest revision). [Cipher] encrypts and decrypts single values.
//
// # Errors
//
// Every error is an [*Error] and reads
// "zeyi: <Op>: <message> (code …, request …, HTTP …)". The envelope
// {success, businessException, errorCode, message, result} maps to
// Error.System (success=false) and Error.Business (businessException=true)
// with Code and Message; transport failures (refused connection, timeout,
// HTML error page) carry the cause in Error.Err, and a timeout satisfies
// errors.Is(err, context.DeadlineExceeded). An answer that is not an
// envelope (empty, {}, null) is an error, never a success. Invalid input
// is reported before anything is sent, naming the field, and wraps
// [ErrInvalidRequest]. Only calls the gateway cannot have seen are
// retried: audit/send and audit/cancel are not idempotent. No error,
// Config or Client prints a secret, whatever the fmt verb.
//
// # Callbacks
//
// 则一 posts approval results (审批回调) to a URL the integrator provides,
// signed with the same formula and the key pair the integrator issued to
// 则一. [ParseCallback] verifies and decodes one; [NewCallbackHandler]
// wraps it in an http.Handler that runs the handler func once per
// message (keyed on the result's identity in a [Deduper], shared between
// replicas with [WithDeduper]), answers the success envelope only after the
// func returned nil, and answers 500 after an error or a panic so that
// 则一 delivers the result again:
//
//	http.Handle("/dingtalkAudit/callback", zeyi.NewCallbackHandler(zeyi.CallbackConfig{
//		AppKey: cbKey, AppSecret: cbSecret, BearerToken: cbToken, MaxSkew: 5 * time.Minute,
//	}, func(ctx context.Context, ev *zeyi.CallbackEvent) error {
//		if ev.Approved() { /* pay */ }
//		return nil
//	}))
//
// # Testing
//
// Package [github.com/hetong-go/hetong/zeyi/zeyitest] is an in-process fake
// of the gateway that checks signatures, keeps approvals, posts signed
// callbacks when a test approves or refuses one, and fails on demand
// (FailNext): zeyitest.NewServer().Client() is a client ready to call.
package zeyi
