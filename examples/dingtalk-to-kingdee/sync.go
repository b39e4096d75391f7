package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/kingdee"
)

// Link is one line of the write-back: which instance became which bill.
type Link struct {
	InstanceID string `json:"instanceId"`
	BusinessID string `json:"businessId"` // 审批编号
	BillID     string `json:"billId"`     // FID
	BillNo     string `json:"billNo"`     // FBillNo
	State      string `json:"state"`      // created, existing, failed, skipped
	Reason     string `json:"reason,omitempty"`
	// Files are the Kingdee file ids of the invoices attached to the bill.
	Files []string `json:"files,omitempty"`
}

// Report counts what a run did.
type Report struct {
	Read, Saved, Existing, Skipped, Failed int
	// Attached counts the invoice files copied onto new bills.
	Attached int
	Links    []Link
}

// syncer moves approved reimbursements from DingTalk to Kingdee.
type syncer struct {
	dt        *dingtalk.Client
	kd        *kingdee.Client
	m         *Mapping
	batchSize int
	progress  io.Writer
}

type pending struct {
	link  Link
	bill  map[string]any
	files []dingtalk.Attachment // invoices to attach once the bill exists
}

// run pages through the instances of processCode started in [from, to),
// saves a bill for each approved one that has none yet, and reports.
func (s *syncer) run(ctx context.Context, processCode string, from, to time.Time) (*Report, error) {
	rep := &Report{}
	var batch []pending
	for id, err := range s.dt.AllInstanceIDs(ctx, &dingtalk.ListInstanceIDsRequest{ProcessCode: processCode, StartTime: from, EndTime: to}) {
		if err != nil {
			return rep, fmt.Errorf("listing DingTalk instances: %w", err)
		}
		rep.Read++
		p, link := s.prepare(ctx, id)
		if p == nil {
			s.record(rep, link)
			continue
		}
		batch = append(batch, *p)
		if len(batch) >= s.batchSize {
			s.save(ctx, rep, batch)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		s.save(ctx, rep, batch)
	}
	return rep, nil
}

// prepare reads one instance and builds its bill; it returns nil and a
// finished link when there is nothing to save.
func (s *syncer) prepare(ctx context.Context, id string) (*pending, Link) {
	link := Link{InstanceID: id}
	got, err := s.dt.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
	if err != nil {
		link.State, link.Reason = "failed", "reading the instance: "+err.Error()
		return nil, link
	}
	inst := got.Instance
	link.BusinessID = inst.BusinessID
	if inst.Status != dingtalk.StatusCompleted || inst.Result != dingtalk.ResultAgree {
		link.State, link.Reason = "skipped", fmt.Sprintf("status %s, result %s: only approved claims are paid", inst.Status, inst.Result)
		return nil, link
	}
	if bill, err := s.existing(ctx, id); err != nil {
		link.State, link.Reason = "failed", "looking for an earlier bill: "+err.Error()
		return nil, link
	} else if bill != nil {
		link.BillID, link.BillNo, link.State = bill.ID, bill.No, "existing"
		return nil, link
	}
	model, err := s.m.Bill(inst, id)
	if err != nil {
		link.State, link.Reason = "failed", "mapping the form: "+err.Error()
		return nil, link
	}
	var files []dingtalk.Attachment
	if s.m.Attachments != "" {
		if files, err = inst.FormComponentValues.Attachments(s.m.Attachments); err != nil {
			link.State, link.Reason = "failed", "reading the invoice field: "+err.Error()
			return nil, link
		}
	}
	return &pending{link: link, bill: model, files: files}, link
}

type billRef struct {
	ID string `kd:"FID"`
	No string `kd:"FBillNo"`
}

// existing finds a bill saved for this instance by an earlier run.
func (s *syncer) existing(ctx context.Context, instanceID string) (*billRef, error) {
	rows, err := kingdee.Query[billRef](ctx, s.kd, &kingdee.QueryRequest{
		FormID:       s.m.FormID,
		FilterString: fmt.Sprintf("%s = '%s'", s.m.SourceField, quote(instanceID)),
		Limit:        1,
	})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// quote escapes a value for a Kingdee filter string.
func quote(v string) string {
	out := make([]rune, 0, len(v))
	for _, r := range v {
		if r == '\'' {
			out = append(out, '\'')
		}
		out = append(out, r)
	}
	return string(out)
}

// save sends one BatchSave, submitted and audited as seed 001 does, and
// records each row. A write is never re-sent automatically: a failed batch
// is reported, and the next run finds whatever was saved by its source field.
func (s *syncer) save(ctx context.Context, rep *Report, batch []pending) {
	models := make([]map[string]any, len(batch))
	for i, p := range batch {
		models[i] = p.bill
	}
	res, err := s.kd.BatchSave(ctx, &kingdee.BatchSaveRequest{FormID: s.m.FormID, Models: models,
		SaveOptions: kingdee.SaveOptions{IsAutoSubmitAndAudit: true, NeedReturnFields: []string{"FBillNo"}}})
	saved := map[int]kingdee.Entity{}
	reasons := map[int]string{}
	if res != nil {
		for _, e := range res.Entities {
			saved[e.DIndex] = e
		}
	}
	var kerr *kingdee.Error
	if errors.As(err, &kerr) {
		for _, e := range kerr.Saved {
			saved[e.DIndex] = e
		}
		for _, r := range kerr.Rows {
			reasons[r.DIndex] += r.Message + " "
		}
	}
	for i, p := range batch {
		link := p.link
		if e, ok := saved[i]; ok {
			link.BillID, link.BillNo, link.State = e.ID, e.Number, "created"
			ids, aerr := s.attach(ctx, link.InstanceID, p.files, e)
			link.Files = ids
			rep.Attached += len(ids)
			if aerr != nil {
				// The bill stands; say which invoice is missing so it can be attached by hand.
				link.Reason = aerr.Error()
			}
		} else {
			link.State, link.Reason = "failed", reasons[i]
			if link.Reason == "" && err != nil {
				link.Reason = err.Error()
			}
		}
		s.record(rep, link)
	}
}

func (s *syncer) record(rep *Report, l Link) {
	switch l.State {
	case "created":
		rep.Saved++
	case "existing":
		rep.Existing++
	case "skipped":
		rep.Skipped++
	default:
		rep.Failed++
	}
	rep.Links = append(rep.Links, l)
	fmt.Fprintf(s.progress, "%-9s %s %s %s\n", l.State, l.InstanceID, l.BillNo, l.Reason)
}
