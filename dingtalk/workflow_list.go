package dingtalk

import (
	"context"
	"iter"
	"strconv"
	"time"
)

// ListWorkflowInstanceIDsRequest selects instance IDs through the new API.
type ListWorkflowInstanceIDsRequest struct {
	ProcessCode string    // required
	StartTime   time.Time // required
	EndTime     time.Time // optional
	NextToken   int64     // 0 first, then the previous NextToken
	MaxResults  int       // 1..20; 0 means 20
	UserIDs     []string  // originators, optional
	Statuses    []string  // RUNNING, TERMINATED, COMPLETED; optional
}

func (r *ListWorkflowInstanceIDsRequest) wire() (*ListProcessInstanceIdsRequest, error) {
	const name = "ListWorkflowInstanceIDsRequest"
	if r == nil {
		return nil, invalid(name, "required")
	}
	if err := checkWindow(name, r.ProcessCode, r.StartTime, r.EndTime); err != nil {
		return nil, err
	}
	n, err := pageSize(name+".MaxResults", r.MaxResults)
	if err != nil {
		return nil, err
	}
	if r.NextToken < 0 {
		return nil, invalid(name+".NextToken", "must not be negative")
	}
	w := &ListProcessInstanceIdsRequest{ProcessCode: r.ProcessCode, StartTime: r.StartTime.UnixMilli(), NextToken: r.NextToken,
		MaxResults: int64(n), UserIDs: r.UserIDs, Statuses: r.Statuses}
	if !r.EndTime.IsZero() {
		w.EndTime = ptr(r.EndTime.UnixMilli())
	}
	return w, nil
}

// ListWorkflowInstanceIDsResponse is one page of IDs.
type ListWorkflowInstanceIDsResponse struct {
	IDs       []string
	NextToken int64 // pass as NextToken for the next page when HasMore
	HasMore   bool
}

// ListWorkflowInstanceIDs returns one page of instance IDs
// (POST /v1.0/workflow/processes/instanceIds/query, through
// [Client.ListProcessInstanceIds]).
func (c *Client) ListWorkflowInstanceIDs(ctx context.Context, req *ListWorkflowInstanceIDsRequest) (*ListWorkflowInstanceIDsResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, c.withOp("ListWorkflowInstanceIDs", err)
	}
	out, err := c.ListProcessInstanceIds(ctx, w)
	if err != nil {
		return nil, err
	}
	res := &ListWorkflowInstanceIDsResponse{}
	if out.Result == nil {
		return res, nil
	}
	res.IDs = out.Result.List
	if nt := out.Result.NextToken; nt != "" {
		n, err := strconv.ParseInt(nt, 10, 64)
		if err != nil {
			return nil, &Error{Op: "ListWorkflowInstanceIDs", Message: "nextToken is not a number", Err: err, red: c.tc.Redactor()}
		}
		res.NextToken, res.HasMore = n, true
	}
	return res, nil
}

// AllWorkflowInstanceIDs yields every instance ID req selects, following
// nextToken until it is absent. A token that comes round again ends the
// loop with an error.
func (c *Client) AllWorkflowInstanceIDs(ctx context.Context, req *ListWorkflowInstanceIDsRequest) iter.Seq2[string, error] {
	return paginate(ctx, req, c.ListWorkflowInstanceIDs, pager[ListWorkflowInstanceIDsRequest, ListWorkflowInstanceIDsResponse, string]{
		op: "AllWorkflowInstanceIDs", kind: "token",
		cursor:    func(r *ListWorkflowInstanceIDsRequest) any { return r.NextToken },
		setCursor: func(r *ListWorkflowInstanceIDsRequest, next string) error { return setCursor(&r.NextToken, next) },
		next: func(r *ListWorkflowInstanceIDsResponse) any {
			if !r.HasMore {
				return nil
			}
			return r.NextToken
		},
		items: func(r *ListWorkflowInstanceIDsResponse) []string { return r.IDs },
	})
}
