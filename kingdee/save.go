package kingdee

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
)

// Ref is a reference to base data (基础资料) by number, e.g. the currency
// {"FNumber":"PRE001"} or an organisation {"FNumber":"100"}.
type Ref struct {
	// FNumber is the base data's number (编码).
	FNumber string `json:"FNumber"`
}

// Number returns a reference to the base data with number n, or nil for ""
// so that an unset reference is left out of the model.
func Number(n string) *Ref {
	if n == "" {
		return nil
	}
	return &Ref{FNumber: n}
}

// SaveOptions are the keys of Save, Draft and BatchSave besides the model.
// A nil *bool leaves the server's default (true) in place; set one with
// hetong.Ptr(false).
type SaveOptions struct {
	// NeedUpDateFields lists the fields to update (partial update); the
	// model must then carry FID, and entry ids for entry fields.
	NeedUpDateFields []string `json:"NeedUpDateFields,omitempty"`
	// NeedReturnFields lists fields to return, e.g. "FBillNo" or "FEntity.FSeq".
	NeedReturnFields []string `json:"NeedReturnFields,omitempty"`
	// IsDeleteEntry deletes entries not sent on update (default true).
	IsDeleteEntry *bool `json:"IsDeleteEntry,omitempty"`
	// SubSystemID is the sub-system id.
	SubSystemID string `json:"SubSystemId,omitempty"`
	// IsVerifyBaseDataField validates every base-data reference (验证基础资料, default false).
	IsVerifyBaseDataField bool `json:"IsVerifyBaseDataField,omitempty"`
	// IsEntryBatchFill fills entries in batch (default true).
	IsEntryBatchFill *bool `json:"IsEntryBatchFill,omitempty"`
	// ValidateFlag runs the validators (default true).
	ValidateFlag *bool `json:"ValidateFlag,omitempty"`
	// NumberSearch looks base data up by number (default true).
	NumberSearch *bool `json:"NumberSearch,omitempty"`
	// IsAutoAdjustField adjusts dependent fields (default false).
	IsAutoAdjustField bool `json:"IsAutoAdjustField,omitempty"`
	// InterationFlags are interaction flags joined by ";", e.g. "STK_InvCheckResult".
	InterationFlags string `json:"InterationFlags,omitempty"`
	// IgnoreInterationFlag ignores interaction prompts (default true).
	IgnoreInterationFlag *bool `json:"IgnoreInterationFlag,omitempty"`
	// IsControlPrecision enforces field precision (default false).
	IsControlPrecision bool `json:"IsControlPrecision,omitempty"`
	// ValidateRepeatJSON rejects a model identical to an earlier one.
	ValidateRepeatJSON bool `json:"ValidateRepeatJson,omitempty"`
	// IsAutoSubmitAndAudit submits and audits after saving (提交并审核); not
	// in the official Save doc but honoured and used by integrators.
	IsAutoSubmitAndAudit bool `json:"IsAutoSubmitAndAudit,omitempty"`
}

// SaveRequest saves (新增/修改) one bill.
type SaveRequest struct {
	// FormID is the business object, e.g. FormPayApply ("CN_PAYAPPLY").
	FormID string
	// Model is the bill: a struct such as PayApply or a map. FID 0 (or
	// absent) creates a new bill.
	Model any
	SaveOptions
}

// BatchSaveRequest saves many bills in one call.
type BatchSaveRequest struct {
	// FormID is the business object, e.g. FormPayApply.
	FormID string
	// Models is a non-empty slice of bills (e.g. []PayApply or []map[string]any).
	Models any
	// BatchCount is the number of server threads (only used when there
	// are more bills than that).
	BatchCount int
	SaveOptions
}

// SaveResponse is the answer of Save, Draft and BatchSave.
type SaveResponse struct {
	// ID and Number are the saved bill's FID and FBillNo (Save, Draft).
	ID string
	// Number is the saved bill's FBillNo.
	Number string
	// Entities lists every saved bill with its DIndex (position in Models).
	Entities []Entity
	// Messages are the server's SuccessMessages.
	Messages []string
	// NeedReturnData holds the fields asked for with NeedReturnFields.
	NeedReturnData []json.RawMessage
}

type saveData struct {
	SaveOptions
	Model      any `json:"Model"`
	BatchCount int `json:"BatchCount,omitempty"`
}

