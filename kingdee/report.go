package kingdee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"reflect"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
)

// FormPayableSummary is the form id of the system report 应付款汇总表
// (payables summary): per supplier, the opening balance, what became
// payable and what was paid in the period, and the closing balance.
const FormPayableSummary = "AP_SumReport"

// FormPayable is the form id of 应付单 (payable).
const FormPayable = "AP_PAYABLE"

// ReportFilter is one condition of a report's FilterString, in the array
// form Kingdee's newer documentation uses.
type ReportFilter struct {
	// Left is an opening parenthesis, "(" or "".
	Left string `json:"Left"`
	// FieldName is the column's field key.
	FieldName string `json:"FieldName"`
	// Compare is Kingdee's comparison code, e.g. "67" (equals).
	Compare string `json:"Compare"`
	// Value is the value compared with.
	Value string `json:"Value"`
	// Right is a closing parenthesis, ")" or "".
	Right string `json:"Right"`
	// Logic joins this condition to the next: "0" AND, "1" OR.
	Logic string `json:"Logic"`
}

// ReportRequest reads a system report (系统报表, GetSysReportData), e.g.
// FormPayableSummary.
type ReportRequest struct {
	// FormID is the report's form id, e.g. FormPayableSummary. Required.
	FormID string
	// FieldKeys are the report columns, e.g. "FCONTACTUNITNUMBER",
	// "FLEFTAMOUNT". Required; Report derives them from T's kd tags.
	FieldKeys []string
	// SchemeID is a saved filter scheme (过滤方案) id, or empty.
	SchemeID string
	// StartRow is the 0-based first row.
	StartRow int
	// Limit is the page size (0 = the server's default).
	Limit int
	// IsVerifyBaseDataField checks base-data references in Model.
	IsVerifyBaseDataField bool
	// FilterString holds extra conditions on the rows.
	FilterString []ReportFilter
	// Model is the report's filter form (过滤界面), e.g. for
	// FormPayableSummary {"FBeginDate": "2024-05-01", "FEndDate":
	// "2024-05-31", "FCONTACTUNITTYPE": "BD_Supplier"}.
	Model map[string]any
}

// ReportResponse holds one page of a report.
type ReportResponse struct {
	// RowCount is the number of rows of the whole report.
	RowCount int
	// Rows are this page's rows, one value per field key; numbers arrive
	// as json.Number so that amounts stay exact.
	Rows [][]any
}

type reportData struct {
	FieldKeys             string         `json:"FieldKeys"`
	SchemeID              string         `json:"SchemeId"`
	StartRow              int            `json:"StartRow"`
	Limit                 int            `json:"Limit"`
	IsVerifyBaseDataField bool           `json:"IsVerifyBaseDataField"`
	FilterString          []ReportFilter `json:"FilterString"`
	Model                 map[string]any `json:"Model"`
}

func (r *ReportRequest) check() error {
	const op = "GetSysReportData"
	switch {
	case r == nil:
		return inputError(op, "ReportRequest", "required")
	case strings.TrimSpace(r.FormID) == "":
		return inputError(op, "ReportRequest.FormID", "required (e.g. "+FormPayableSummary+")")
	case len(r.FieldKeys) == 0:
		return inputError(op, "ReportRequest.FieldKeys", "required")
	case r.StartRow < 0:
		return inputError(op, "ReportRequest.StartRow", "must not be negative")
	case r.Limit < 0:
		return inputError(op, "ReportRequest.Limit", "must not be negative")
	}
	for i, k := range r.FieldKeys {
		if strings.TrimSpace(k) == "" || strings.Contains(k, ",") {
			return inputError(op, fmt.Sprintf("ReportRequest.FieldKeys[%d]", i), "must not be empty or contain a comma")
		}
	}
	return nil
}

