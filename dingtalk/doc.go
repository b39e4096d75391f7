// Package dingtalk is a client for the 钉钉 (DingTalk) open platform's
// approval (OA审批) APIs: listing and reading approval instances, decoding
// their forms into Go structs, starting approvals, and receiving encrypted
// event callbacks.
//
// # Two API families, every endpoint
//
// DingTalk serves two generations of API, and [Client] speaks both. Every
// endpoint of the approval spec (127: 99 on api.dingtalk.com, 28 on
// oapi.dingtalk.com) has a generated method named after the platform's
// action, so DingTalk's documentation applies word for word; the index
// below lists them by group.
//
//   - the new API on https://api.dingtalk.com (/v1.0/…): camelCase JSON with
//     the token in the x-acs-dingtalk-access-token header, errors as HTTP
//     4xx {code, message, requestid}; e.g. [Client.GetProcessInstance],
//     [Client.ExecuteProcessInstance], [Client.GrantProcessInstanceForDownloadFile];
//   - the old API on https://oapi.dingtalk.com (/topapi/…): POST JSON with
//     the token in ?access_token=, answers HTTP 200 with an
//     {errcode, errmsg} envelope; its methods are prefixed Oapi, e.g.
//     [Client.OapiGetProcessInstance], [Client.OapiExecuteProcessInstance].
//
// Request types carry their wire names in tags: json for the body, url for
// the query string (encoded with go-querystring), path for the URL's
// placeholders. Required fields are checked before anything is sent; the
// error wraps [ErrInvalidRequest] and names the field. Answers decode
// leniently (numbers sent as strings and the like). Premium methods (OA高级版,
// the paid edition) say so in their doc and are marked (P) in the index.
//
// Hand-written conveniences sit on top of the generated layer:
//
//   - every paging endpoint has an All… iterator (iter.Seq2) that pages for
//     the caller, bounded in pages and stopped with an error when a cursor
//     comes round again: [Client.AllProcessInstanceIds],
//     [Client.AllOapiProcessInstanceIds], [Client.AllPremiumTodoTasks], …;
//     [Client.AllInstanceIDs] and [Client.AllWorkflowInstanceIDs] take
//     time.Time windows and validate DingTalk's limits;
//   - [Client.GetInstance] and [Client.GetWorkflowInstance] decode times
//     into time.Time; [Client.CreateInstance] and
//     [Client.StartWorkflowInstance] start approvals from [FormValue]s,
//     detail tables included (FormValue.Rows), with self-selected approvers
//     (TargetSelectActioners) and a custom detail page;
//   - attachments end to end: [FormValues.Attachments] reads a DDAttachment
//     field, [Client.DownloadAttachment] gets a download URL (either
//     family) and streams the file into an io.Writer without holding it in
//     memory; [Client.DownloadFile] streams the URLs of the storage API's
//     [Client.GetFileDownloadInfo].
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
// ahead of expiry (five minutes before, or at half the life of a short-lived
// token), and fetched once however many goroutines, or processes sharing a
// TokenStore, ask at the same time. When DingTalk rejects a token (errcode
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
//			Date   time.Time     `dingtalk:"费用发生日期"`
//			Amount hetong.Amount `dingtalk:"报销金额(元)"` // exact, never float64
//		} `dingtalk:"报销明细"`
//	}
//	var c Claim
//	err := res.Instance.FormComponentValues.Decode(&c)
//
// # Errors
//
// Every failure is an [*Error] reading
// "dingtalk: <Op>: <message> (code …, request …, HTTP …)", Op being the
// method's action name. Old-API failures carry errcode as Code ("40014")
// and sub_code as SubCode; new-API failures the code string and the HTTP
// status; transport failures an empty Code and the cause in Err. Use
// [IsCode] or errors.As. Input is validated before anything is sent; those
// errors wrap [ErrInvalidRequest] and name the field
// ("GetProcessInstanceRequest.ProcessInstanceID: required"). An answer
// that must carry something but is empty, {} or null is an error too.
// Printing a [Config], a [*Client] or an [*Error] with any verb shows no
// secret.
//
// # Hosts
//
// The production hosts are the default. DingTalk has no public test host,
// so there is no WithEnvironment: test against a test organisation's app,
// or the dingtalktest fake through [WithBaseURL] and [WithNewAPIBaseURL].
//
// # Retries and rate limits
//
// Reads are retried with capped, jittered backoff on network errors, 5xx,
// errcode -1 (系统繁忙) and HTML block pages; any call on the rate-limit
// codes 90002, 90018 and 90019. Creating an instance is sent once. The
// client limits itself to DingTalk's 20 QPS per API by default
// ([WithRateLimit]).
//
// # Index by group
//
// Every endpoint of both families, generated from the spec. (P) marks the
// premium APIs of the paid OA edition (OA高级版); Oapi… methods call
// oapi.dingtalk.com, the others api.dingtalk.com.
//
// Instances (审批实例):
//
//   - [Client.ArchiveProcessInstance] (P) 归档审批实例(OA高级版专享)
//   - [Client.GetFieldModifiedHistory] 获取表单字段修改历史
//   - [Client.GetProcessInstance] 获取单个审批实例详情
//   - [Client.GetProcessInstanceWithExtra] (P) 获取审批单详情高级接口
//   - [Client.ListProcessInstanceIds] 获取审批实例ID列表
//   - [Client.OapiCreateProcessInstance] 发起审批实例
//   - [Client.OapiGetProcessInstance] 获取单个审批实例详情
//   - [Client.OapiListProcessInstanceIds] 获取审批实例ID列表
//   - [Client.OapiTerminateProcessInstance] 撤销审批实例
//   - [Client.PagesExportInstances] 分页查询实例数据
//   - [Client.PremiumGetFieldModifiedHistory] (P) 获取字段修改历史(高级版专享接口)
//   - [Client.PremiumGetNoticedInstances] (P) 查询审批中心我收到的实例列表(OA高级版专享接口)
//   - [Client.PremiumGetProcessInstances] (P) 根据processCode分页获取审批流程数据(高级版专享接口)
//   - [Client.PremiumGetSubmittedInstances] (P) 查询审批中心已发起实例列表(OA高级版专享接口)
//   - [Client.PremiumUpdateProcessInstanceVariables] (P) 更新审批实例(OA高级版专享)
//   - [Client.ProcessForecast] 审批流程预测
//   - [Client.QueryAllProcessInstances] 批量查询审批流程实例
//   - [Client.StartProcessInstance] 创建审批实例
//   - [Client.TerminateProcessInstance] 撤销审批实例
//
// Tasks (审批任务):
//
//   - [Client.BatchExecuteProcessInstances] 批量同意或拒绝审批任务
//   - [Client.BatchTasksRedirect] 批量流程审批任务转交
//   - [Client.ExecuteProcessInstance] 同意或拒绝审批任务
//   - [Client.GetUserTodoTaskSum] 获取用户待审批数量
//   - [Client.OapiExecuteProcessInstance] 同意或拒绝审批任务
//   - [Client.OapiGetTodoNum] 获取用户待审批数量
//   - [Client.PremiumAppendTask] (P) 加签OA审批任务(OA高级版专享)
//   - [Client.PremiumBatchExecuteProcessInstances] (P) 批量同意或拒绝审批任务(OA高级版专享接口)
//   - [Client.PremiumGetDoneTasks] (P) 查询审批中心已处理任务列表(OA高级版专享接口)
//   - [Client.PremiumGetTodoTasks] (P) 查询审批中心待处理任务列表(OA高级版专享接口)
//   - [Client.PremiumQueryTodoTasksByManager] (P) 流程转交待处理任务查询(高级版专享接口)
//   - [Client.PremiumRedirectTasksByManager] (P) 批量流程审批任务转交(高级版专享接口)
//   - [Client.PremiumRevertTask] (P) 退回OA审批任务(OA高级版专享)
//   - [Client.RedirectWorkflowTask] 转交OA审批任务
//   - [Client.TodoTasks] 流程转交待处理任务查询
//
// Comments (评论):
//
//   - [Client.AddProcessInstanceComment] 添加审批评论
//   - [Client.OapiAddProcessInstanceComment] 添加审批评论
//
// Attachments (审批附件, 钉盘):
//
//   - [Client.AddApproveDentryAuth] 授权下载审批钉盘文件
//   - [Client.CommitFile] 提交文件
//   - [Client.GetAttachmentSpace] 获取审批钉盘空间信息
//   - [Client.GetDentry] 获取文件(夹)信息
//   - [Client.GetDownloadInfo] 获取下载信息
//   - [Client.GetFileDownloadInfo] 获取文件下载信息
//   - [Client.GetFileUploadInfo] 获取文件上传信息
//   - [Client.GetHandSignDownloadUrl] (P) 获取手写签名的下载链接
//   - [Client.GetSpaceWithDownloadAuth] 授权预览审批附件
//   - [Client.GrantCspaceAuthorization] 授权用户钉盘空间权限
//   - [Client.GrantProcessInstanceForDownloadFile] 下载审批附件
//   - [Client.OapiAuthorizeDentryDownload] 授权下载审批钉盘文件
//   - [Client.OapiGetCspaceInfo] 获取审批钉盘空间信息
//   - [Client.OapiGetProcessInstanceFileUrl] 下载审批附件
//   - [Client.OapiPreviewCspaceFile] 授权预览审批附件
//   - [Client.PremiumAddApproveDentryAuth] (P) 授权下载审批钉盘文件(OA高级版专享)
//   - [Client.PremiumGetAttachmentSpace] (P) 获取审批钉盘空间信息(OA高级版专享)
//   - [Client.PremiumGetSpaceWithDownloadAuth] (P) 授权预览审批附件(OA高级版专享)
//   - [Client.PremiumGrantProcessInstanceForDownloadFile] (P) 下载审批附件(OA高级版专享)
//
// To-dos (待办):
//
//   - [Client.CountTodoTasks] 查询用户待办计数
//   - [Client.CountWorkRecord] 查询个人单企业待办数
//   - [Client.CreateTodoTask] 创建待办
//   - [Client.DeleteTodoTask] 删除待办
//   - [Client.GetTodoTask] 查询待办
//   - [Client.GetTodoTaskBySourceId] 根据sourceId查询待办详情
//   - [Client.ListTodoWorkRecords] 查询用户待办事项
//   - [Client.OapiAddWorkrecord] 新增钉钉待办任务
//   - [Client.OapiGetWorkrecordsByUserId] 获取用户待办事项
//   - [Client.OapiUpdateWorkrecord] 更新待办
//   - [Client.QueryOrgTodoByUser] 查询用户企业类型待办列表
//   - [Client.UpdateTodoTask] 更新待办
//   - [Client.UpdateTodoTaskExecutorStatus] 更新待办执行者状态
//
// Forms (表单):
//
//   - [Client.FormCreate] 创建或更新审批表单模板
//   - [Client.GetConditionFormComponent] 查询已设置为条件的表单组件
//   - [Client.OapiListFormConditions] 获取表单中设置为条件的组件
//   - [Client.PremiumDeleteFormInstance] (P) 删除数据表单实例(OA高级版专享)
//   - [Client.PremiumGetFormInstance] (P) 获取单个数据表单实例详情(OA高级版专享)
//   - [Client.PremiumGetFormInstances] (P) 根据formCode分页获取数据表单实例(OA高级版专享)
//   - [Client.PremiumGetFormSchema] (P) 通过formCode获取数据表单schema(OA高级版专享)
//   - [Client.PremiumGetInstFieldSetting] (P) 获取流程表单字段操作权限(高级版专享接口)
//   - [Client.PremiumSaveForm] (P) 创建或更新数据表单模板(OA高级版专享)
//   - [Client.PremiumSaveFormInstance] (P) 创建数据表单实例(OA高级版专享)
//   - [Client.PremiumUpdateFormInstance] (P) 更新数据表单实例(OA高级版专享)
//   - [Client.QueryAllFormInstances] 根据processCode分页获取表单数据
//   - [Client.QueryFormByBizType] 根据业务标识查询表单描述信息
//   - [Client.QueryFormInstance] 查询数据表单
//   - [Client.QuerySchemaByProcessCode] 通过 processCode 获取表单 schema 信息
//
// Templates (审批模板):
//
//   - [Client.CleanProcessData] 清理审批数据
//   - [Client.CopyProcess] 复制审批流
//   - [Client.DeleteDir] 删除分组
//   - [Client.DeleteProcess] 删除模板
//   - [Client.GetCrmProcCodes] 获取CRM所有流程code
//   - [Client.GetManageProcessByStaffId] 获取当前企业所有可管理的表单
//   - [Client.GetProcessCodeByName] 获取模板code
//   - [Client.GetProcessConfig] 获取流程配置
//   - [Client.GetSchemaAndProcessconfigBatchlly] 根据模版code列表批量查询模板最新表单和流程配置
//   - [Client.InsertOrUpdateDir] 创建或更新分组
//   - [Client.InstallApp] 应用安装
//   - [Client.ListUserVisibleBpmsProcesses] 获取指定用户可见的审批表单列表
//   - [Client.OapiDeleteProcess] 删除模板
//   - [Client.OapiGetManageableTemplates] 获取当前企业所有可管理的表单
//   - [Client.OapiGetProcessCodeByName] 获取模板code
//   - [Client.OapiListProcessByUserId] 获取指定用户可见的审批表单列表
//   - [Client.OapiSaveProcess] 创建或更新审批模板
//   - [Client.PremiumDelDir] (P) 删除业务分组(高级版专享接口)
//   - [Client.PremiumInsertOrUpdateDir] (P) 创建或更新分组(高级版专享接口)
//   - [Client.PremiumQuerySchemaAndProcessByCodeList] (P) 批量获取审批模板信息（包含表单和流程配置信息）(高级版专享接口)
//   - [Client.QueryProcessByBizCategoryId] 根据业务标识查询模板
//   - [Client.QuerySchemaAndProcess] 蓝凌获取schema和流程信息
//
// Integration (三方流程对接, 流程中心):
//
//   - [Client.BatchUpdateProcessInstance] 批量更新实例状态
//   - [Client.CancelIntegratedTask] 批量取消流程中心待处理任务
//   - [Client.CreateIntegratedTask] 创建流程中心待处理任务
//   - [Client.OapiBatchUpdateWorkrecordInstances] 批量更新实例状态
//   - [Client.OapiCancelWorkrecordTaskGroup] 批量取消待办
//   - [Client.OapiCreateWorkrecordInstance] 创建实例
//   - [Client.OapiCreateWorkrecordTasks] 创建待办任务
//   - [Client.OapiQueryWorkrecordTasks] 查询待办列表
//   - [Client.OapiUpdateWorkrecordInstance] 更新实例状态
//   - [Client.OapiUpdateWorkrecordTasks] 更新待办状态
//   - [Client.PremiumSaveIntegratedProcess] (P) 创建或更新流程中心外部集成模板(高级版专享接口)
//   - [Client.PremiumSaveIntegratedProcessInstance] (P) 创建流程中心外部集成实例(高级版专享接口)
//   - [Client.PremiumSaveIntegratedTask] (P) 创建流程中心外部集成待处理任务(高级版专享接口)
//   - [Client.QueryIntegratedTodoTask] 查询通过流程中心集成的OA审批任务
//   - [Client.SaveIntegratedInstance] 创建实例
//   - [Client.SaveProcess] 创建或更新审批模板
//   - [Client.UpdateIntegratedTask] 更新流程中心任务状态
//   - [Client.UpdateProcessInstance] 更新实例状态
//
// Authentication (access tokens):
//
//   - [Client.GetAccessToken] 获取企业accessToken(企业内部应用)
//   - [Client.GetCorpAccessToken] 获取企业accessToken(应用商店应用)
//   - [Client.OapiGetAccessToken] 获取企业内部应用的access_token
//
// Other:
//
//   - [Client.OpenConnection] 云上网关注册长连接
//
// # Callbacks
//
// [NewCallbackHandler] (or [Client.NewCallbackHandler], which takes the
// client's deduper, clock, randomness and logger) serves DingTalk's HTTP
// event pushes: it verifies the signature ([CallbackSignature]), checks the
// timestamp, decrypts with [Crypto], answers check_url, decodes
// bpms_instance_change and bpms_task_change into typed events (others stay
// raw), and calls your [EventHandler]. The encrypted "success" goes back
// only after it returned nil; each message (identified by its eventId or
// the digest of its content, never by the signature's spelling) is
// reserved before the handler runs, committed after it succeeded, and
// released after an error or a recovered panic, so DingTalk's next push
// runs it again. Rejections wrap the shared sentinels ([ErrSignature],
// [ErrStale], [ErrReplay], [ErrDecrypt], [ErrMalformed], [ErrTooLarge]);
// [CallbackStatus] gives the HTTP status answered. Stream mode delivers to
// the same EventHandler type. Treat approval events as triggers and
// re-read the instance: they repeat and arrive out of order.
//
// # Stream mode
//
// Stream mode (Stream 模式) is DingTalk's modern way to receive events: the
// client opens a WebSocket, so no public URL and no callback crypto are
// needed. [NewStreamClient] takes a [Client] and the same [EventHandler] as
// the HTTP callback; [StreamClient.Run] asks the gateway
// (POST /v1.0/gateway/connections/open) for a fresh ticket on every
// connect, answers ping, reconnects after a disconnect or a dropped
// connection with capped, jittered backoff, acknowledges SUCCESS only
// after the handler returned nil (LATER otherwise, so DingTalk pushes the
// event again), deduplicates by eventId through the client's
// [WithDeduper], and returns once its ctx ends and in-flight handlers
// have finished:
//
//	sc, err := dingtalk.NewStreamClient(client, handle)
//	if err != nil { … }
//	err = sc.Run(ctx) // until ctx ends
//
// # Testing
//
// Package dingtalktest is an in-process fake of both hosts. It serves every
// endpoint of the spec (checking tokens and required fields, answering
// stateless endpoints with a sample of their response shape) and keeps
// state for instances, tasks (execute and terminate change them), comments,
// attachments with downloadable bytes and todo counts; it also pushes
// encrypted events to a callback URL, and serves the Stream gateway and
// WebSocket (push, ping, disconnect, drop, recorded ACKs).
package dingtalk
