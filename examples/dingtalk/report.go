package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// Claim is the 报销 form as this example reads it. It is the shape of
// seed 001's form; see dingtalktest.Reimbursement for every label.
type Claim = dingtalktest.Reimbursement

// report lists the instances of code started in [from, to), reads each,
// decodes its form and prints one line per instance plus a total.
func report(ctx context.Context, c *dingtalk.Client, code string, from, to time.Time, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "BUSINESS ID\tCREATED\tORIGINATOR\tSTATUS\tCATEGORY\tLINES\tAMOUNT")
	var total hetong.Amount
	n := 0
	req := &dingtalk.ListInstanceIDsRequest{ProcessCode: code, StartTime: from, EndTime: to.Add(-time.Millisecond)}
	for id, err := range c.AllInstanceIDs(ctx, req) {
		if err != nil {
			return err
		}
		res, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
		if err != nil {
			return err
		}
		in := res.Instance
		var claim Claim
		if err := in.FormComponentValues.Decode(&claim); err != nil {
			return fmt.Errorf("instance %s: %w", id, err)
		}
		status := in.Status
		if in.Result != "" {
			status += "/" + in.Result
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", in.BusinessID, in.CreateTime.In(china).Format("2006-01-02 15:04"),
			in.OriginatorUserID, status, claim.Category, len(claim.Lines), claim.Total())
		total = total.Add(claim.Total())
		n++
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d instances of %s from %s to %s, total ¥%s\n", n, code,
		from.In(china).Format("2006-01-02"), to.In(china).Format("2006-01-02"), total)
	return nil
}
