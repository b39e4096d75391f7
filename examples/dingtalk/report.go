package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
	"github.com/hetong-go/hetong/examples/internal/cli"
)

// Claim is the 报销 form as this example reads it. It is the shape of
// seed 001's form; see dingtalktest.Reimbursement for every label.
type Claim = dingtalktest.Reimbursement

// report lists the instances of code started in [from, to), reads each,
// decodes its form and prints one line per instance plus a total.
func report(ctx context.Context, c *dingtalk.Client, code string, from, to time.Time, w io.Writer) error {
	var rows [][]string
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
		rows = append(rows, []string{in.BusinessID, in.CreateTime.In(china).Format("2006-01-02 15:04"),
			in.OriginatorUserID, status, claim.Category, strconv.Itoa(len(claim.Lines)), claim.Total().String()})
		total = total.Add(claim.Total())
		n++
	}
	if err := cli.Table(w, []string{"审批编号", "CREATED", "ORIGINATOR", "STATUS", "报销类别", "LINES", "AMOUNT"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d instances of %s from %s to %s, total ¥%s\n", n, code,
		from.In(china).Format("2006-01-02"), to.In(china).Format("2006-01-02"), total)
	return nil
}
