package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
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

type listWorkflowWire struct {
	ProcessCode string   `json:"processCode"`
	StartTime   int64    `json:"startTime"`
	EndTime     int64    `json:"endTime,omitempty"`
	NextToken   int64    `json:"nextToken"`
	MaxResults  int      `json:"maxResults"`
	UserIDs     []string `json:"userIds,omitempty"`
	Statuses    []string `json:"statuses,omitempty"`
}

func (r *ListWorkflowInstanceIDsRequest) wire() (*listWorkflowWire, error) {
	const name = "ListWorkflowInstanceIDsRequest"
	if r == nil {
		return nil, errors.New("dingtalk: " + name + ": must not be nil")
	}
	if err := checkWindow(name, r.ProcessCode, r.StartTime, r.EndTime); err != nil {
		return nil, err
	}
	n, err := pageSize(name+".MaxResults", r.MaxResults)
	if err != nil {
		return nil, err
	}
	if r.NextToken < 0 {
		return nil, fmt.Errorf("dingtalk: %s.NextToken: must not be negative, got %d", name, r.NextToken)
	}
	w := &listWorkflowWire{ProcessCode: r.ProcessCode, StartTime: r.StartTime.UnixMilli(), NextToken: r.NextToken,
		MaxResults: n, UserIDs: r.UserIDs, Statuses: r.Statuses}
	if !r.EndTime.IsZero() {
		w.EndTime = r.EndTime.UnixMilli()
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
// (POST /v1.0/workflow/processes/instanceIds/query).
func (c *Client) ListWorkflowInstanceIDs(ctx context.Context, req *ListWorkflowInstanceIDsRequest) (*ListWorkflowInstanceIDsResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, err
	}
	var out struct {
		Result struct {
			List      []flex.String `json:"list"`
			NextToken flex.String   `json:"nextToken"`
		} `json:"result"`
	}
	if err := c.call(ctx, apiCall{path: pathWorkflowListIDs, newAPI: true, body: w, idempotent: true}, &out); err != nil {
		return nil, err
	}
	res := &ListWorkflowInstanceIDsResponse{IDs: make([]string, len(out.Result.List))}
	for i, id := range out.Result.List {
		res.IDs[i] = string(id)
	}
	if nt := string(out.Result.NextToken); nt != "" {
		var n flex.Int64
		if err := n.UnmarshalJSON([]byte(nt)); err != nil {
			return nil, &Error{Op: pathWorkflowListIDs, Message: "nextToken is not a number", Err: err, red: c.tc.Redactor()}
		}
		res.NextToken, res.HasMore = int64(n), true
	}
	return res, nil
}

// WorkflowInstanceIDs yields every instance ID req selects, following
// nextToken until it is absent.
func (c *Client) WorkflowInstanceIDs(ctx context.Context, req *ListWorkflowInstanceIDsRequest) iter.Seq2[string, error] {
	if _, err := req.wire(); err != nil {
		return failed(err)
	}
	page := *req
	return idPages(req.NextToken, func(token int64) ([]string, int64, bool, error) {
		page.NextToken = token
		res, err := c.ListWorkflowInstanceIDs(ctx, &page)
		if err != nil {
			return nil, 0, false, err
		}
		return res.IDs, res.NextToken, res.HasMore, nil
	})
}
