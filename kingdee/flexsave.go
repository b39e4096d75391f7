package kingdee

import (
	"context"
	"reflect"
	"strings"
)

// FlexSaveRequest saves a flexible-field combination (弹性域), e.g. the
// 核算维度 values of a voucher line, and returns its id.
type FlexSaveRequest struct {
	// FormID is the flexible-field form, e.g. "BD_FLEXSITEMDETAILV"
	// (核算维度组合). Required.
	FormID string
	// Model holds the flexible fields, e.g. {"FFLEX4": {"FNumber":
	// "VEN001"}}: a map or a struct. Required, not empty.
	Model any
}

// FlexSave saves a flexible-field combination (弹性域保存). The server
// keeps one id per distinct combination, so saving the same values again
// returns the same ID. Never retried.
func (c *Client) FlexSave(ctx context.Context, req *FlexSaveRequest) (*SaveResponse, error) {
	if req == nil {
		return nil, inputError("FlexSave", "FlexSaveRequest", "required")
	}
	if strings.TrimSpace(req.FormID) == "" {
		return nil, inputError("FlexSave", "FlexSaveRequest.FormID", "required (e.g. BD_FLEXSITEMDETAILV)")
	}
	if isEmptyModel(req.Model) {
		return nil, inputError("FlexSave", "FlexSaveRequest.Model", "required")
	}
	return c.save(ctx, "FlexSave", req.FormID, saveData{Model: req.Model})
}

// isEmptyModel reports nil, a nil pointer or map, or an empty map.
func isEmptyModel(m any) bool {
	v := reflect.ValueOf(m)
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return true
		}
		v = v.Elem()
	}
	return !v.IsValid() || (v.Kind() == reflect.Map && v.Len() == 0)
}
