package dingtalk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
)

// FormValue is one filled-in form component (表单控件值). Value is always
// text: a detail table (TableField, 明细) carries its rows as a JSON string,
// attachments and multi-selects a JSON array. Name (the label) is not
// unique within a form; ID (e.g. "TextField-K2AD4O5B") is.
type FormValue struct {
	ID            string `json:"id,omitempty"`
	Name          string `json:"name"`
	Value         string `json:"value"`
	ExtValue      string `json:"ext_value,omitempty"`
	ComponentType string `json:"component_type,omitempty"` // TextField, DDMoneyField, TableField, DDAttachment, …
	BizAlias      string `json:"bizAlias,omitempty"`
	// Rows fill a detail table (TableField) when starting an approval: one
	// slice of cells per row. [Client.StartWorkflowInstance] sends them as
	// the field's details, [Client.CreateInstance] as a Value made by
	// [TableValue]. They are never set on decoded values.
	Rows [][]FormValue `json:"-"`
}

// UnmarshalJSON accepts the old API's snake_case and the new API's
// camelCase, and values that arrive as JSON arrays or numbers rather than
// strings (kept as their JSON text).
func (f *FormValue) UnmarshalJSON(b []byte) error {
	var w struct {
		ID        flex.String     `json:"id"`
		Name      string          `json:"name"`
		Label     string          `json:"label"`
		Key       string          `json:"key"`
		Value     json.RawMessage `json:"value"`
		ExtSnake  json.RawMessage `json:"ext_value"`
		ExtCamel  json.RawMessage `json:"extValue"`
		TypeSnake string          `json:"component_type"`
		TypeCamel string          `json:"componentType"`
		BizAlias  string          `json:"bizAlias"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*f = FormValue{ID: first(string(w.ID), w.Key), Name: first(w.Name, w.Label), Value: rawText(w.Value),
		ExtValue: first(rawText(w.ExtSnake), rawText(w.ExtCamel)), ComponentType: first(w.TypeSnake, w.TypeCamel),
		BizAlias: w.BizAlias}
	return nil
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// rawText returns a JSON string's content, or other JSON's text as is.
func rawText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		if len(raw) >= 2 && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
			return string(raw[1 : len(raw)-1]) // no escapes: the common case, without a second JSON pass
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

// FormValues is an instance's form (form_component_values).
type FormValues []FormValue

// Get returns the component whose ID equals key, else the first whose Name
// equals key.
func (f FormValues) Get(key string) (FormValue, bool) {
	for _, v := range f {
		if v.ID == key && key != "" {
			return v, true
		}
	}
	for _, v := range f {
		if v.Name == key {
			return v, true
		}
	}
	return FormValue{}, false
}

// Table parses the rows of the detail table (TableField) named key.
func (f FormValues) Table(key string) ([]Row, error) {
	v, ok := f.Get(key)
	if !ok {
		return nil, &FormError{Label: key, Err: errNoField}
	}
	rows, err := ParseTable(v.Value)
	if err != nil {
		return nil, &FormError{Label: key, Value: v.Value, Err: err}
	}
	return rows, nil
}

// Row is one row of a detail table.
type Row struct {
	Number string     // rowNumber, when DingTalk sends one
	Values FormValues // the row's cells, by label (Name) and key (ID)
}

// Decode fills v from the row, as [FormValues.Decode] does.
func (r Row) Decode(v any) error { return r.Values.Decode(v) }

// cellWire is a table cell: {label, value, key} from get, {name, value}
// from create. It decodes without a custom unmarshaller, so a table is
// validated once rather than once per nesting level.
type cellWire struct {
	Label    string          `json:"label"`
	Name     string          `json:"name"`
	Key      string          `json:"key"`
	ID       string          `json:"id"`
	Value    json.RawMessage `json:"value"`
	ExtValue json.RawMessage `json:"extValue"`
}

func (c *cellWire) formValue() FormValue {
	return FormValue{ID: first(c.Key, c.ID), Name: first(c.Label, c.Name), Value: rawText(c.Value), ExtValue: rawText(c.ExtValue)}
}

func cells(ws []cellWire) FormValues {
	out := make(FormValues, len(ws))
	for i := range ws {
		out[i] = ws[i].formValue()
	}
	return out
}

type rowWire struct {
	RowNumber json.RawMessage `json:"rowNumber"`
	RowValue  []cellWire      `json:"rowValue"`
}

// ParseTable parses a TableField value. It accepts what processinstance/get
// returns, [{"rowNumber":…,"rowValue":[{"label","value","key"}]}], and the
// create format [[{"name","value"}]]. An empty value is an empty table.
func ParseTable(value string) ([]Row, error) {
	b := bytes.TrimSpace([]byte(value))
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	var get []rowWire
	getErr := json.Unmarshal(b, &get)
	if getErr == nil {
		rows := make([]Row, len(get))
		for i := range get {
			rows[i] = Row{Number: rawText(get[i].RowNumber), Values: cells(get[i].RowValue)}
		}
		return rows, nil
	}
	var create [][]cellWire
	if err := json.Unmarshal(b, &create); err != nil {
		return nil, fmt.Errorf("not a table: %w", getErr)
	}
	rows := make([]Row, len(create))
	for i := range create {
		rows[i] = Row{Values: cells(create[i])}
	}
	return rows, nil
}

// TableValue builds the Value of a detail table for [CreateInstanceRequest]
// in the create format: one slice of {Name, Value} cells per row.
func TableValue(rows [][]FormValue) (string, error) {
	out := make([][]OapiCreateProcessInstanceRequestFormComponentValueVo, len(rows))
	for i, r := range rows {
		out[i] = make([]OapiCreateProcessInstanceRequestFormComponentValueVo, len(r))
		for j, c := range r {
			out[i][j] = OapiCreateProcessInstanceRequestFormComponentValueVo{Name: c.Name, Value: c.Value, ExtValue: c.ExtValue}
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// Attachment is a file on an instance (DDAttachment value, operation
// record attachments).
type Attachment struct {
	SpaceID  string `json:"spaceId,omitempty"`
	FileID   string `json:"fileId"`
	FileName string `json:"fileName"`
	FileSize int64  `json:"fileSize"`
	FileType string `json:"fileType"`
}

// UnmarshalJSON accepts camelCase and snake_case keys and sizes as strings.
func (a *Attachment) UnmarshalJSON(b []byte) error {
	var w struct {
		SpaceID   flex.String `json:"spaceId"`
		FileID    flex.String `json:"fileId"`
		FileID2   flex.String `json:"file_id"`
		FileName  string      `json:"fileName"`
		FileName2 string      `json:"file_name"`
		FileSize  flex.Int64  `json:"fileSize"`
		FileSize2 flex.Int64  `json:"file_size"`
		FileType  string      `json:"fileType"`
		FileType2 string      `json:"file_type"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	size := w.FileSize
	if size == 0 {
		size = w.FileSize2
	}
	*a = Attachment{SpaceID: string(w.SpaceID), FileID: first(string(w.FileID), string(w.FileID2)),
		FileName: first(w.FileName, w.FileName2), FileSize: int64(size), FileType: first(w.FileType, w.FileType2)}
	return nil
}

// FormError is a form value that does not fit the field it is decoded
// into. Label is the path to it, e.g. "报销明细[1].报销金额(元)".
type FormError struct {
	Label string
	Value string // the offending value, cut to 64 bytes
	Err   error
}

// Error names the label, the value (cut short) and why it does not fit.
func (e *FormError) Error() string {
	if errors.Is(e.Err, errNoField) {
		return fmt.Sprintf("dingtalk: form has no field %q", e.Label)
	}
	v := e.Value
	if len(v) > 64 {
		v = strings.ToValidUTF8(v[:64], "") + "…"
	}
	return fmt.Sprintf("dingtalk: form field %q: cannot decode %q: %v", e.Label, v, e.Err)
}

// Unwrap returns the cause.
func (e *FormError) Unwrap() error { return e.Err }
