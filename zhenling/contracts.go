package zhenling

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/internal/errfmt"
)

// ContractService covers 3.x 合同管理: the contract list, creation, the
// queries of 查询合同关联数据, changes (变更) and other contract writes.
type ContractService service

// ContractListRequest is the body of 3.24 合同列表查询 (fields as documented).
type ContractListRequest struct {
	Paging
	// StartTime and EndTime bound the last-update time, "yyyy-MM-dd HH:mm:ss".
	StartTime            string `json:"startTime,omitempty"`
	EndTime              string `json:"endTime,omitempty"`
	ContractNumber       string `json:"contractNumber,omitempty"`       // 合同编码
	ContractSerialNumber string `json:"contractSerialNumber,omitempty"` // 合同流水号
	// OtherSourceReceipt is the 来源单据号: the SourceCode a contract was
	// created with (3.4's sourceDocumentNumber).
	OtherSourceReceipt string                 `json:"otherSourceReceipt,omitempty"`
	StatusCode         string                 `json:"statusCode,omitempty"` // 合同状态, e.g. "N"
	Condition          *ContractListCondition `json:"condition,omitempty"`
	UserContext
	Extra map[string]any `json:"-"`
}

// ContractListCondition narrows 3.24 by category, validity and department.
type ContractListCondition struct {
	CategoryUUID string `json:"categoryUuid,omitempty"`
	// StartDate and EndDate bound the validity period, "yyyy-MM-dd".
	StartDate               string `json:"startDate,omitempty"`
	EndDate                 string `json:"endDate,omitempty"`
	DepartmentCode          string `json:"departmentCode,omitempty"`          // 签订部门
	BelongingDepartmentCode string `json:"belongingDepartmentCode,omitempty"` // 业务归属部门
}

func (r *ContractListRequest) body(where string) ([]byte, error) { return r.pagedBody(where, 0) }

func (r *ContractListRequest) pagedBody(where string, base int) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	return encodePaged(where, *r, func(w *ContractListRequest) *Paging { return &w.Paging }, base, r.UserContext, r.Extra)
}

// Contract is a row of 3.24. Zhenling has not published the row's fields;
// the typed ones are those its other responses and the 3.40 body use (read
// others with [QueryPage]).
type Contract struct {
	ID                   String        `json:"id"`
	UUID                 String        `json:"uuid"`
	ContractNumber       String        `json:"contractNumber"`
	ContractSerialNumber String        `json:"contractSerialNumber"`
	ContractName         String        `json:"contractName"`
	StatusCode           String        `json:"statusCode"`
	SourceSystem         String        `json:"sourceSystem"`
	SourceCode           String        `json:"sourceCode"`
	OtherSourceReceipt   String        `json:"otherSourceReceipt"`
	CategoryUUID         String        `json:"categoryUuid"`
	Amount               hetong.Amount `json:"amount"`
	StartDate            String        `json:"startDate"`
	EndDate              String        `json:"endDate"`
	Audit
}

// List runs 3.24 合同列表查询 and returns one page.
func (s *ContractService) List(ctx context.Context, req *ContractListRequest) (*Page[Contract], error) {
	return typedPage[Contract](ctx, s.c, OpContractList, "ContractListRequest", req)
}

// AllContracts pages through 3.24 from req.Page on, yielding each
// contract; it stops at the first error (yielded once).
func (s *ContractService) AllContracts(ctx context.Context, req *ContractListRequest) iter.Seq2[Contract, error] {
	return pages(OpContractList, req, func(r *ContractListRequest) *Paging { return &r.Paging }, func(r *ContractListRequest) (*Page[Contract], error) {
		return s.List(ctx, r)
	})
}

// typedPage sends a documented paged query and decodes the envelope, the
// page and its rows in one pass. An answer without a page fails.
func typedPage[T any](ctx context.Context, c *Client, op, where string, req bodier) (*Page[T], error) {
	b, err := c.encode(op, where, req)
	if err != nil {
		return nil, err
	}
	w := wirePage[T]{want: 1000}
	if ps, ok := req.(interface{ pageSize() int }); ok {
		w.want = ps.pageSize()
	}
	if err := invokeTyped(ctx, c, op, b, &w, true, decodeWirePage[T]); err != nil {
		return nil, err
	}
	return w.page(), nil
}

