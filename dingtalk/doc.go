// Package dingtalk is a client for the 钉钉 (DingTalk) open platform's
// approval (OA审批) APIs: listing and reading approval instances, decoding
// their forms into Go structs, starting approvals, and receiving encrypted
// event callbacks.
//
// # Two API families
//
// DingTalk serves two generations of API, and [Client] speaks both:
//
//   - the old API on https://oapi.dingtalk.com (/topapi/…): POST JSON with
//     the token in ?access_token=, answers HTTP 200 with an
//     {errcode, errmsg} envelope; [Client.ListInstanceIDs],
//     [Client.InstanceIDs], [Client.GetInstance], [Client.CreateInstance];
//   - the new API on https://api.dingtalk.com (/v1.0/…): camelCase JSON with
//     the token in the x-acs-dingtalk-access-token header, errors as HTTP
//     4xx {code, message, requestid}; [Client.ListWorkflowInstanceIDs],
//     [Client.WorkflowInstanceIDs], [Client.GetWorkflowInstance],
//     [Client.StartWorkflowInstance].
//
// [Client.Raw] calls any other endpoint of either family with the same
// tokens, checks and errors. Both hosts can be replaced with [WithBaseURL]
// and [WithNewAPIBaseURL].
//
// # Authentication
//
// [NewClient] takes the app's AppKey and AppSecret. Access tokens (old:
// GET /gettoken; new: POST /v1.0/oauth2/accessToken) are fetched on first
// use, cached per app (in memory, or in a shared [TokenStore]), refreshed
// five minutes before their 7200 s expire, and fetched once however many
// goroutines ask at the same time. When DingTalk rejects a token (errcode
// 40014, 42001, 88 with sub_code 40014, or InvalidAuthentication) the token
// is dropped and the call is retried once with a fresh one.
//
// # Forms
//
// Form values arrive as strings; a detail table (明细, TableField) arrives
// as a JSON string of rows, which may hold further tables. [FormValues.Decode]
// maps them by label into a struct:
//
//	type Claim struct {
//		Category string `dingtalk:"报销类别"`
//		Lines    []struct {
//			Date   time.Time      `dingtalk:"费用发生日期"`
//			Amount dingtalk.Money `dingtalk:"报销金额(元)"`
//		} `dingtalk:"报销明细"`
//	}
//	var c Claim
//	err := res.Instance.FormComponentValues.Decode(&c)
//
// # Errors
//
// Every method that went on the wire fails with an [*Error]. Old-API
// failures carry errcode as Code ("40014") and sub_code as SubCode; new-API
// failures the code string and the HTTP status; transport failures an
// empty Code and the cause in Err. Use [IsCode] or errors.As. Input is
// validated before anything is sent; those errors name the field.
//
// # Retries and rate limits
//
// Reads are retried with capped, jittered backoff on network errors, 5xx,
// errcode -1 (系统繁忙) and HTML block pages; any call on the rate-limit
// codes 90002, 90018 and 90019. Creating an instance is sent once. The
// client limits itself to DingTalk's 20 QPS per API by default
// ([WithRateLimit]).
//
// # Callbacks
//
// [NewCallbackHandler] serves DingTalk's HTTP event pushes: it verifies the
// signature, checks the timestamp and replays, decrypts with [Crypto],
// answers check_url, decodes bpms_instance_change and bpms_task_change
// into typed events (others stay raw), and replies with the encrypted
// "success" once your function returned nil. Treat approval events as
// triggers and re-read the instance: they repeat and arrive out of order.
//
// # Testing
//
// Package dingtalktest is an in-process fake of both hosts, with seedable
// instances and encrypted event pushes.
package dingtalk