type saveResult struct {
	Result struct {
		ResponseStatus *status         `json:"ResponseStatus"`
		ID             flex.String     `json:"Id"`
		Number         flex.String     `json:"Number"`
		NeedReturnData json.RawMessage `json:"NeedReturnData"`
	} `json:"Result"`
}

// Save saves one bill (保存). It is never retried after it may have
// reached the server; a lost session returns an error instead of a replay.
func (c *Client) Save(ctx context.Context, req *SaveRequest) (*SaveResponse, error) {
	return c.saveSingle(ctx, "Save", req)
}

// Draft saves one bill as a draft (暂存): required fields are not checked.
func (c *Client) Draft(ctx context.Context, req *SaveRequest) (*SaveResponse, error) {
	return c.saveSingle(ctx, "Draft", req)
}

func (c *Client) saveSingle(ctx context.Context, op string, req *SaveRequest) (*SaveResponse, error) {
	if req == nil {
		return nil, inputError(op, "SaveRequest", "required")
	}
	if err := checkModel(op, "SaveRequest", req.FormID, req.Model, false); err != nil {
		return nil, err
	}
	return c.save(ctx, op, req.FormID, saveData{SaveOptions: req.SaveOptions, Model: req.Model})
}

// BatchSave saves many bills (批量保存). When some bills fail, it returns
// both a response listing the saved ones and an *Error whose Rows name the
// failed ones by DIndex: resend only those. It is never retried
// automatically; the official doc advises a unique bill number, because a
// replayed batch creates duplicates.
func (c *Client) BatchSave(ctx context.Context, req *BatchSaveRequest) (*SaveResponse, error) {
	if req == nil {
		return nil, inputError("BatchSave", "BatchSaveRequest", "required")
	}
	if err := checkModel("BatchSave", "BatchSaveRequest", req.FormID, req.Models, true); err != nil {
		return nil, err
	}
	if req.BatchCount < 0 {
		return nil, inputError("BatchSave", "BatchSaveRequest.BatchCount", "must not be negative")
	}
	return c.save(ctx, "BatchSave", req.FormID, saveData{SaveOptions: req.SaveOptions, Model: req.Models, BatchCount: req.BatchCount})
}

func (c *Client) save(ctx context.Context, op, formID string, data saveData) (*SaveResponse, error) {
	body, err := c.exec(ctx, dfs(op, formData{FormID: formID, Data: data}, false))
	if body == nil {
		return nil, err
	}
	var res saveResult
	if derr := c.decode(op, body, &res); derr != nil {
		if err != nil {
			return nil, err
		}
		return nil, derr
	}
	out := &SaveResponse{ID: string(res.Result.ID), Number: string(res.Result.Number)}
	st := res.Result.ResponseStatus
	if st == nil {
		return nil, &Error{Op: op, HTTPStatus: 200, Message: "the answer holds no ResponseStatus", red: c.tc.Redactor()}
	}
	out.Entities, out.Messages = st.entities(), st.messages()
	out.NeedReturnData = rawList(res.Result.NeedReturnData)
	if err != nil && len(out.Entities) == 0 {
		return nil, err // nothing was saved
	}
	return out, err
}

// rawList accepts an array or a single value.
func rawList(b json.RawMessage) []json.RawMessage {
	b = json.RawMessage(strings.TrimSpace(string(b)))
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(b, &list) == nil {
		return list
	}
	return []json.RawMessage{b}
}

// checkModel validates FormID and the model (a slice when many).
func checkModel(op, name, formID string, model any, many bool) error {
	if strings.TrimSpace(formID) == "" {
		return inputError(op, name+".FormID", "required (e.g. "+FormPayApply+")")
	}
	field := name + ".Model"
	if many {
		field = name + ".Models"
	}
	if model == nil {
		return inputError(op, field, "required")
	}
	v := reflect.ValueOf(model)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return inputError(op, field, "required")
		}
		v = v.Elem()
	}
	isList := v.Kind() == reflect.Slice || v.Kind() == reflect.Array
	switch {
	case many && !isList:
		return inputError(op, field, "must be a slice of bills, got "+v.Type().String())
	case many && v.Len() == 0:
		return inputError(op, field, "must not be empty")
	case !many && isList && v.Type().Elem().Kind() != reflect.Uint8:
		return inputError(op, field, "must be one bill; use BatchSave for a slice")
	case !many && v.Kind() == reflect.Map && v.Len() == 0:
		return inputError(op, field, "must not be empty")
	}
	return nil
}
