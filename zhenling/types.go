package zhenling

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/flex"
)

// String is a response value that Zhenling sends sometimes as a JSON string
// and sometimes as a number ("id":"4073799" next to "id":38457); it keeps
// the exact text, so 19-digit ids never pass through float64. It encodes
// as a JSON string. Convert it with string(v).
type String string

// UnmarshalJSON reads a JSON string, number or boolean as its text; null
// leaves "". encoding/json has validated b, so a quoted string without
// escapes is its own text; anything else goes to the shared decoder.
func (s *String) UnmarshalJSON(b []byte) error {
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b[1:n-1]) {
		*s = String(b[1 : n-1])
		return nil
	}
	return (*flex.String)(s).UnmarshalJSON(b)
}

// UserIDType says how [UserContext.UserID] identifies a user (用户ID类型).
// It is an open string type: 3.40 uses LOGIN_NAME where the integration
// guide says LOGINNAME, so values are not checked against a closed set.
type UserIDType string

// User-id types from the integration guide.
const (
	UserIDEmail     UserIDType = "EMAIL"     // UserID is the e-mail address
	UserIDUserID    UserIDType = "USERID"    // UserID is OC's user id
	UserIDLoginName UserIDType = "LOGINNAME" // UserID is the OC login name
)

// CodeType says how a <x>Code field of 3.40 identifies its object.
type CodeType string

// Code types seen in the 3.40 sample.
const (
	CodeTypeCode      CodeType = "CODE"
	CodeTypeLoginName CodeType = "LOGIN_NAME"
)

// UserContext makes a call act as a specific user (用户上下文) instead of
// the client_credentials identity, which has no data-permission checks.
// Leave it empty to act as the client.
type UserContext struct {
	UserIDType UserIDType `json:"userIdType,omitempty" url:"userIdType,omitempty"`
	UserID     string     `json:"userId,omitempty" url:"userId,omitempty"`
}

func (u UserContext) validate(where string) error {
	if (u.UserIDType == "") != (u.UserID == "") {
		return invalid(where+".UserContext", "set both UserIDType and UserID, or neither")
	}
	return nil
}

// Audit holds the audit columns every HZERO row carries.
type Audit struct {
	ObjectVersionNumber String `json:"objectVersionNumber"`
	CreationDate        String `json:"creationDate"`
	CreatedBy           String `json:"createdBy"`
	LastUpdateDate      String `json:"lastUpdateDate"`
	LastUpdatedBy       String `json:"lastUpdatedBy"`
}

// Page is a Spring-style page (data.content). Only content is visible in
// Zhenling's samples; the counters are filled when the server sends them,
// and Number is the page number as the server sent it (in the
// operation's own numbering, see [Operation.PageBase]). Rows carry the
// typed fields only; to read fields this package does not type, decode
// the page into your own row type with [QueryPage].
type Page[T any] struct {
	Content          []T
	TotalElements    int64
	TotalPages       int64
	Number           int64
	Size             int64
	NumberOfElements int64
	Last             bool
}

// wirePage is a page as it arrives; rows are decoded in the same pass as
// the envelope.
type wirePage[T any] struct {
	Content          []T        `json:"content"`
	TotalElements    flex.Int64 `json:"totalElements"`
	TotalPages       flex.Int64 `json:"totalPages"`
	Number           flex.Int64 `json:"number"`
	Size             flex.Int64 `json:"size"`
	NumberOfElements flex.Int64 `json:"numberOfElements"`
	Last             *flex.Bool `json:"last"`

	want int // rows asked for (Paging.Size): sizes Content before decoding
}

// minRowBytes is the least text a row takes in practice; with the body's
// length it bounds how many rows an answer can hold.
const minRowBytes = 128

// reset empties the page and gives Content room for the rows an answer of
// bodyLen bytes can hold, up to the rows asked for: encoding/json then
// fills it without growing it step by step (a 30 MiB page grew through
// several times its final size).
func (w *wirePage[T]) reset(bodyLen int) {
	*w = wirePage[T]{want: w.want, Content: make([]T, 0, min(w.want, bodyLen/minRowBytes))}
}

