package kingdee

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/flex"
)

// GroupSaveRequest creates or updates one group (分组) of a base-data form,
// e.g. a 物料分组 of BD_MATERIAL (分组保存, GroupSave).
type GroupSaveRequest struct {
	// FormID is the base-data business object, e.g. "BD_MATERIAL". Required.
	FormID string `json:"-"`
	// GroupFieldKey is the group field, e.g. "FMaterialGroup"; empty uses
	// the form's first group field.
	GroupFieldKey string `json:"GroupFieldKey"`
	// GroupPkID is the group's id to update; 0 creates a group.
	GroupPkID int64 `json:"GroupPkId"`
	// ParentID is the parent group's id (上级分组); 0 for a top-level group.
	ParentID int64 `json:"FParentId"`
	// Number is the group's number (编码). Required.
	Number string `json:"FNumber"`
	// Name is the group's name (名称). Required.
	Name string `json:"FName"`
	// Description is the group's description (描述).
	Description string `json:"FDescription"`
}

// GroupSaveResponse identifies the saved group.
type GroupSaveResponse struct {
	// ID is the group's id (GroupPkId for later calls).
	ID string
	// Number is the group's number.
	Number string
}

// GroupSave creates or updates a base-data group (分组保存). Never retried.
func (c *Client) GroupSave(ctx context.Context, req *GroupSaveRequest) (*GroupSaveResponse, error) {
	switch {
	case req == nil:
		return nil, inputError("GroupSave", "GroupSaveRequest", "required")
	case strings.TrimSpace(req.FormID) == "":
		return nil, inputError("GroupSave", "GroupSaveRequest.FormID", "required (e.g. BD_MATERIAL)")
	case strings.TrimSpace(req.Number) == "":
		return nil, inputError("GroupSave", "GroupSaveRequest.Number", "required")
	case strings.TrimSpace(req.Name) == "":
		return nil, inputError("GroupSave", "GroupSaveRequest.Name", "required")
	case req.GroupPkID < 0:
		return nil, inputError("GroupSave", "GroupSaveRequest.GroupPkID", "must not be negative")
	case req.ParentID < 0:
		return nil, inputError("GroupSave", "GroupSaveRequest.ParentID", "must not be negative")
	}
	res, err := c.operation(ctx, dfs("GroupSave", formData{FormID: req.FormID, Data: req}, false))
	if err != nil {
		return nil, err
	}
	if len(res.Entities) == 0 {
		return nil, &Error{Op: "GroupSave", HTTPStatus: 200, Message: "the answer names no saved group", red: c.tc.Redactor()}
	}
	return &GroupSaveResponse{ID: res.Entities[0].ID, Number: res.Entities[0].Number}, nil
}

// QueryGroupInfoRequest reads the groups of a base-data form (分组查询).
type QueryGroupInfoRequest struct {
	// FormID is the base-data business object, e.g. "BD_MATERIAL". Required.
	FormID string
	// GroupFieldKey is the group field, e.g. "FMaterialGroup"; empty uses
	// the form's first group field.
	GroupFieldKey string
	// GroupPkIDs limits the answer to these groups (they win over IDs).
	GroupPkIDs []string
	// IDs limits the answer to the groups of these records (单据内码).
	IDs []string
}

// Group is one base-data group.
type Group struct {
	// ID is the group's id.
	ID string
	// Number is the group's number (编码).
	Number string
	// Name is the group's name (名称).
	Name string
	// ParentID is the parent group's id, "0" or empty at the top.
	ParentID string
	// Description is the group's description.
	Description string
	// Raw is the group as the server sent it.
	Raw json.RawMessage
}

// QueryGroupInfoResponse lists groups in the server's order.
type QueryGroupInfoResponse struct {
	// Groups are the groups found.
	Groups []Group
}

// QueryGroupInfo reads base-data groups (查询分组信息). Idempotent.
func (c *Client) QueryGroupInfo(ctx context.Context, req *QueryGroupInfoRequest) (*QueryGroupInfoResponse, error) {
	if req == nil {
		return nil, inputError("QueryGroupInfo", "QueryGroupInfoRequest", "required")
	}
	if strings.TrimSpace(req.FormID) == "" {
		return nil, inputError("QueryGroupInfo", "QueryGroupInfoRequest.FormID", "required (e.g. BD_MATERIAL)")
	}
	if err := checkIDList("QueryGroupInfo", "QueryGroupInfoRequest.GroupPkIDs", req.GroupPkIDs); err != nil {
		return nil, err
	}
	if err := checkIDList("QueryGroupInfo", "QueryGroupInfoRequest.IDs", req.IDs); err != nil {
		return nil, err
	}
	data := struct {
		FormID        string `json:"FormId"`
		GroupFieldKey string `json:"GroupFieldKey"`
		GroupPkIDs    string `json:"GroupPkIds"`
		IDs           string `json:"Ids"`
	}{req.FormID, req.GroupFieldKey, strings.Join(req.GroupPkIDs, ","), strings.Join(req.IDs, ",")}
	const op = "QueryGroupInfo"
	body, err := c.exec(ctx, dfs(op, formData{Data: data}, true))
	if err != nil {
		return nil, err
	}
	list, err := groupList(body)
	if err != nil {
		return nil, &Error{Op: op, HTTPStatus: 200, Message: "cannot decode the groups", Err: err, red: c.tc.Redactor()}
	}
	out := &QueryGroupInfoResponse{Groups: make([]Group, 0, len(list))}
	for _, raw := range list {
		g, err := decodeGroup(raw)
		if err != nil {
			return nil, &Error{Op: op, HTTPStatus: 200, Message: "cannot decode a group", Err: err, red: c.tc.Redactor()}
		}
		out.Groups = append(out.Groups, g)
	}
	return out, nil
}