// PagedRequest is a request of a paged query of this package
// ([ContractListRequest], [ContractQueryRequest],
// [PaymentPlanQueryRequest], [InvoiceQueryRequest]).
type PagedRequest interface {
	pagedBody(where string, base int) ([]byte, error)
	pageSize() int
}

// QueryPage runs the paged query op (e.g. [OpContractList]) and decodes
// its rows into your own type T: use it to read row fields this package
// does not type, with the same validation, page base, envelope handling
// and errors as the typed methods.
func QueryPage[T any](ctx context.Context, c *Client, op string, req PagedRequest) (*Page[T], error) {
	if req == nil {
		return nil, nilRequest("PagedRequest")
	}
	return typedPage[T](ctx, c, op, "PagedRequest", pagedOnly{req})
}

// pagedOnly adapts a PagedRequest to bodier.
type pagedOnly struct{ PagedRequest }

func (p pagedOnly) body(where string) ([]byte, error) { return p.pagedBody(where, 0) }

// MaxPages bounds every All* iterator: a server that never reports a
// last page cannot keep one looping forever.
const MaxPages = 10000

// pageCap is MaxPages; tests lower it.
var pageCap = MaxPages

// pages iterates over the pages fetch returns, advancing a copy of req.
// It stops after MaxPages pages, and when the server answers a page with
// the number of the page before (a cycle), with an error either way.
func pages[R any, T any](op string, req *R, paging func(*R) *Paging, fetch func(*R) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if req == nil {
			yield(zero, withOp(op, invalid("request", required)))
			return
		}
		r := *req
		var seen int64
		prevNumber := int64(-1)
		for n := 0; ; n++ {
			if n == pageCap {
				yield(zero, &Error{Op: op, Message: fmt.Sprintf("stopped after %d pages without a last page", pageCap)})
				return
			}
			p, err := fetch(&r)
			if err != nil {
				yield(zero, err)
				return
			}
			if n > 0 && p.Number != 0 && p.Number == prevNumber {
				yield(zero, &Error{Op: op, Message: fmt.Sprintf("the server answered page %d twice; stopped", p.Number)})
				return
			}
			prevNumber = p.Number
			for _, v := range p.Content {
				if !yield(v, nil) {
					return
				}
			}
			seen += int64(len(p.Content))
			pg := paging(&r)
			if lastPage(p, pg, seen) {
				return
			}
			pg.Page++
		}
	}
}

// lastPage decides when to stop: the server says so, the page is short or
// empty, or the total is reached.
func lastPage[T any](p *Page[T], pg *Paging, seen int64) bool {
	switch {
	case p.Last, len(p.Content) == 0, len(p.Content) < pg.Size:
		return true
	case p.TotalPages > 0 && int64(pg.Page)+1 >= p.TotalPages:
		return true
	case p.TotalElements > 0 && seen >= p.TotalElements:
		return true
	}
	return false
}

// ContractCreateRequest is the body of 3.40 创建合同: a batch of contracts
// ({"data":[...]}), created asynchronously.
type ContractCreateRequest struct {
	Data []ContractCreate `json:"data"`
	UserContext
	Extra map[string]any `json:"-"`
}