// blank reports a page that decoded to nothing.
func (w *wirePage[T]) blank() bool {
	return len(w.Content) == 0 && w.Last == nil && w.TotalElements == 0 && w.TotalPages == 0 &&
		w.Number == 0 && w.Size == 0 && w.NumberOfElements == 0
}

func (w *wirePage[T]) page() *Page[T] {
	p := &Page[T]{Content: w.Content, TotalElements: int64(w.TotalElements), TotalPages: int64(w.TotalPages),
		Number: int64(w.Number), Size: int64(w.Size), NumberOfElements: int64(w.NumberOfElements), Last: w.Last != nil && bool(*w.Last)}
	if p.Content == nil {
		p.Content = []T{}
	}
	return p
}

// decodeWirePage reads data that the one-pass decoder could not: a bare
// array is read as a single last page.
func decodeWirePage[T any](data json.RawMessage, w *wirePage[T]) error {
	*w = wirePage[T]{want: w.want}
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '[' {
		w.Last = new(flex.Bool)
		*w.Last = true
		return json.Unmarshal(t, &w.Content)
	}
	return json.Unmarshal(t, w)
}

// decodePage reads raw data as a page (an empty one for no data).
func decodePage[T any](data json.RawMessage) (*Page[T], error) {
	var w wirePage[T]
	if isEmptyJSON(data) {
		p := w.page()
		p.Last = true
		return p, nil
	}
	if err := decodeWirePage(data, &w); err != nil {
		return nil, err
	}
	return w.page(), nil
}

// rawKeeper is implemented by row types that keep their raw JSON.
type rawKeeper interface{ keepRaw(json.RawMessage) }

func decodeRow[T any](raw json.RawMessage) (T, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, err
	}
	if k, ok := any(&v).(rawKeeper); ok {
		k.keepRaw(raw)
	}
	return v, nil
}

// Receipt is the answer to an asynchronous batch write (DATA_IMPORT): one
// row per submitted item, each with the batch id that the later callback
// carries. The write itself has not happened yet when a Receipt arrives.
type Receipt struct {
	Rows []ReceiptRow
}

// BatchID returns the batch id of the first row, or "".
func (r *Receipt) BatchID() string {
	for _, row := range r.Rows {
		if row.BatchID != "" {
			return string(row.BatchID)
		}
	}
	return ""
}

// ReceiptRow echoes one submitted item.
type ReceiptRow struct {
	BatchID      String `json:"batchId"`
	SourceSystem String `json:"sourceSystem"`
	SourceCode   String `json:"sourceCode"`
	// OriginData is the submitted item as the server read it (a JSON string).
	OriginData String `json:"originData"`
	// Raw is the whole row, including resolved ids such as supplierId.
	Raw json.RawMessage `json:"-"`
}

func (r *ReceiptRow) keepRaw(b json.RawMessage) { r.Raw = b }

func decodeReceipt(res *Result) (*Receipt, error) {
	rc := &Receipt{}
	t := strings.TrimSpace(string(res.Data))
	if t == "" || t == "null" {
		return rc, nil
	}
	var raws []json.RawMessage
	if t[0] == '[' {
		if err := json.Unmarshal(res.Data, &raws); err != nil {
			return nil, err
		}
	} else {
		raws = []json.RawMessage{res.Data}
	}
	for _, raw := range raws {
		row, err := decodeRow[ReceiptRow](raw)
		if err != nil {
			return nil, err
		}
		rc.Rows = append(rc.Rows, row)
	}
	return rc, nil
}

// Paging is the page request of documented queries.
type Paging struct {
	// Page is the 0-based index of the page in Go, for every operation.
	// On the wire the client adds the operation's [Operation.PageBase]:
	// page 0 is sent as "page":0 to 3.24/3.30/3.33/3.34 and as "page":1 to
	// 6.7, whose pages start at 1.
	Page int `json:"page"`
	// Size is the page size; it must be positive.
	Size int `json:"size"`
}

// pageSize is the number of rows asked for.
func (p Paging) pageSize() int { return p.Size }

func (p Paging) validate(where string) error {
	if p.Page < 0 {
		return invalid(where+".Page", errfmt.NotNegative)
	}
	if p.Size <= 0 {
		return invalid(where+".Size", errfmt.NotPositive)
	}
	return nil
}

// nilRequest is the error for a nil request.
func nilRequest(where string) error { return invalid(where, required) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