// groupList finds the list of groups: Result.Result or
// Result.NeedReturnData (both seen in the wild), or a bare array.
func groupList(body []byte) ([]json.RawMessage, error) {
	b := bytes.TrimSpace(body)
	var list []json.RawMessage
	if len(b) > 0 && b[0] == '[' {
		return list, json.Unmarshal(b, &list)
	}
	var env struct {
		Result *struct {
			Result         json.RawMessage `json:"Result"`
			NeedReturnData json.RawMessage `json:"NeedReturnData"`
		} `json:"Result"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, err
	}
	if env.Result == nil {
		return nil, errEmptyAnswer
	}
	for _, cand := range []json.RawMessage{env.Result.Result, env.Result.NeedReturnData} {
		if l := rawList(cand); l != nil {
			return l, nil
		}
	}
	return nil, nil
}

// decodeGroup reads a group whatever the key casing (FNumber, FNUMBER,
// Number); a localised name [{"Key":2052,"Value":"…"}] gives its first value.
func decodeGroup(raw json.RawMessage) (Group, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Group{}, err
	}
	lower := make(map[string]json.RawMessage, len(fields))
	for k, v := range fields {
		lower[strings.ToLower(k)] = v
	}
	get := func(keys ...string) string {
		for _, k := range keys {
			v, ok := lower[k]
			if !ok {
				continue
			}
			var s flex.String
			if s.UnmarshalJSON(v) == nil {
				return string(s)
			}
			var loc []struct {
				Value flex.String `json:"Value"`
			}
			if json.Unmarshal(v, &loc) == nil && len(loc) > 0 {
				return string(loc[0].Value)
			}
		}
		return ""
	}
	return Group{ID: get("fid", "id", "fgroupid", "grouppkid"), Number: get("fnumber", "number"),
		Name: get("fname", "name"), ParentID: get("fparentid", "parentid"),
		Description: get("fdescription", "description"), Raw: raw}, nil
}

// GroupDeleteRequest deletes groups of a base-data form (分组删除).
type GroupDeleteRequest struct {
	// FormID is the base-data business object, e.g. "BD_MATERIAL". Required.
	FormID string
	// GroupFieldKey is the group field, e.g. "FMaterialGroup".
	GroupFieldKey string
	// GroupPkIDs are the groups to delete. Required.
	GroupPkIDs []string
}

// GroupDelete deletes base-data groups (分组删除); a group that still has
// sub-groups cannot be deleted. Never retried.
func (c *Client) GroupDelete(ctx context.Context, req *GroupDeleteRequest) (*OperationResponse, error) {
	if req == nil {
		return nil, inputError("GroupDelete", "GroupDeleteRequest", "required")
	}
	if strings.TrimSpace(req.FormID) == "" {
		return nil, inputError("GroupDelete", "GroupDeleteRequest.FormID", "required (e.g. BD_MATERIAL)")
	}
	if len(req.GroupPkIDs) == 0 {
		return nil, inputError("GroupDelete", "GroupDeleteRequest.GroupPkIDs", "required")
	}
	if err := checkIDList("GroupDelete", "GroupDeleteRequest.GroupPkIDs", req.GroupPkIDs); err != nil {
		return nil, err
	}
	data := struct {
		FormID        string `json:"FormId"`
		GroupFieldKey string `json:"GroupFieldKey"`
		GroupPkIDs    string `json:"GroupPkIds"`
	}{req.FormID, req.GroupFieldKey, strings.Join(req.GroupPkIDs, ",")}
	return c.operation(ctx, dfs("GroupDelete", formData{Data: data}, false))
}

// checkIDList rejects ids that are empty or would break the comma join.
func checkIDList(op, field string, ids []string) error {
	for i, id := range ids {
		if strings.TrimSpace(id) == "" || strings.Contains(id, ",") {
			return inputError(op, field+"["+strconv.Itoa(i)+"]", "must not be empty or contain a comma")
		}
	}
	return nil
}
