package kingdee

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
)

// MsgCode is ResponseStatus.MsgCode, the code to switch on (ErrorCode is
// almost always 500 and says little).
type MsgCode int

// MsgCode values from Kingdee's table.
const (
	MsgCodeDefault         MsgCode = 0  // 默认
	MsgCodeContextLost     MsgCode = 1  // 上下文丢失: in practice bad credentials or an expired session
	MsgCodeNoPermission    MsgCode = 2  // 没有权限
	MsgCodeEmptyOperation  MsgCode = 3  // 操作标识为空
	MsgCodeException       MsgCode = 4  // 异常
	MsgCodeEmptyBillID     MsgCode = 5  // 单据标识为空
	MsgCodeDatabase        MsgCode = 6  // 数据库操作失败
	MsgCodeLicence         MsgCode = 7  // 许可错误
	MsgCodeBadParameter    MsgCode = 8  // 参数错误
	MsgCodeNoSuchField     MsgCode = 9  // 指定字段/值不存在
	MsgCodeNotFound        MsgCode = 10 // 未找到对应数据
	MsgCodeValidation      MsgCode = 11 // 验证失败
	MsgCodeNotOperable     MsgCode = 12 // 不可操作
	MsgCodeNetworkCtrl     MsgCode = 13 // 网控冲突
	MsgCodeCallLimit       MsgCode = 14 // 调用限制
	MsgCodeAdminLoginLimit MsgCode = 15 // 禁止管理员登录
)

var msgCodeMeaning = map[MsgCode]string{
	MsgCodeDefault:         "default",
	MsgCodeContextLost:     "context lost (会话信息已丢失): check AcctID, Username, AppID, AppSecret and LCID",
	MsgCodeNoPermission:    "no permission",
	MsgCodeEmptyOperation:  "empty operation id",
	MsgCodeException:       "exception",
	MsgCodeEmptyBillID:     "empty bill id",
	MsgCodeDatabase:        "database failure",
	MsgCodeLicence:         "licence error",
	MsgCodeBadParameter:    "bad parameter",
	MsgCodeNoSuchField:     "field or value does not exist",
	MsgCodeNotFound:        "data not found",
	MsgCodeValidation:      "validation failed",
	MsgCodeNotOperable:     "not operable",
	MsgCodeNetworkCtrl:     "network-control conflict",
	MsgCodeCallLimit:       "call limit reached",
	MsgCodeAdminLoginLimit: "administrator login forbidden",
}

// String returns the code's meaning.
func (c MsgCode) String() string {
	if s, ok := msgCodeMeaning[c]; ok {
		return s
	}
	return "MsgCode " + strconv.Itoa(int(c))
}

// ErrAuth matches (with errors.Is) every authentication failure: a login
// refused, a MsgCode 1 answer, a bad account id.
var ErrAuth = errors.New("kingdee: authentication failed")

// RowError is one failed row of a ResponseStatus: DIndex is the position of
// the model in the request (BatchSave) or of the bill in Numbers/Ids.
type RowError struct {
	// DIndex is the failed row's position in the request.
	DIndex int
	// FieldName is the offending field key, when the server names one.
	FieldName string
	// Message is the server's text.
	Message string
}

// Entity is a bill the server acted on: SuccessEntitys[].
type Entity struct {
	// ID is the internal id (FID) as the server sent it.
	ID string
	// Number is the bill number.
	Number string
	// DIndex is the row's position in the request.
	DIndex int
}

// Error is every failure of this package: bad input refused before
// sending (Err is ErrInvalidRequest), a ResponseStatus with IsSuccess
// false, a login refused, a framework error (response_error:), a body that
// is not JSON, or a transport failure (then Err is the transport error, so
// errors.Is(err, context.DeadlineExceeded) works). Its text reads
// "kingdee: <Op>: <message> (code <MsgCode>, HTTP <status>)" and is
// redacted, as is its %#v form.
type Error struct {
	// Op is the operation, e.g. "BatchSave", or "NewClient".
	Op string
	// Code is ResponseStatus.MsgCode as text ("11"), empty when none.
	Code string
	// Message summarises what happened.
	Message string
	// RequestID is empty: Kingdee returns none. Kept for symmetry with the
	// other hetong packages.
	RequestID string
	// HTTPStatus is the HTTP status, 0 when no response arrived.
	HTTPStatus int
	// Err is the cause, if any.
	Err error
	// MsgCode is ResponseStatus.MsgCode, typed: switch on it (ErrorCode is
	// almost always 500 and says little).
	MsgCode MsgCode
	// ErrorCode is ResponseStatus.ErrorCode (usually 500 on failure).
	ErrorCode int
	// Rows lists every row error in order.
	Rows []RowError
	// Saved lists the rows that did succeed when a BatchSave failed in
	// part; resend only the others.
	Saved []Entity

	auth       bool
	causeShown bool // Message already describes Err
	red        *redact.Redactor
}

// maxRowsShown bounds the row errors written into Error().
const maxRowsShown = 10

// Error describes the failure with every row error, redacted.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.MsgCode == MsgCodeContextLost {
		b.WriteString(" [" + e.MsgCode.String() + "]")
	}
	for i, r := range e.Rows {
		if len(e.Rows) == 1 && r.FieldName == "" && r.Message == e.Message {
			break // already said
		}
		if i == maxRowsShown {
			fmt.Fprintf(&b, "; and %d more row errors", len(e.Rows)-i)
			break
		}
		fmt.Fprintf(&b, "; row %d", r.DIndex)
		if r.FieldName != "" {
			fmt.Fprintf(&b, " field %s", r.FieldName)
		}
		b.WriteString(": " + r.Message)
	}
	if e.Err != nil && e.Err != ErrInvalidRequest && !e.causeShown {
		b.WriteString(": " + errfmt.Describe(e.Err))
	}
	return e.red.String(errfmt.Format("kingdee", e.Op, b.String(), e.Code, e.RequestID, e.HTTPStatus))
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrAuth) true for authentication failures.
func (e *Error) Is(target error) bool {
	return target == ErrAuth && (e.auth || e.MsgCode == MsgCodeContextLost)
}

// IsCode reports whether err is an *Error with the given MsgCode.
func IsCode(err error, code MsgCode) bool {
	var e *Error
	return errors.As(err, &e) && e.MsgCode == code
}

// GoString returns the redacted Error text, so that %#v shows no secret.
func (e *Error) GoString() string { return e.Error() }

// ErrInvalidRequest matches (with errors.Is) every error about bad input
// found before anything was sent: a Config field, an option or a request
// field. The *Error's Message names the field.
var ErrInvalidRequest = errfmt.ErrInvalidRequest

// inputError names the request field that is wrong, before anything is sent.
func inputError(op, field, rule string) error {
	return &Error{Op: op, Message: field + ": " + rule, Err: ErrInvalidRequest}
}

// configError names the Config field NewClient refuses.
func configError(field, rule string) error {
	return &Error{Op: "NewClient", Message: field + ": " + rule, Err: ErrInvalidRequest}
}

// optionError reports an option NewClient refuses.
func optionError(err error) error {
	return &Error{Op: "NewClient", Message: errDescribe(err), Err: ErrInvalidRequest}
}

// errDescribe is an error's own text, without a package prefix.
func errDescribe(err error) string {
	return strings.TrimPrefix(errfmt.Describe(err), "kingdee: ")
}
