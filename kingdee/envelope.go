package kingdee

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/hetong-go/hetong/internal/flex"
)

// status is Result.ResponseStatus, decoded leniently: booleans and numbers
// may arrive as strings, lists as null.
type status struct {
	ErrorCode       flex.Int64  `json:"ErrorCode"`
	IsSuccess       flex.Bool   `json:"IsSuccess"`
	Errors          []rawRow    `json:"Errors"`
	SuccessEntitys  []rawEntity `json:"SuccessEntitys"`
	SuccessMessages []rawRow    `json:"SuccessMessages"`
	MsgCode         flex.Int64  `json:"MsgCode"`
}

type rawRow struct {
	FieldName flex.String `json:"FieldName"`
	Message   flex.String `json:"Message"`
	DIndex    flex.Int64  `json:"DIndex"`
}

type rawEntity struct {
	ID     flex.String `json:"Id"`
	Number flex.String `json:"Number"`
	DIndex flex.Int64  `json:"DIndex"`
}

func (s *status) entities() []Entity {
	if len(s.SuccessEntitys) == 0 {
		return nil
	}
	out := make([]Entity, len(s.SuccessEntitys))
	for i, e := range s.SuccessEntitys {
		out[i] = Entity{ID: string(e.ID), Number: string(e.Number), DIndex: int(e.DIndex)}
	}
	return out
}

func (s *status) messages() []string {
	var out []string
	for _, m := range s.SuccessMessages {
		if m.Message != "" {
			out = append(out, string(m.Message))
		}
	}
	return out
}

// failed reports a ResponseStatus that says the call did not succeed.
func (s *status) failed() bool { return s != nil && !bool(s.IsSuccess) }

// toError lists every row error of a failed status.
func (s *status) toError(op string, httpStatus int) *Error {
	e := &Error{Op: op, MsgCode: MsgCode(s.MsgCode), Code: codeText(MsgCode(s.MsgCode)), ErrorCode: int(s.ErrorCode), HTTPStatus: httpStatus, Saved: s.entities()}
	for _, r := range s.Errors {
		e.Rows = append(e.Rows, RowError{DIndex: int(r.DIndex), FieldName: string(r.FieldName), Message: string(r.Message)})
	}
	switch {
	case len(e.Rows) == 1:
		e.Message = e.Rows[0].Message
	case len(e.Rows) > 1:
		e.Message = fmt.Sprintf("%d rows failed", len(e.Rows))
	default:
		e.Message = "operation failed without a message"
	}
	return e
}

// resultEnvelope is {"Result":{"ResponseStatus":…}}.
type resultEnvelope struct {
	Result *struct {
		ResponseStatus *status `json:"ResponseStatus"`
	} `json:"Result"`
}

// statusOf finds the ResponseStatus of any response shape: an object
// {"Result":{"ResponseStatus":…}}, or the array shapes ExecuteBillQuery and
// BillQuery use for errors, [[{"Result":…}]] and [{"Result":…}]. It
// returns (nil, nil) for bodies without one (query rows, login answers).
func statusOf(body []byte) (*status, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return nil, errors.New("empty body")
	}
	switch b[0] {
	case '{':
		var env resultEnvelope
		if err := json.Unmarshal(b, &env); err != nil {
			return nil, err
		}
		if env.Result == nil {
			return nil, nil
		}
		return env.Result.ResponseStatus, nil
	case '[':
		return arrayStatus(b)
	}
	// true/false and numbers are valid answers of a few services (Logout).
	if !json.Valid(b) {
		return nil, errors.New("invalid JSON")
	}
	return nil, nil
}

// arrayStatus looks only at the first element, so that a large result set
// is not decoded twice.
func arrayStatus(b []byte) (*status, error) {
	first, err := firstElement(b)
	if err != nil || first == nil {
		return nil, err
	}
	if len(first) > 0 && first[0] == '[' { // [[…]]: a row, or the wrapped error
		if first, err = firstElement(first); err != nil || first == nil {
			return nil, err
		}
	}
	if len(first) == 0 || first[0] != '{' || !bytes.Contains(first, []byte(`"Result"`)) {
		return nil, nil
	}
	var env resultEnvelope
	if err := json.Unmarshal(first, &env); err != nil || env.Result == nil {
		return nil, nil // an object row of BillQuery that merely has a Result field
	}
	return env.Result.ResponseStatus, nil
}

// firstElement returns the first element of a JSON array, nil when empty.
func firstElement(b []byte) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if !dec.More() {
		return nil, nil
	}
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(first), nil
}

// errEmptyAnswer reports a successful-looking answer with nothing in it
// ({}, null, or an object without Result).
var errEmptyAnswer = errors.New("the answer holds no Result")

// codeText is Error.Code for a MsgCode: its number, or "" for 0.
func codeText(c MsgCode) string {
	if c == 0 {
		return ""
	}
	return strconv.Itoa(int(c))
}
