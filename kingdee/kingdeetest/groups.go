package kingdeetest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// groupSet holds the groups of one group field of one form.
type groupSet struct {
	byID map[int64]*groupRec
}

type groupRec struct {
	id, parent         int64
	number, name, desc string
}

// defaultGroupFields is the group field an empty GroupFieldKey stands for.
var defaultGroupFields = map[string]string{"BD_MATERIAL": "FMATERIALGROUP"}

func (s *Server) groupSet(formID, fieldKey string) *groupSet {
	form, key := strings.ToUpper(formID), strings.ToUpper(strings.TrimSpace(fieldKey))
	if key == "" {
		key = defaultGroupFields[form]
		if key == "" {
			key = "FGROUP"
		}
	}
	g := s.groups[form+"|"+key]
	if g == nil {
		g = &groupSet{byID: map[int64]*groupRec{}}
		s.groups[form+"|"+key] = g
	}
	return g
}

func (g *groupSet) byNumber(n string) *groupRec {
	for _, r := range g.byID {
		if r.number == n {
			return r
		}
	}
	return nil
}

// groupSave creates a group, or updates GroupPkId, checking what the
// server checks: number and name present, number unique, parent known.
func (s *Server) groupSave(w http.ResponseWriter, req *request) {
	const op = "groupsave"
	if req.formID == "" {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "FormId", "FormId不能为空", 0))
		return
	}
	get := func(k string) string { _, v, _ := ci(req.data, k); return strings.TrimSpace(str(v)) }
	number, name := get("FNumber"), get("FName")
	parentV, _ := toInt(get("FParentId"))
	idV, _ := toInt(get("GroupPkId"))
	set := s.groupSet(req.formID, get("GroupFieldKey"))
	switch {
	case number == "":
		s.writeStatus(w, op, nil, failure(msgValidation, "FNumber", "分组编码不能为空", 0))
		return
	case name == "":
		s.writeStatus(w, op, nil, failure(msgValidation, "FName", "分组名称不能为空", 0))
		return
	case parentV != 0 && set.byID[parentV] == nil:
		s.writeStatus(w, op, nil, failure(msgNotFound, "FParentId", fmt.Sprintf("上级分组“%d”不存在", parentV), 0))
		return
	case idV != 0 && set.byID[idV] == nil:
		s.writeStatus(w, op, nil, failure(msgNotFound, "GroupPkId", fmt.Sprintf("分组“%d”不存在", idV), 0))
		return
	}
	if other := set.byNumber(number); other != nil && other.id != idV {
		s.writeStatus(w, op, nil, failure(msgValidation, "FNumber", fmt.Sprintf("分组编码“%s”已经存在", number), 0))
		return
	}
	g := set.byID[idV]
	if g == nil {
		s.nextID++
		g = &groupRec{id: s.nextID}
		set.byID[g.id] = g
	}
	g.parent, g.number, g.name, g.desc = parentV, number, name, get("FDescription")
	s.writeStatus(w, op, nil, &outcome{ents: []entity{{g.id, g.number, 0}}})
}

// queryGroups lists the groups named by GroupPkIds, else the groups the
// records in Ids belong to, else every group of the field.
func (s *Server) queryGroups(w http.ResponseWriter, req *request) {
	const op = "querygroupinfo"
	if req.formID == "" {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "FormId", "FormId不能为空", 0))
		return
	}
	_, fieldKey, _ := ci(req.data, "GroupFieldKey")
	_, pk, _ := ci(req.data, "GroupPkIds")
	_, ids, _ := ci(req.data, "Ids")
	set := s.groupSet(req.formID, str(fieldKey))
	var found []*groupRec
	switch {
	case len(strList(pk)) > 0:
		for _, id := range strList(pk) {
			n, _ := toInt(id)
			if g := set.byID[n]; g != nil {
				found = append(found, g)
			}
		}
	case len(strList(ids)) > 0:
		key := str(fieldKey)
		if key == "" {
			key = "FGroup"
		}
		f := s.form(req.formID)
		for _, id := range strList(ids) {
			n, _ := toInt(id)
			if b := f.byID[n]; b != nil {
				if g := set.byNumber(str(lookup(b, key))); g != nil {
					found = append(found, g)
				}
			}
		}
	default:
		for _, g := range set.byID {
			found = append(found, g)
		}
		sort.Slice(found, func(i, j int) bool { return found[i].id < found[j].id })
	}
	out := make([]any, len(found))
	for i, g := range found {
		out[i] = map[string]any{"FID": s.num(g.id), "FNUMBER": g.number, "FNAME": g.name,
			"FPARENTID": s.num(g.parent), "FDESCRIPTION": g.desc}
	}
	s.writeStatus(w, op, map[string]any{"NeedReturnData": out}, &outcome{})
}

// groupDelete deletes groups that have no sub-groups.
func (s *Server) groupDelete(w http.ResponseWriter, req *request) {
	const op = "groupdelete"
	_, fieldKey, _ := ci(req.data, "GroupFieldKey")
	_, pk, _ := ci(req.data, "GroupPkIds")
	ids := strList(pk)
	if req.formID == "" || len(ids) == 0 {
		s.writeStatus(w, op, nil, failure(msgBadParameter, "GroupPkIds", "FormId和GroupPkIds不能为空", 0))
		return
	}
	set := s.groupSet(req.formID, str(fieldKey))
	o := &outcome{}
	for i, id := range ids {
		n, _ := toInt(id)
		g := set.byID[n]
		if g == nil {
			o.fail(msgNotFound, "", fmt.Sprintf("分组“%s”不存在", id), i)
			continue
		}
		if hasChild(set, g.id) {
			o.fail(msgNotOperable, "", fmt.Sprintf("分组“%s”存在下级分组，不能删除", g.number), i)
			continue
		}
		delete(set.byID, g.id)
		o.ents = append(o.ents, entity{g.id, g.number, i})
	}
	s.writeStatus(w, op, nil, o)
}

func hasChild(set *groupSet, id int64) bool {
	for _, g := range set.byID {
		if g.parent == id {
			return true
		}
	}
	return false
}
