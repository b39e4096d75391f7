package kingdee

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/hetong-go/hetong"
)

// FormPayApply is the form id of 付款申请单 (payment application). It sits
// between 应付单 AP_PAYABLE and 付款单 AP_PAYBILL; push it on with the
// rule RulePayApplyToPayBill.
const FormPayApply = "CN_PAYAPPLY"

// FormPayBill is the form id of 付款单.
const FormPayBill = "AP_PAYBILL"

// RulePayApplyToPayBill converts a 付款申请单 into a 付款单 (Push).
const RulePayApplyToPayBill = "CN_PAYAPPLYTOPAYBILL"

// Document statuses (FDocumentStatus) of a bill.
const (
	StatusDraft      = "Z" // 暂存
	StatusCreated    = "A" // 创建
	StatusAuditing   = "B" // 审核中 (submitted)
	StatusAudited    = "C" // 已审核
	StatusReAuditing = "D" // 重新审核 (after UnAudit)
)

// PayApply is a 付款申请单 (CN_PAYAPPLY) model for Save and BatchSave.
// Fields the type does not name — customer extensions such as
// F_VAOJ_HKSX (货款属性) — go in Custom and are sent as top-level keys.
type PayApply struct {
	// ID is FID, the internal id: 0 creates a new bill.
	ID int64 `json:"FID"`
	// BillNo is FBillNo (单据编号); empty lets the server number the bill.
	BillNo string `json:"FBillNo,omitempty"`
	// BillType is FBILLTYPEID (单据类型), e.g. Number("FKSQ01_SYS").
	BillType *Ref `json:"FBILLTYPEID,omitempty"`
	// Date is FDATE (申请日期), "yyyy-MM-dd".
	Date string `json:"FDATE,omitempty"`
	// ContactUnitType is FCONTACTUNITTYPE (往来单位类型): "BD_Supplier",
	// "BD_Empinfo", "BD_Department", ...
	ContactUnitType string `json:"FCONTACTUNITTYPE,omitempty"`
	// ContactUnit is FCONTACTUNIT (往来单位).
	ContactUnit *Ref `json:"FCONTACTUNIT,omitempty"`
	// RectUnitType is FRECTUNITTYPE (收款单位类型).
	RectUnitType string `json:"FRECTUNITTYPE,omitempty"`
	// RectUnit is FRECTUNIT (收款单位).
	RectUnit *Ref `json:"FRECTUNIT,omitempty"`
	// Currency is FCURRENCYID (币别), e.g. Number("PRE001").
	Currency *Ref `json:"FCURRENCYID,omitempty"`
	// SettleCurrency is FSETTLECUR (结算币别).
	SettleCurrency *Ref `json:"FSETTLECUR,omitempty"`
	// PayOrg is FPAYORGID (付款组织), e.g. Number("100").
	PayOrg *Ref `json:"FPAYORGID,omitempty"`
	// SettleOrg is FSETTLEORGID (结算组织).
	SettleOrg *Ref `json:"FSETTLEORGID,omitempty"`
	// ApplyOrg is FAPPLYORGID (申请组织).
	ApplyOrg *Ref `json:"FAPPLYORGID,omitempty"`
	// Department is FDEPARTMENT (申请部门).
	Department *Ref `json:"FDEPARTMENT,omitempty"`
	// PurchaseOrg is FPURCHASEORGID (采购组织).
	PurchaseOrg *Ref `json:"FPURCHASEORGID,omitempty"`
	// Remark is FREMARK (备注).
	Remark string `json:"FREMARK,omitempty"`
	// ApplyAmount is FAPPLYAMOUNTFOR_H (申请付款金额合计), computed by the
	// server; left out when zero.
	ApplyAmount hetong.Amount `json:"FAPPLYAMOUNTFOR_H,omitzero"`
	// DocumentStatus is FDOCUMENTSTATUS, read only: see StatusCreated etc.
	DocumentStatus string `json:"FDOCUMENTSTATUS,omitempty"`
	// Entries is the entry table FPAYAPPLYENTRY (明细).
	Entries []PayApplyEntry `json:"FPAYAPPLYENTRY,omitempty"`
	// Custom holds extension fields by key, e.g. {"F_VAOJ_HKSX": "货款"}.
	// A key that duplicates a typed field is an encoding error.
	Custom map[string]any `json:"-"`
}