// ContractCreate is one contract of 3.40, with the fields of the published
// sample. Amount is a decimal string ("1000.12"); dates are "yyyy-MM-dd".
// validFlag, whose value the captured sample does not show, and fields
// after the point where the public sample ends go into Extra.
type ContractCreate struct {
	AutoCreateFlag bool   `json:"autoCreateFlag"`
	AutoSubmit     bool   `json:"autoSubmit"`
	OperateMethod  string `json:"operateMethod,omitempty"`
	// SourceCode is the 来源单据号: your system's unique id of the
	// contract, equal to the sourceDocumentNumber of its uploaded files.
	SourceCode   string `json:"sourceCode"`
	SourceSystem string `json:"sourceSystem,omitempty"` // e.g. "oms"
	SourceName   string `json:"sourceName,omitempty"`
	ContractName string `json:"contractName,omitempty"`
	Type         string `json:"type,omitempty"`

	CategoryUUID          string   `json:"categoryUuid,omitempty"`
	CategoryCode          string   `json:"categoryCode,omitempty"`
	CategoryCodeType      CodeType `json:"categoryCodeType,omitempty"`
	TemplateUniqueKey     string   `json:"templateUniqueKey,omitempty"`
	TemplateUniqueKeyType CodeType `json:"templateUniqueKeyType,omitempty"`
	PropertyCode          string   `json:"propertyCode,omitempty"` // e.g. "ORDINARY"
	// Amount is the contract amount (合同金额), sent as a decimal string
	// ("1000.12") like the sample, whatever form it was parsed from.
	Amount *hetong.Amount `json:"amount,omitempty"`

	ValidDateStartType string `json:"validDateStartType,omitempty"` // e.g. "DATE"
	StartDate          string `json:"startDate,omitempty"`
	ValidDateEndType   string `json:"validDateEndType,omitempty"`
	EndDate            string `json:"endDate,omitempty"`

	PrincipalID                 string   `json:"principalId,omitempty"` // 经办人
	PrincipalCode               string   `json:"principalCode,omitempty"`
	PrincipalCodeType           CodeType `json:"principalCodeType,omitempty"`
	DepartmentID                string   `json:"departmentId,omitempty"` // 签署部门
	DepartmentCode              string   `json:"departmentCode,omitempty"`
	DepartmentCodeType          CodeType `json:"departmentCodeType,omitempty"`
	BelongingDepartmentID       string   `json:"belongingDepartmentId,omitempty"` // 业务归属部门
	BelongingDepartmentCode     string   `json:"belongingDepartmentCode,omitempty"`
	BelongingDepartmentCodeType CodeType `json:"belongingDepartmentCodeType,omitempty"`

	ReCreateNewContract bool `json:"reCreateNewContract"`
	// UserID / UserCode + UserCodeType name the creating user (3.40 uses
	// this triple, with "LOGIN_NAME", instead of the UserContext).
	UserID       string   `json:"userId,omitempty"`
	UserCode     string   `json:"userCode,omitempty"`
	UserCodeType CodeType `json:"userCodeType,omitempty"`

	ChildList []ContractChild `json:"childList,omitempty"`
	// Extra holds further fields of the item (e.g. validFlag).
	Extra map[string]any `json:"-"`
}

// MarshalJSON merges Extra into the item and writes Amount as a string.
func (c ContractCreate) MarshalJSON() ([]byte, error) {
	type plain ContractCreate
	if c.Amount != nil {
		c.Amount = hetong.Ptr(c.Amount.AsString())
	}
	return encodeBody("ContractCreate", plain(c), c.Extra)
}

// checkExtra reports an Extra key that a typed field already sets.
func (c ContractCreate) checkExtra(where string) error {
	type plain ContractCreate
	_, err := encodeBody(where, plain(c), c.Extra)
	return err
}

// Child types of ContractCreate.ChildList seen in the published sample.
const (
	ChildPartyInformation = "partyInformation" // 相对方/签约方
	ChildContractLine     = "contractLine"     // 合同行
	ChildCustomLine       = "custContractLine" // 自定义合同行
	ChildAssociatedInfo   = "associatedInfo"   // 关联合同
	ChildSignInformation  = "signInformation"  // 签署信息
	ChildSignNode         = "signNode"         // 签署节点
)

// ContractChild is one entry of childList. Data items may be the typed
// structs below or maps, so a childType this package does not model can
// still be sent.
type ContractChild struct {
	ChildType string `json:"childType"`
	Data      []any  `json:"data"`
}

// PartyInformation is a partyInformation item. OurFlag and OurParty are
// the strings "true"/"false", as in the sample.
type PartyInformation struct {
	RoleCode    string `json:"roleCode,omitempty"`  // "J" 甲方, "Y" 乙方
	RoleOrder   string `json:"roleOrder,omitempty"` // order within the role, a string
	PartyNumber string `json:"partyNumber,omitempty"`
	OurFlag     string `json:"ourFlag,omitempty"`
	OurParty    string `json:"ourParty,omitempty"`
	SourceKey   string `json:"sourceKey,omitempty"`
}