// GetSysReportData reads one page of a system report (系统报表), e.g. the
// 应付款汇总表 finance reconciles payments against. Idempotent.
func (c *Client) GetSysReportData(ctx context.Context, req *ReportRequest) (*ReportResponse, error) {
	rows, count, err := c.reportRows(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &ReportResponse{RowCount: count, Rows: make([][]any, len(rows))}
	for i, row := range rows {
		out.Rows[i] = make([]any, len(row))
		for j, cell := range row {
			dec := json.NewDecoder(bytes.NewReader(cell))
			dec.UseNumber()
			if err := dec.Decode(&out.Rows[i][j]); err != nil {
				return nil, c.decodeErr("GetSysReportData", err)
			}
		}
	}
	return out, nil
}

// Report reads one page of a system report into []T, whose fields name
// their columns in kd tags (see Query); FieldKeys are derived from the
// tags when empty. It also returns the report's total RowCount.
func Report[T any](ctx context.Context, c *Client, req *ReportRequest) ([]T, int, error) {
	if req == nil {
		return nil, 0, inputError("GetSysReportData", "ReportRequest", "required")
	}
	plan, err := planFor[T]("GetSysReportData")
	if err != nil {
		return nil, 0, err
	}
	q := *req
	if len(q.FieldKeys) == 0 {
		q.FieldKeys = plan.keys
	} else if err := plan.match("GetSysReportData", "ReportRequest", q.FieldKeys); err != nil {
		return nil, 0, err
	}
	rows, count, err := c.reportRows(ctx, &q)
	if err != nil {
		return nil, 0, err
	}
	out := make([]T, len(rows))
	for i, row := range rows {
		if err := plan.fill(&out[i], row, q.StartRow+i); err != nil {
			return nil, 0, c.decodeErr("GetSysReportData", err)
		}
	}
	return out, count, nil
}

// AllReportRows pages through a report with StartRow and Limit
// (DefaultPageSize when 0) and yields each row as a T (see Report). It
// stops at the first error, after RowCount rows, or at a short page; a
// repeated page or more than MaxPages pages end it with an error.
func AllReportRows[T any](ctx context.Context, c *Client, req *ReportRequest) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if req == nil {
			yield(zero, inputError("GetSysReportData", "ReportRequest", "required"))
			return
		}
		q := *req
		if q.Limit == 0 {
			q.Limit = DefaultPageSize
		}
		var previous []T
		for page, seen := 0, 0; ; page++ {
			if page == MaxPages {
				yield(zero, c.reportPagingErr(fmt.Sprintf("stopped after %d pages (MaxPages)", MaxPages)))
				return
			}
			rows, total, err := Report[T](ctx, c, &q)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(rows) > 0 && reflect.DeepEqual(rows, previous) {
				yield(zero, c.reportPagingErr(fmt.Sprintf("the server sent the page before StartRow %d again", q.StartRow)))
				return
			}
			for _, r := range rows {
				if !yield(r, nil) {
					return
				}
				seen++
			}
			if len(rows) < q.Limit || (total > 0 && seen >= total) {
				return
			}
			previous = rows
			q.StartRow += len(rows)
		}
	}
}

func (c *Client) reportPagingErr(msg string) error {
	return &Error{Op: "GetSysReportData", HTTPStatus: 200, Message: msg, red: c.tc.Redactor()}
}

// reportRows runs the call and checks the answer: {"Result":{"IsSuccess",
// "Message","RowCount","Rows":[[…]]}}, with or without a ResponseStatus.
func (c *Client) reportRows(ctx context.Context, req *ReportRequest) ([][]json.RawMessage, int, error) {
	if err := req.check(); err != nil {
		return nil, 0, err
	}
	const op = "GetSysReportData"
	filter := req.FilterString
	if filter == nil {
		filter = []ReportFilter{} // the server expects an array
	}
	data := reportData{FieldKeys: strings.Join(req.FieldKeys, ","), SchemeID: req.SchemeID, StartRow: req.StartRow,
		Limit: req.Limit, IsVerifyBaseDataField: req.IsVerifyBaseDataField, FilterString: filter, Model: req.Model}
	if data.Model == nil {
		data.Model = map[string]any{}
	}
	body, err := c.exec(ctx, dfs(op, formData{FormID: req.FormID, Data: data}, true))
	if err != nil {
		return nil, 0, err
	}
	var res struct {
		Result *struct {
			IsSuccess *flex.Bool          `json:"IsSuccess"`
			Message   flex.String         `json:"Message"`
			RowCount  flex.Int64          `json:"RowCount"`
			Rows      [][]json.RawMessage `json:"Rows"`
		} `json:"Result"`
	}
	if err := c.decode(op, body, &res); err != nil {
		return nil, 0, err
	}
	r := res.Result
	if r == nil {
		return nil, 0, &Error{Op: op, HTTPStatus: 200, Message: errEmptyAnswer.Error(), red: c.tc.Redactor()}
	}
	if r.IsSuccess != nil && !bool(*r.IsSuccess) {
		msg := string(r.Message)
		if msg == "" {
			msg = "report failed without a message"
		}
		return nil, 0, &Error{Op: op, HTTPStatus: 200, Message: msg, red: c.tc.Redactor()}
	}
	if err := checkWidth(len(req.FieldKeys), len(r.Rows), func(i int) int { return len(r.Rows[i]) }); err != nil {
		return nil, 0, c.decodeErr(op, err)
	}
	return r.Rows, int(r.RowCount), nil
}