// PayApplyEntry is one row of FPAYAPPLYENTRY.
type PayApplyEntry struct {
	// EntryID is FEntryID: 0 for a new row, the row id on update.
	EntryID int64 `json:"FEntryID,omitempty"`
	// Cost is FCOSTID (费用项目).
	Cost *Ref `json:"FCOSTID,omitempty"`
	// PayPurpose is FPAYPURPOSEID (付款用途), e.g. Number("SFKYT09_SYS").
	PayPurpose *Ref `json:"FPAYPURPOSEID,omitempty"`
	// SettleType is FSETTLETYPEID (结算方式).
	SettleType *Ref `json:"FSETTLETYPEID,omitempty"`
	// EndDate is FENDDATE (到期日), "yyyy-MM-dd".
	EndDate string `json:"FENDDATE,omitempty"`
	// ExpectPayDate is FEXPECTPAYDATE (期望付款日期), "yyyy-MM-dd".
	ExpectPayDate string `json:"FEXPECTPAYDATE,omitempty"`
	// ApplyAmount is FAPPLYAMOUNTFOR (申请付款金额).
	ApplyAmount hetong.Amount `json:"FAPPLYAMOUNTFOR,omitzero"`
	// PayAmount is FPAYAMOUNTFOR (付款金额).
	PayAmount hetong.Amount `json:"FPAYAMOUNTFOR,omitzero"`
	// BankAccount is FEACHBANKACCOUNT (对方银行账号).
	BankAccount string `json:"FEACHBANKACCOUNT,omitempty"`
	// AccountName is FEACHCCOUNTNAME (对方账户名称; Kingdee's spelling).
	AccountName string `json:"FEACHCCOUNTNAME,omitempty"`
	// BankName is FEACHBANKNAME (对方开户行).
	BankName string `json:"FEACHBANKNAME,omitempty"`
	// Description is FDescription (备注).
	Description string `json:"FDescription,omitempty"`
	// SrcBillNo is FSRCBILLNO (源单编号).
	SrcBillNo string `json:"FSRCBILLNO,omitempty"`
	// SourceType is FSOURCETYPE (源单类型).
	SourceType string `json:"FSOURCETYPE,omitempty"`
	// Custom holds extension fields of the row.
	Custom map[string]any `json:"-"`
}

type payApplyAlias PayApply
type payApplyEntryAlias PayApplyEntry

// MarshalJSON writes the typed fields, then the Custom keys in order.
func (p PayApply) MarshalJSON() ([]byte, error) {
	return withCustom(payApplyAlias(p), p.Custom)
}

// UnmarshalJSON reads the typed fields and keeps every other key in Custom.
func (p *PayApply) UnmarshalJSON(b []byte) error {
	var a payApplyAlias
	custom, err := splitCustom(b, &a)
	if err != nil {
		return err
	}
	*p = PayApply(a)
	p.Custom = custom
	return nil
}

// MarshalJSON writes the typed fields, then the Custom keys in order.
func (e PayApplyEntry) MarshalJSON() ([]byte, error) {
	return withCustom(payApplyEntryAlias(e), e.Custom)
}

// UnmarshalJSON reads the typed fields and keeps every other key in Custom.
func (e *PayApplyEntry) UnmarshalJSON(b []byte) error {
	var a payApplyEntryAlias
	custom, err := splitCustom(b, &a)
	if err != nil {
		return err
	}
	*e = PayApplyEntry(a)
	e.Custom = custom
	return nil
}

var knownKeys sync.Map // reflect.Type → map[string]bool (lower-case JSON keys)

func keysOf(t reflect.Type) map[string]bool {
	if k, ok := knownKeys.Load(t); ok {
		return k.(map[string]bool)
	}
	m := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[strings.ToLower(name)] = true
		}
	}
	knownKeys.Store(t, m)
	return m
}

// withCustom marshals v and appends custom's members, sorted by key.
func withCustom(v any, custom map[string]any) ([]byte, error) {
	base, err := json.Marshal(v)
	if err != nil || len(custom) == 0 {
		return base, err
	}
	known := keysOf(reflect.TypeOf(v))
	keys := make([]string, 0, len(custom))
	for k := range custom {
		if strings.TrimSpace(k) == "" {
			return nil, errors.New("field Custom: empty field key")
		}
		if known[strings.ToLower(k)] {
			return nil, fmt.Errorf("field Custom[%q]: duplicates a typed field; set the field instead", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.Write(base[:len(base)-1])
	sep := len(base) > 2
	for _, k := range keys {
		val, err := json.Marshal(custom[k])
		if err != nil {
			return nil, fmt.Errorf("field Custom[%q]: %w", k, err)
		}
		if sep {
			buf.WriteByte(',')
		}
		sep = true
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(val)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// splitCustom decodes b into alias and returns the members alias does not name.
func splitCustom(b []byte, alias any) (map[string]any, error) {
	if err := json.Unmarshal(b, alias); err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	known := keysOf(reflect.TypeOf(alias).Elem())
	var custom map[string]any
	for k, raw := range all {
		if known[strings.ToLower(k)] {
			continue
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if custom == nil {
			custom = map[string]any{}
		}
		custom[k] = v
	}
	return custom, nil
}
