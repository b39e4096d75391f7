package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/kingdee"
)

// attach copies each invoice file of an approved claim onto its new bill.
// Every file streams from DingTalk straight into Kingdee's chunked upload
// through a pipe: no file is ever held in memory whole. It returns the
// Kingdee file ids of the files attached and the first failure.
func (s *syncer) attach(ctx context.Context, instanceID string, files []dingtalk.Attachment, bill kingdee.Entity) ([]string, error) {
	var ids []string
	for _, f := range files {
		id, err := s.copyFile(ctx, instanceID, f, bill)
		if err != nil {
			return ids, fmt.Errorf("attaching %s: %w", f.FileName, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (s *syncer) copyFile(ctx context.Context, instanceID string, f dingtalk.Attachment, bill kingdee.Entity) (string, error) {
	pr, pw := io.Pipe()
	go func() {
		_, err := s.dt.DownloadAttachment(ctx, &dingtalk.DownloadAttachmentRequest{ProcessInstanceID: instanceID, FileID: f.FileID}, pw)
		pw.CloseWithError(err) // nil: the upload sees the end of the file
	}()
	res, err := s.kd.UploadAttachment(ctx, &kingdee.AttachmentUploadRequest{FormID: s.m.FormID, InterID: bill.ID, BillNo: bill.Number,
		FileName: f.FileName, Body: pr})
	pr.CloseWithError(err) // stop the download if the upload gave up
	if err != nil {
		return "", err
	}
	return res.FileID, nil
}
