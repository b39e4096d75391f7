package kingdee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
)

// DefaultPageSize is the page AllRows asks for when QueryRequest.Limit is
// 0; older servers cap Limit at 2000.
const DefaultPageSize = 2000

// QueryRequest is a bill query (单据查询).
type QueryRequest struct {
	// FormID is the business object, e.g. FormPayApply.
	FormID string
	// FieldKeys are the columns, e.g. "FID", "FBillNo", "FPAYORGID.FNumber",
	// "FPAYAPPLYENTRY_FEntryID". Query and AllRows derive them from T's
	// kd tags when empty.
	FieldKeys []string
	// FilterString is the SQL-like filter, e.g. "FDocumentStatus='C' AND FDATE>='2024-01-01'".
	FilterString string
	// OrderString orders the rows, e.g. "FID DESC".
	OrderString string
	// TopRowCount caps the result before StartRow is applied (0 = no cap).
	// AllRows sends 0 and stops after TopRowCount rows itself, because the
	// server's cap would otherwise empty every page past the first.
	TopRowCount int
	// StartRow is the 0-based first row.
	StartRow int
	// Limit is the page size (0 = server default, all rows on most servers).
	Limit int
	// SubSystemID is the sub-system id.
	SubSystemID string
}

type queryData struct {
	FormID       string `json:"FormId"`
	FieldKeys    string `json:"FieldKeys"`
	FilterString string `json:"FilterString"`
	OrderString  string `json:"OrderString"`
	TopRowCount  int    `json:"TopRowCount"`
	StartRow     int    `json:"StartRow"`
	Limit        int    `json:"Limit"`
	SubSystemID  string `json:"SubSystemId,omitempty"`
}

func (r *QueryRequest) check(op string) error {
	if r == nil {
		return inputError(op, "QueryRequest", "required")
	}
	if strings.TrimSpace(r.FormID) == "" {
		return inputError(op, "QueryRequest.FormID", "required (e.g. "+FormPayApply+")")
	}
	if len(r.FieldKeys) == 0 {
		return inputError(op, "QueryRequest.FieldKeys", "required")
	}
	for i, k := range r.FieldKeys {
		if strings.TrimSpace(k) == "" || strings.Contains(k, ",") {
			return inputError(op, fmt.Sprintf("QueryRequest.FieldKeys[%d]", i), fmt.Sprintf("%q is empty or contains a comma", k))
		}
	}
	if r.TopRowCount < 0 || r.StartRow < 0 || r.Limit < 0 {
		return inputError(op, "QueryRequest.StartRow", "TopRowCount, StartRow and Limit must not be negative")
	}
	return nil
}

func (r *QueryRequest) wire() formData {
	return formData{Data: queryData{FormID: r.FormID, FieldKeys: strings.Join(r.FieldKeys, ","),
		FilterString: r.FilterString, OrderString: r.OrderString, TopRowCount: r.TopRowCount,
		StartRow: r.StartRow, Limit: r.Limit, SubSystemID: r.SubSystemID}}
}

// ExecuteBillQuery runs a bill query and returns its rows: one []any per
// row, one value per field key, in order. Numbers arrive as json.Number so
// that 19-digit ids stay exact. Idempotent; an error wrapped as
// [[{"Result":{"ResponseStatus":…}}]] becomes an *Error.
func (c *Client) ExecuteBillQuery(ctx context.Context, req *QueryRequest) ([][]any, error) {
	var rows [][]any
	if err := c.queryInto(ctx, "ExecuteBillQuery", req, &rows); err != nil {
		return nil, err
	}
	if err := checkWidth(len(req.FieldKeys), len(rows), func(i int) int { return len(rows[i]) }); err != nil {
		return nil, c.decodeErr("ExecuteBillQuery", err)
	}
	return rows, nil
}

// queryInto runs a query and decodes its rows with numbers kept exact.
func (c *Client) queryInto(ctx context.Context, op string, req *QueryRequest, out any) error {
	if err := req.check(op); err != nil {
		return err
	}
	body, err := c.exec(ctx, dfs(op, req.wire(), true))
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return c.decodeErr(op, err)
	}
	return nil
}

// rawRows runs the query and keeps each cell's JSON for typed decoding.
func (c *Client) rawRows(ctx context.Context, req *QueryRequest) ([][]json.RawMessage, error) {
	body, err := c.exec(ctx, dfs("ExecuteBillQuery", req.wire(), true))
	if err != nil {
		return nil, err
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, c.decodeErr("ExecuteBillQuery", err)
	}
	if err := checkWidth(len(req.FieldKeys), len(rows), func(i int) int { return len(rows[i]) }); err != nil {
		return nil, c.decodeErr("ExecuteBillQuery", err)
	}
	return rows, nil
}