// ContractLineItem is a contractLine item. Price (单价) and Quantity are
// JSON numbers in the sample; Price is written as a number whatever form
// it was parsed from, and json.Number keeps Quantity's text exact.
type ContractLineItem struct {
	Price         *hetong.Amount `json:"price,omitempty"`
	Quantity      json.Number    `json:"quantity,omitempty"`
	MaterialsCode string         `json:"materialsCode,omitempty"`
}

// MarshalJSON writes Price as a JSON number.
func (l ContractLineItem) MarshalJSON() ([]byte, error) {
	type plain ContractLineItem
	if l.Price != nil {
		l.Price = hetong.Ptr(l.Price.AsNumber())
	}
	return json.Marshal(plain(l))
}

// CustomContractLine is a custContractLine item (自定义合同行). The sample
// shows attributeVarchar1; further attribute columns go into a map item.
type CustomContractLine struct {
	CustomLineCode    string `json:"customLineCode,omitempty"`
	Item              string `json:"item,omitempty"`
	AttributeVarchar1 string `json:"attributeVarchar1,omitempty"`
}

// AssociatedInfo is an associatedInfo item (a related contract).
type AssociatedInfo struct {
	RelContractSerialNumber string `json:"relContractSerialNumber,omitempty"`
	RelContractNumber       string `json:"relContractNumber,omitempty"`
	TypeCode                string `json:"typeCode,omitempty"` // e.g. "SC"
}

// SignInformation is a signInformation item.
type SignInformation struct {
	SealOrder    string `json:"sealOrder,omitempty"`    // e.g. "OSF"
	SealMaterial string `json:"sealMaterial,omitempty"` // e.g. "PHYSICALSEAL"
	SignCount    string `json:"signCount,omitempty"`
	Deadline     string `json:"deadline,omitempty"`
}

// SignNode is a signNode item.
type SignNode struct {
	PartyNumber          string   `json:"partyNumber,omitempty"`
	PartyNumberType      CodeType `json:"partyNumberType,omitempty"`
	SignatoryEmpCode     string   `json:"signatoryEmpCode,omitempty"`
	SignatoryEmpCodeType CodeType `json:"signatoryEmpCodeType,omitempty"`
	SignatoryName        string   `json:"signatoryName,omitempty"`
}

// Children returns a ContractChild of childType holding items.
func Children[T any](childType string, items ...T) ContractChild {
	data := make([]any, len(items))
	for i, it := range items {
		data[i] = it
	}
	return ContractChild{ChildType: childType, Data: data}
}

func (r *ContractCreateRequest) body(where string) ([]byte, error) {
	if r == nil {
		return nil, nilRequest(where)
	}
	if len(r.Data) == 0 {
		return nil, invalid(where+".Data", errfmt.AtLeastItems(1))
	}
	for i, it := range r.Data {
		if strings.TrimSpace(it.SourceCode) == "" {
			return nil, invalid(fmt.Sprintf("%s.Data[%d].SourceCode", where, i), required+" (your system's unique contract id, 来源单据号)")
		}
		if err := it.checkExtra(fmt.Sprintf("%s.Data[%d]", where, i)); err != nil {
			return nil, err
		}
		for j, ch := range it.ChildList {
			if ch.ChildType == "" {
				return nil, invalid(fmt.Sprintf("%s.Data[%d].ChildList[%d].ChildType", where, i, j), required)
			}
		}
	}
	return encodeRequest(where, r, r.UserContext, r.Extra)
}

// Create runs 3.40 创建合同. It is asynchronous: the Receipt carries the
// batch id, and the outcome arrives by callback (see [ParseCallback]),
// keyed by sourceSystem + sourceCode. It is never re-sent after it may
// have reached the server. Zhenling has not published its invoke code and
// domain: configure them with WithOperation(OpContractCreate, ...).
func (s *ContractService) Create(ctx context.Context, req *ContractCreateRequest) (*Receipt, error) {
	return s.c.batchCall(ctx, OpContractCreate, "ContractCreateRequest", req)
}
