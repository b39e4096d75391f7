package zhenling

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hetong-go/hetong/internal/errfmt"
)

// The request types in this file serve the endpoints whose fields Zhenling
// has not published. Each holds the identifiers the public documents do
// name, a UserContext, and Extra: further body fields, merged into the
// top-level JSON object (a key that a typed field already sets is an
// error). Their responses are a [Result] whose Data is the raw JSON.

// QueryRequest is a query with unpublished fields: put them in Extra.
type QueryRequest struct {
	UserContext
	Extra map[string]any `json:"-"`
}

// ActionRequest is a call (e.g. approve a workflow) with unpublished
// fields: Extra must name what the call acts on.
type ActionRequest struct {
	UserContext
	Extra map[string]any `json:"-"`
}

// ContractRef names a contract by any of the identifiers Zhenling's
// queries accept: 合同编码, 合同流水号 or uuid.
type ContractRef struct {
	ContractNumber       string `json:"contractNumber,omitempty"`       // 合同编码
	ContractSerialNumber string `json:"contractSerialNumber,omitempty"` // 合同流水号
	UUID                 string `json:"uuid,omitempty"`
}

func (r ContractRef) empty() bool {
	return r.ContractNumber == "" && r.ContractSerialNumber == "" && r.UUID == ""
}

// ContractQueryRequest reads one kind of data attached to a contract
// (查询合同关联数据, 3.27–3.41): the contract, a page (counted from 0 in Go)
// and a size. 3.30 documents contractNumber and contractSerialNumber, 3.33
// also uuid (3.34 has its own [PaymentPlanQueryRequest]); the other
// queries of the group are expected to follow them, and Extra carries
// anything more.
type ContractQueryRequest struct {
	ContractRef
	Paging
	UserContext
	Extra map[string]any `json:"-"`
}

func (r *ContractQueryRequest) body(where string) ([]byte, error) { return r.pagedBody(where, 0) }

func (r *ContractQueryRequest) pagedBody(where string, base int) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if r.ContractRef.empty() {
		return nil, invalid(where+".ContractNumber", required+" (or ContractSerialNumber or UUID)")
	}
	return encodePaged(where, *r, func(w *ContractQueryRequest) *Paging { return &w.Paging }, base, r.UserContext, r.Extra)
}

// ContractActionRequest acts on one contract (a change, a deletion check,
// cancelling its archive) through an endpoint whose fields are unpublished.
// Set at least one identifier or an Extra field.
type ContractActionRequest struct {
	ContractRef
	UserContext
	Extra map[string]any `json:"-"`
}

func (r *ContractActionRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if r.ContractRef.empty() && len(r.Extra) == 0 {
		return nil, invalid(where+".ContractNumber", required+" (or another contract identifier, or the fields your tenant documents in Extra)")
	}
	return encodeRequest(where, r, r.UserContext, r.Extra)
}

// Record is one item of a batch write: the source keys (来源系统 and
// 来源单据号) by which the asynchronous result is later reported, and the
// item's other fields.
type Record struct {
	SourceSystem string
	SourceCode   string
	// Fields are the item's other fields, as your tenant documents them.
	Fields map[string]any
}

// MarshalJSON writes the fields and the source keys as one object.
func (r Record) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(r.Fields)+2)
	for k, v := range r.Fields {
		m[k] = v
	}
	for k, v := range map[string]string{"sourceSystem": r.SourceSystem, "sourceCode": r.SourceCode} {
		if v == "" {
			continue
		}
		if _, dup := r.Fields[k]; dup {
			return nil, fmt.Errorf("record: Fields[%q] repeats Record.%s", k, strings.ToUpper(k[:1])+k[1:])
		}
		m[k] = v
	}
	return json.Marshal(m)
}

// BatchRequest is a batch write with unpublished item fields (master data
// and changes). It is sent as {"data":[...]}, the shape of the documented
// DATA_IMPORT writes (3.40, 6.5); the answer is usually a [Receipt] and the
// outcome arrives by callback.
type BatchRequest struct {
	Data []Record `json:"data"`
	UserContext
	Extra map[string]any `json:"-"`
}

func (r *BatchRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if len(r.Data) == 0 {
		return nil, invalid(where+".Data", errfmt.AtLeastItems(1))
	}
	return encodeRequest(where, r, r.UserContext, r.Extra)
}

func (r *QueryRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	return encodeRequest(where, r, r.UserContext, r.Extra)
}

func (r *ActionRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if len(r.Extra) == 0 {
		return nil, invalid(where+".Extra", required+" (name what the call acts on: the fields your tenant documents)")
	}
	return encodeRequest(where, r, r.UserContext, r.Extra)
}

// bodier is a request that validates itself and produces its exact bytes.
type bodier interface {
	body(where string) ([]byte, error)
}

// pagedBodier is a paged request: it numbers its page from base on the
// wire (the operation's [Operation.PageBase]).
type pagedBodier interface {
	pagedBody(where string, base int) ([]byte, error)
}

// encodePaged validates the paging of wire, a copy of a paged request,
// numbers its page from base and encodes it.
func encodePaged[R any](where string, wire R, paging func(*R) *Paging, base int, uc UserContext, extra map[string]any) ([]byte, error) {
	p := paging(&wire)
	if err := p.validate(where); err != nil {
		return nil, err
	}
	p.Page += base
	return encodeRequest(where, &wire, uc, extra)
}

// encode validates req and returns the body to send to operation op; a
// refusal names op.
func (c *Client) encode(op, where string, req bodier) ([]byte, error) {
	var b []byte
	var err error
	if pr, ok := req.(pagedBodier); ok {
		b, err = pr.pagedBody(where, c.ops[op].PageBase)
	} else {
		b, err = req.body(where)
	}
	return b, withOp(op, err)
}

// rawCall validates req, sends it to operation op and returns the raw result.
func (c *Client) rawCall(ctx context.Context, op, where string, req bodier) (*Result, error) {
	b, err := c.encode(op, where, req)
	if err != nil {
		return nil, err
	}
	return c.invoke(ctx, op, b)
}

// batchCall is rawCall for asynchronous writes: it returns the receipt.
func (c *Client) batchCall(ctx context.Context, op, where string, req bodier) (*Receipt, error) {
	res, err := c.rawCall(ctx, op, where, req)
	if err != nil {
		return nil, err
	}
	return receiptOf(op, res)
}

// receiptOf decodes a batch write's receipt; a receipt without rows says
// nothing about the write and is an error.
func receiptOf(op string, res *Result) (*Receipt, error) {
	rc, err := decodeReceipt(res)
	if err != nil {
		return nil, &Error{Op: op, Message: "cannot decode the batch receipt", Raw: excerpt(res.Data), Err: err}
	}
	if len(rc.Rows) == 0 {
		return nil, &Error{Op: op, Message: "the answer carries no receipt rows", Raw: excerpt(res.Data), Err: errNoData}
	}
	return rc, nil
}
