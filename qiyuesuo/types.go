package qiyuesuo

import (
	"net/url"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/internal/flex"
)

// ID is a platform identifier (contract, document, signatory, action,
// seal ...). IDs are 19-digit integers that lose precision as float64, so
// they are kept as decimal text; an ID that arrives as a JSON number is
// accepted and kept exactly, and every ID is sent as a JSON string.
type ID string

// UnmarshalJSON accepts a JSON string or number.
func (id *ID) UnmarshalJSON(b []byte) error { return (*flex.String)(id).UnmarshalJSON(b) }

// String returns the ID's decimal text.
func (id ID) String() string { return string(id) }

// DateTime is a time sent and received as "yyyy-MM-dd HH:mm:ss" in China
// Standard Time; wrap a time.Time as DateTime{Time: t}. It also accepts
// "yyyy-MM-dd", RFC 3339 and Unix milliseconds when reading. The zero
// value encodes as null.
type DateTime struct{ time.Time }

// UnmarshalJSON reads any of the time shapes the platform sends.
func (t *DateTime) UnmarshalJSON(b []byte) error {
	var ft flex.Time
	if err := ft.UnmarshalJSON(b); err != nil {
		return err
	}
	t.Time = ft.Time
	return nil
}

// MarshalJSON writes "yyyy-MM-dd HH:mm:ss" in China Standard Time.
func (t DateTime) MarshalJSON() ([]byte, error) { return flex.Time{Time: t.Time}.MarshalJSON() }

// String returns the wire form, "" for the zero time.
func (t DateTime) String() string {
	if t.IsZero() {
		return ""
	}
	return t.In(flex.Shanghai).Format(flex.DateTimeLayout)
}

// EncodeValues puts the wire form into a query string (go-querystring's
// query.Encoder); the zero time is left out.
func (t DateTime) EncodeValues(key string, v *url.Values) error {
	if !t.IsZero() {
		v.Set(key, t.String())
	}
	return nil
}

// Tenant types (签署方类型).
const (
	TenantCompany  = "COMPANY"
	TenantPersonal = "PERSONAL"
)

// Contact types of a [User].
const (
	ContactMobile     = "MOBILE"
	ContactEmail      = "EMAIL"
	ContactEmployeeID = "EMPLOYEEID"
	ContactNumber     = "NUMBER"
	ContactBizID      = "BIZID"
)

// Action types (签署动作): company seal, operator signature, legal person
// (LP), approval (审批) and personal signature.
const (
	ActionCompany  = "COMPANY"
	ActionOperator = "OPERATOR"
	ActionLP       = "LP"
	ActionAudit    = "AUDIT"
	ActionPersonal = "PERSONAL"
)

// Contract statuses. The platform may add more; treat the set as open.
const (
	StatusDraft      = "DRAFT"
	StatusSigning    = "SIGNING"
	StatusComplete   = "COMPLETE"
	StatusRecalled   = "RECALLED"
	StatusRejected   = "REJECTED"
	StatusExpired    = "EXPIRED"
	StatusFilling    = "FILLING"
	StatusInvaliding = "INVALIDING"
	StatusInvalided  = "INVALIDED"
	StatusForceEnd   = "FORCE_END"
)

// Download items (下载项) of a contract archive ([ContractDownloadRequest]).
const (
	ItemContract          = "CONTRACT"
	ItemSignLog           = "SIGNLOG"
	ItemAttachment        = "ATTACHMENT"
	ItemNotary            = "NOTARY"
	ItemEndSignAttachment = "ENDSIGN_ATTACHMENT"
	ItemCert              = "CERT"
)

// Page types of [ContractSignURLRequest].
const (
	PageSign       = "SIGN"
	PagePrint      = "PRINT"
	PageDirectSign = "DIRECT_SIGN"
)

// Callback encryption types of the app's callback configuration.
const (
	EncryptAESECB = "AES_ECB"
	EncryptAESCBC = "AES_CBC"
)

// amountAsString returns a copy of a that marshals as a JSON string.
func amountAsString(a *hetong.Amount) *hetong.Amount {
	if a == nil {
		return nil
	}
	s := a.AsString()
	return &s
}
