package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/hetong-go/hetong/internal/flex"
)

// Old-API (oapi) approval paths.
const (
	pathListIDs        = "/topapi/processinstance/listids"
	pathGetInstance    = "/topapi/processinstance/get"
	pathCreateInstance = "/topapi/processinstance/create"
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

type listIDsWire struct {
	ProcessCode string `json:"process_code"`
	StartTime   int64  `json:"start_time"`
	EndTime     int64  `json:"end_time,omitempty"`
	Size        int    `json:"size"`
	Cursor      int64  `json:"cursor"`
	UserIDList  string `json:"userid_list,omitempty"`
}

func (r *ListInstanceIDsRequest) wire() (*listIDsWire, error) {
	const name = "ListInstanceIDsRequest"
	if r == nil {
		return nil, errors.New("dingtalk: " + name + ": must not be nil")
	}
	if err := checkWindow(name, r.ProcessCode, r.StartTime, r.EndTime); err != nil {
		return nil, err
	}
	size, err := pageSize(name+".Size", r.Size)
	if err != nil {
		return nil, err
	}
	if r.Cursor < 0 {
		return nil, fmt.Errorf("dingtalk: %s.Cursor: must not be negative, got %d", name, r.Cursor)
	}
	if len(r.UserIDs) > 20 {
		return nil, fmt.Errorf("dingtalk: %s.UserIDs: at most 20, got %d", name, len(r.UserIDs))
	}
	w := &listIDsWire{ProcessCode: r.ProcessCode, StartTime: r.StartTime.UnixMilli(), Size: size,
		Cursor: r.Cursor, UserIDList: strings.Join(r.UserIDs, ",")}
	if !r.EndTime.IsZero() {
		w.EndTime = r.EndTime.UnixMilli()
	}
	return w, nil
}

// checkWindow validates the fields every instance-ID listing shares.
func checkWindow(name, processCode string, start, end time.Time) error {
	if strings.TrimSpace(processCode) == "" {
		return fmt.Errorf("dingtalk: %s.ProcessCode: must not be empty", name)
	}
	if start.IsZero() {
		return fmt.Errorf("dingtalk: %s.StartTime: must be set", name)
	}
	if !end.IsZero() && end.Before(start) {
		return fmt.Errorf("dingtalk: %s.EndTime: %s is before StartTime %s", name,
			end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	return nil
}

func pageSize(field string, n int) (int, error) {
	switch {
	case n == 0:
		return MaxPageSize, nil
	case n < 0 || n > MaxPageSize:
		return 0, fmt.Errorf("dingtalk: %s: must be 1..%d, got %d", field, MaxPageSize, n)
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
// (POST /topapi/processinstance/listids). Use [Client.InstanceIDs] to page
// through all of them.
func (c *Client) ListInstanceIDs(ctx context.Context, req *ListInstanceIDsRequest) (*ListInstanceIDsResponse, error) {
	w, err := req.wire()
	if err != nil {
		return nil, err
	}
	var out struct {
		RequestID string `json:"request_id"`
		Result    struct {
			List       []flex.String `json:"list"`
			NextCursor *flex.Int64   `json:"next_cursor"`
		} `json:"result"`
	}
	if err := c.call(ctx, apiCall{path: pathListIDs, body: w, idempotent: true}, &out); err != nil {
		return nil, err
	}
	res := &ListInstanceIDsResponse{IDs: make([]string, len(out.Result.List)), RequestID: out.RequestID}
	for i, id := range out.Result.List {
		res.IDs[i] = string(id)
	}
	if nc := out.Result.NextCursor; nc != nil {
		res.NextCursor, res.HasMore = int64(*nc), true
	}
	return res, nil
}

// InstanceIDs yields every instance ID req selects, fetching pages as the
// loop asks for them and following next_cursor until DingTalk stops sending
// one. req.Cursor is the starting cursor. After an error it yields nothing
// more.
func (c *Client) InstanceIDs(ctx context.Context, req *ListInstanceIDsRequest) iter.Seq2[string, error] {
	if _, err := req.wire(); err != nil {
		return failed(err)
	}
	page := *req
	return idPages(req.Cursor, func(cursor int64) ([]string, int64, bool, error) {
		page.Cursor = cursor
		res, err := c.ListInstanceIDs(ctx, &page)
		if err != nil {
			return nil, 0, false, err
		}
		return res.IDs, res.NextCursor, res.HasMore, nil
	})
}

// failed yields err once.
func failed(err error) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) { yield("", err) }
}

// idPages yields the IDs of page after page, starting at cursor, until a
// page says there is no more or the cursor stops moving.
func idPages(cursor int64, fetch func(cursor int64) (ids []string, next int64, more bool, err error)) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for {
			ids, next, more, err := fetch(cursor)
			if err != nil {
				yield("", err)
				return
			}
			for _, id := range ids {
				if !yield(id, nil) {
					return
				}
			}
			if !more || next == cursor { // no progress: stop rather than loop
				return
			}
			cursor = next
		}
	}
}