func checkWidth(want, n int, width func(int) int) error {
	for i := 0; i < n; i++ {
		if w := width(i); w != want {
			return fmt.Errorf("row %d has %d columns, want %d (one per field key)", i, w, want)
		}
	}
	return nil
}

func (c *Client) decodeErr(op string, err error) error {
	return &Error{Op: op, HTTPStatus: 200, Message: "cannot decode rows", Err: err, red: c.tc.Redactor()}
}

// BillQuery runs the same query as ExecuteBillQuery but returns each row as
// an object keyed by field key. Idempotent.
func (c *Client) BillQuery(ctx context.Context, req *QueryRequest) ([]map[string]any, error) {
	var rows []map[string]any
	if err := c.queryInto(ctx, "BillQuery", req, &rows); err != nil {
		return nil, err
	}
	return rows, nil
}

// Query runs a bill query and decodes the rows into []T. T is a struct
// whose fields carry the field keys in kd tags:
//
//	type payRow struct {
//		ID     int64   `kd:"FID"`
//		BillNo string  `kd:"FBillNo"`
//		Status string  `kd:"FDocumentStatus"`
//		Amount hetong.Amount `kd:"FAPPLYAMOUNTFOR_H"` // exact, never float64
//	}
//
// FieldKeys are derived from the tags when req.FieldKeys is empty, and
// must match them otherwise. Cells are converted leniently (numbers from
// strings and back, "yyyy-MM-dd HH:mm:ss" into time.Time); a cell that
// does not fit its field is an error naming the row, key and field.
func Query[T any](ctx context.Context, c *Client, req *QueryRequest) ([]T, error) {
	plan, q, err := prepare[T]("ExecuteBillQuery", req)
	if err != nil {
		return nil, err
	}
	rows, err := c.rawRows(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(rows))
	for i, row := range rows {
		if err := plan.fill(&out[i], row, q.StartRow+i); err != nil {
			return nil, c.decodeErr("ExecuteBillQuery", err)
		}
	}
	return out, nil
}

// MaxPages bounds the pages AllRows asks for (at DefaultPageSize, 20
// million rows), so that a server that never sends a short page cannot
// keep the loop going forever.
const MaxPages = 10000

// AllRows pages through a query with StartRow and Limit (DefaultPageSize
// when 0) and yields each row as a T; see Query. It stops at the first
// error, at a short page, or after TopRowCount rows when that is set; a
// server that answers the same full page twice, or more than MaxPages
// pages, ends it with an error.
func AllRows[T any](ctx context.Context, c *Client, req *QueryRequest) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		plan, q, err := prepare[T]("ExecuteBillQuery", req)
		if err != nil {
			yield(zero, err)
			return
		}
		size, max := q.Limit, q.TopRowCount
		if size == 0 {
			size = DefaultPageSize
		}
		q.Limit, q.TopRowCount = size, 0
		var previous [][]json.RawMessage
		for page, seen := 0, 0; ; page++ {
			if page == MaxPages {
				yield(zero, c.pagingErr(fmt.Sprintf("stopped after %d pages (MaxPages)", MaxPages)))
				return
			}
			rows, err := c.rawRows(ctx, q)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(rows) > 0 && samePage(rows, previous) {
				yield(zero, c.pagingErr(fmt.Sprintf("the server sent the page before StartRow %d again", q.StartRow)))
				return
			}
			for i, row := range rows {
				var v T
				if err := plan.fill(&v, row, q.StartRow+i); err != nil {
					yield(zero, c.decodeErr("ExecuteBillQuery", err))
					return
				}
				if !yield(v, nil) {
					return
				}
				if seen++; max > 0 && seen >= max {
					return
				}
			}
			if len(rows) < size {
				return
			}
			previous = rows
			q.StartRow += len(rows)
		}
	}
}

// samePage reports a page identical to the previous one: a server that
// ignores StartRow would otherwise repeat it forever.
func samePage(a, b [][]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !bytes.Equal(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

func (c *Client) pagingErr(msg string) error {
	return &Error{Op: "ExecuteBillQuery", HTTPStatus: 200, Message: msg, red: c.tc.Redactor()}
}

// prepare derives or checks the field keys of T and copies req.
func prepare[T any](op string, req *QueryRequest) (*rowPlan, *QueryRequest, error) {
	if req == nil {
		return nil, nil, inputError(op, "QueryRequest", "required")
	}
	plan, err := planFor[T](op)
	if err != nil {
		return nil, nil, err
	}
	q := *req
	if len(q.FieldKeys) == 0 {
		q.FieldKeys = plan.keys
	} else if err := plan.match(op, "QueryRequest", q.FieldKeys); err != nil {
		return nil, nil, err
	}
	if err := q.check(op); err != nil {
		return nil, nil, err
	}
	return plan, &q, nil
}
