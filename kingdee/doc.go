// Package kingdee is a client for the 金蝶云星空 (Kingdee K/3 Cloud) WebAPI:
// save, submit and audit bills such as the 付款申请单 CN_PAYAPPLY, query
// them back into structs, push them down, and move attachments.
//
// Every call is a POST of JSON to {BaseURL}{ServiceName}.common.kdsvc on
// the customer's own site (there is no public default host), with the
// official SDKs' body form {"formid":…,"data":{…}}.
//
//	c, err := kingdee.NewClient(kingdee.Config{
//		BaseURL: "https://erp.example.com/k3cloud/",
//		AcctID:  "62f3c9b0…", Username: "api",
//		AppID:   "200000_…", AppSecret: os.Getenv("KINGDEE_APP_SECRET"),
//	})
//	res, err := c.BatchSave(ctx, &kingdee.BatchSaveRequest{
//		FormID: kingdee.FormPayApply,
//		Models: []kingdee.PayApply{{BillType: kingdee.Number("FKSQ01_SYS"), Date: "2024-05-01",
//			Remark: "钉钉审批 PROC-1", Custom: map[string]any{"F_VAOJ_HKSX": "货款"}}},
//		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true},
//	})
//
// # API by area
//
// All 27 DynamicFormService operations of Kingdee's own SDKs have a typed
// method:
//
//   - Bills: [Client.Save], [Client.BatchSave], [Client.Draft],
//     [Client.Disassembly] (拆单), [Client.View], [Client.Delete].
//   - Workflow of a bill: [Client.Submit], [Client.Audit], [Client.UnAudit],
//     [Client.CancelAssign] (撤销), [Client.WorkflowAudit],
//     [Client.ExecuteOperation] (ExcuteOperation on the wire: Forbid,
//     Enable, ...), [Client.Push] (下推).
//   - Queries and reports: [Client.ExecuteBillQuery], [Client.BillQuery],
//     [Query], [AllRows], [Client.GetSysReportData], [Report] and
//     [AllReportRows] (系统报表,
//     e.g. [FormPayableSummary] 应付款汇总表), [Client.QueryBusinessInfo].
//   - Base data: [Client.Allocate], [Client.CancelAllocate],
//     [Client.GroupSave], [Client.QueryGroupInfo], [Client.GroupDelete]
//     (分组), [Client.FlexSave] (弹性域).
//   - Session and messages: [Client.SwitchOrg] (切换组织), [Client.SendMsg]
//     (发送消息), [Client.GetDataCenterList], [Client.Logout].
//   - Attachments: [Client.UploadAttachment], [Client.DownloadAttachment].
//   - Anything else: [Client.Raw], with the same signing, session and errors.
//
// # Authentication
//
// [AuthSignedHeaders], the default, signs every request with the
// X-Api-* and X-Kd-* headers of 「第三方系统登录授权」: the AppID's key part
// is XOR-ed with a fixed key into the HMAC key, and signatures are base64
// of the hex HMAC-SHA256 text. A fresh timestamp is signed on every
// attempt; [WithMillisecondTimestamps] switches the unit from seconds.
// Kingdee's signature covers the path and the timestamp, not the body:
// keep BaseURL on https.
//
// [AuthLoginBySign], [AuthLoginByAppSecret], [AuthValidateUser],
// [AuthLoginBySimplePassport] (集成密钥 file in Config.Passport) and
// [AuthValidateUserEnDeCode] (deprecated by Kingdee) log in once and reuse
// the session (a cookie jar per client, plus the
// kdservice-sessionid header), refreshed every 20 minutes and shareable
// through [WithTokenStore]. When the server answers MsgCode 1
// (会话信息已丢失, "context lost"), a read logs in again and is retried
// once; a write is never replayed and returns an *[Error] matching
// [ErrAuth]. In signed-header mode MsgCode 1 means the credentials are
// wrong, and is returned at once.
//
// # Money
//
// Amounts are [hetong.Amount]: exact decimals that keep the digits they
// were given ("3500.00" stays "3500.00"), in models (PayApply.ApplyAmount,
// PayApplyEntry.ApplyAmount and PayAmount) and in query rows (a kd-tagged
// hetong.Amount field). Nothing here holds money in a float64.
//
// # Errors
//
// Every failure is an *[Error] that reads
// "kingdee: <Op>: <message> (code <MsgCode>, HTTP <status>)". Input refused
// before sending matches [ErrInvalidRequest] and names the field, e.g.
// "kingdee: NewClient: Config.BaseURL: required". For a refused call
// MsgCode is ResponseStatus.MsgCode (switch on it, not on ErrorCode; Code
// is the same number as text), and Rows lists every row error with its
// DIndex, field and message. A partially failed [Client.BatchSave]
// returns both the saved rows and the *Error; resend only the failed rows.
// Framework failures (a body starting "response_error:"), HTML pages and
// other non-JSON bodies, and transport failures are *Error values too;
// errors.Is(err, context.DeadlineExceeded) and errors.Is(err, [ErrAuth])
// work. Writes (Save, BatchSave, Submit, Audit, Push, uploads, ...) are
// never retried once they may have reached the server; reads are retried
// on transport errors and 5xx, and every call on MsgCode 14 (call limit).
//
// # Queries
//
// [Client.ExecuteBillQuery] returns the bare rows; [Query] decodes them
// into structs whose fields name their field keys in kd tags, and
// [AllRows] pages with StartRow and Limit, leaving TopRowCount (which the
// server applies before StartRow) out of the way:
//
//	type payRow struct {
//		ID     int64  `kd:"FID"`
//		BillNo string `kd:"FBillNo"`
//		Status string `kd:"FDocumentStatus"`
//	}
//	for row, err := range kingdee.AllRows[payRow](ctx, c, &kingdee.QueryRequest{
//		FormID: kingdee.FormPayApply, FilterString: "FDocumentStatus='C'"}) {
//		…
//	}
//
// # Options and signatures
//
// The options are the same as in every hetong package: [WithBaseURL],
// [WithHTTPClient], [WithTransport], [WithTimeout], [WithRetry],
// [WithRateLimit], [WithRateLimiter], [WithLogger], [WithClock],
// [WithRandom] (the x-api-nonce), [WithMaxResponseBytes],
// [WithIdleTimeout], [WithTokenStore], plus [WithMillisecondTimestamps].
// [SignHeaders] and [LoginSignature] compute the signatures the client
// sends, so that one can be reproduced for Kingdee support. Config,
// *Client and *Error print no secret with any fmt verb, and logs pass
// through the core's redaction (session ids included).
//
// # Testing
//
// Package kingdee/kingdeetest is an in-process fake of a site that checks
// signatures and every login mode, stores bills, groups and messages,
// answers queries and the 应付款汇总表 report, and injects faults:
//
//	srv := kingdeetest.NewServer()
//	defer srv.Close()
//	c := srv.Client()
//
// Kingdee has no inbound callbacks, so this package has no callback handler.
package kingdee
