// Package essbasic is a client for 腾讯电子签 渠道版 (Tencent e-Sign, partner
// edition; Tencent Cloud API "essbasic", version 2021-05-26): create and
// sign contract flows for sub-organisations, download the signed PDFs and
// receive the platform's callbacks.
package essbasic
