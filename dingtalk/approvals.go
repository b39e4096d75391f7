package dingtalk

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"
)

// MaxPageSize is the largest page processinstance/listids and the new
// instanceIds/query accept.
const MaxPageSize = 20

// Instance statuses (status) and results (result) of an approval.
const (
	StatusNew        = "NEW"
	StatusRunning    = "RUNNING"
	StatusTerminated = "TERMINATED"
	StatusCompleted  = "COMPLETED"
	StatusCanceled   = "CANCELED"

	ResultAgree  = "agree"
	ResultRefuse = "refuse"
)

// ListInstanceIDsRequest asks topapi/processinstance/listids for the IDs of
// the instances of one approval form started in a time window.
type ListInstanceIDsRequest struct {
	ProcessCode string    // 审批流的唯一码, "PROC-…" (required)
	StartTime   time.Time // instances started at or after (required)
	EndTime     time.Time // and before; zero means now
	Size        int       // page size, 1..20; 0 means 20
	Cursor      int64     // 0 first, then the previous NextCursor
	UserIDs     []string  // only these originators (at most 20)
}

func (r *ListInstanceIDsRequest) wire() (*OapiListProcessInstanceIdsRequest, error) {
	const name = "ListInstanceIDsRequest"
	if r == nil {
		return nil, invalid(name, "required")
	}
	if err := checkWindow(name, r.ProcessCode, r.StartTime, r.EndTime); err != nil {
		return nil, err
	}
	size, err := pageSize(name+".Size", r.Size)
	if err != nil {
		return nil, err
	}
	if r.Cursor < 0 {
		return nil, invalid(name+".Cursor", "must not be negative")
	}
	if len(r.UserIDs) > 20 {
		return nil, invalid(name+".UserIDs", "at most 20 items")
	}
	w := &OapiListProcessInstanceIdsRequest{ProcessCode: r.ProcessCode, StartTime: r.StartTime.UnixMilli(),
		Size: ptr(int64(size)), Cursor: ptr(r.Cursor)}
	if len(r.UserIDs) > 0 {
		w.UserIDList = strings.Join(r.UserIDs, ",")
	}
	if !r.EndTime.IsZero() {
		w.EndTime = ptr(r.EndTime.UnixMilli())
	}
	return w, nil
}

// checkWindow validates the fields every instance-ID listing shares.
func checkWindow(name, processCode string, start, end time.Time) error {
	if strings.TrimSpace(processCode) == "" {
		return invalid(name+".ProcessCode", "required")
	}
	if start.IsZero() {
		return invalid(name+".StartTime", "required")
	}
	if !end.IsZero() && end.Before(start) {
		return invalid(name+".EndTime", "must not be before StartTime")
	}
	return nil
}

func pageSize(field string, n int) (int, error) {
	switch {
	case n == 0:
		return MaxPageSize, nil
	case n < 0:
		return 0, invalid(field, "must not be negative")
	case n > MaxPageSize:
		return 0, invalid(field, fmt.Sprintf("at most %d", MaxPageSize))
	}
	return n, nil
}

// ListInstanceIDsResponse is one page of instance IDs.
type ListInstanceIDsResponse struct {
	IDs        []string
	NextCursor int64 // pass as Cursor for the next page when HasMore
	HasMore    bool  // false when DingTalk sent no next_cursor
	RequestID  string
}

// ListInstanceIDs returns one page of the IDs of instances of
// req.ProcessCode started in [StartTime, EndTime]
// (POST /topapi/processinstance/listids, through
// [Client.OapiListProcessInstanceIds]). Use [Client.AllInstanceIDs] to
// page through all of them.
func (c *Client) ListInstanceIDs(ctx context.Context, req *ListInstanceIDsRequest) (*ListInstanceIDsResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, c.withOp("ListInstanceIDs", err)
	}
	out, err := c.OapiListProcessInstanceIds(ctx, w)
	if err != nil {
		return nil, err
	}
	res := &ListInstanceIDsResponse{RequestID: out.RequestID}
	if out.Result != nil {
		res.IDs = out.Result.List
		res.NextCursor, res.HasMore = out.Result.NextCursor, out.Result.NextCursor != 0
	}
	return res, nil
}

// AllInstanceIDs yields every instance ID req selects, fetching pages as
// the loop asks for them and following next_cursor until DingTalk stops
// sending one. req.Cursor is the starting cursor. A cursor that comes
// round again ends the loop with an error; after an error it yields
// nothing more.
func (c *Client) AllInstanceIDs(ctx context.Context, req *ListInstanceIDsRequest) iter.Seq2[string, error] {
	return paginate(ctx, req, c.ListInstanceIDs, pager[ListInstanceIDsRequest, ListInstanceIDsResponse, string]{
		op: "AllInstanceIDs", kind: "token",
		cursor:    func(r *ListInstanceIDsRequest) any { return r.Cursor },
		setCursor: func(r *ListInstanceIDsRequest, next string) error { return setCursor(&r.Cursor, next) },
		next: func(r *ListInstanceIDsResponse) any {
			if !r.HasMore {
				return nil
			}
			return r.NextCursor
		},
		items: func(r *ListInstanceIDsResponse) []string { return r.IDs },
	})
}
