// Package hetong holds the few value types every platform package of the
// SDK shares: [Amount], an exact decimal money amount that never passes
// through float64, and [Ptr], for optional request fields.
//
// The platform clients live in the sub-packages:
//
//	zhenling   甄零开放平台 (contract lifecycle)
//	essbasic   腾讯电子签 渠道版 (e-signature, Tencent Cloud essbasic)
//	qiyuesuo   契约锁开放平台 (e-signature)
//	zeyi       则一审批网关 (approvals)
//	dingtalk   钉钉开放平台 (approvals, Stream mode)
//	kingdee    金蝶云星空 WebAPI (ERP)
//
// Every package shows the same face: NewClient(Config, ...Option), ctx-first
// typed calls, a typed *Error, callbacks that acknowledge only after the
// handler succeeded, All<Things> iterators, and a fake in <pkg>test.
// This package imports no platform package.
package hetong
