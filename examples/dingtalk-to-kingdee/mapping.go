package main

import (
	"github.com/hetong-go/hetong"

	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hetong-go/hetong/dingtalk"
)

// Mapping says how a DingTalk 报销 form becomes a Kingdee bill. It is read
// from a JSON file (-mapping) so a form with other labels, or a site with
// other custom fields, needs no Go change.
type Mapping struct {
	// FormID is the Kingdee business object (default CN_PAYAPPLY).
	FormID string `json:"formId"`
	// SourceField is the bill field that keeps the DingTalk instance id;
	// earlier bills are found through it, which makes re-runs idempotent.
	SourceField string `json:"sourceField"`
	// BusinessIDField, when set, keeps the 审批编号 (business_id) too.
	BusinessIDField string `json:"businessIdField"`
	// Header maps top-level form labels to bill fields ("FIELD" or
	// "FIELD:type", type one of text, money, date).
	Header map[string]string `json:"header"`
	// Table is the label of the detail table that becomes the bill's entries.
	Table string `json:"table"`
	// EntryKey is the bill's entry table (default FPAYAPPLYENTRY).
	EntryKey string `json:"entryKey"`
	// Entry maps the detail table's column labels to entry fields.
	Entry map[string]string `json:"entry"`
	// Defaults are fixed header values, e.g. {"FBILLTYPEID": {"FNumber": "FKSQ01_SYS"}}.
	Defaults map[string]any `json:"defaults"`
	// EntryDefaults are fixed values of every entry row.
	EntryDefaults map[string]any `json:"entryDefaults"`
	// Attachments is the label of the DDAttachment field whose files (the
	// invoices) are attached to the bill; empty attaches nothing.
	Attachments string `json:"attachments"`
}

// defaultMapping follows seed 001: 报销类别 → F_VAOJ_HKSX (货款属性),
// 费用归属项目 → FREMARK, one entry per 报销明细 row.
func defaultMapping() *Mapping {
	return &Mapping{
		FormID:          "CN_PAYAPPLY",
		SourceField:     "F_HT_DDInstanceID",
		BusinessIDField: "F_HT_DDBusinessID",
		Header:          map[string]string{"报销类别": "F_VAOJ_HKSX", "费用归属项目": "FREMARK"},
		Table:           "报销明细",
		EntryKey:        "FPAYAPPLYENTRY",
		Entry: map[string]string{
			"报销金额(元)": "FAPPLYAMOUNTFOR:money",
			"费用发生日期":  "FEXPECTPAYDATE:date",
			"费用明细":    "FDescription",
		},
		Defaults: map[string]any{
			"FBILLTYPEID":      map[string]any{"FNumber": "FKSQ01_SYS"},
			"FCONTACTUNITTYPE": "BD_Empinfo",
			"FCURRENCYID":      map[string]any{"FNumber": "PRE001"},
			"FPAYORGID":        map[string]any{"FNumber": "100"},
		},
		EntryDefaults: map[string]any{"FPAYPURPOSEID": map[string]any{"FNumber": "SFKYT09_SYS"}},
		Attachments:   "附件",
	}
}

// loadMapping reads a mapping file; fields it leaves out keep the defaults.
func loadMapping(path string) (*Mapping, error) {
	m := defaultMapping()
	if path == "" {
		return m, m.validate()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	return m, m.validate()
}

func (m *Mapping) validate() error {
	switch {
	case m.FormID == "":
		return errors.New("mapping: formId is empty")
	case m.SourceField == "":
		return errors.New("mapping: sourceField is empty: without it re-runs would duplicate bills")
	case strings.ContainsAny(m.SourceField, "' =") || strings.ContainsAny(m.BusinessIDField, "' ="):
		return errors.New("mapping: sourceField and businessIdField must be plain field keys")
	}
	for label, spec := range mergeSpecs(m.Header, m.Entry) {
		if _, _, err := parseSpec(spec); err != nil {
			return fmt.Errorf("mapping: %q: %w", label, err)
		}
	}
	return nil
}

func mergeSpecs(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// parseSpec splits "FIELD:type".
func parseSpec(spec string) (field, typ string, err error) {
	field, typ, _ = strings.Cut(spec, ":")
	if field == "" {
		return "", "", errors.New("empty field key")
	}
	switch typ {
	case "", "text", "money", "date":
		return field, typ, nil
	}
	return "", "", fmt.Errorf("unknown type %q (want text, money or date)", typ)
}

// convert turns a form value's text into the bill value of the given type.
func convert(text, typ string) (any, error) {
	switch typ {
	case "money":
		if strings.TrimSpace(text) == "" {
			return hetong.AmountFromFen(0), nil
		}
		// The amount reaches Kingdee with exactly the digits DingTalk sent.
		m, err := dingtalk.ParseMoney(text)
		if err != nil {
			return nil, err
		}
		return m.AsNumber(), nil
	case "date":
		if strings.TrimSpace(text) == "" {
			return "", nil
		}
		for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, text); err == nil {
				return t.Format("2006-01-02"), nil
			}
		}
		return nil, fmt.Errorf("%q is not a date", text)
	}
	return text, nil
}

// Bill maps one approved instance to a bill model.
func (m *Mapping) Bill(inst *dingtalk.ProcessInstance, instanceID string) (map[string]any, error) {
	bill := map[string]any{"FDATE": inst.CreateTime.Format("2006-01-02")}
	for k, v := range m.Defaults {
		bill[k] = v
	}
	if err := apply(bill, inst.FormComponentValues, m.Header); err != nil {
		return nil, err
	}
	bill[m.SourceField] = instanceID
	if m.BusinessIDField != "" {
		bill[m.BusinessIDField] = inst.BusinessID
	}
	if m.Table == "" {
		return bill, nil
	}
	rows, err := inst.FormComponentValues.Table(m.Table)
	if err != nil {
		return nil, fmt.Errorf("表单 %q: %w", m.Table, err)
	}
	entries := make([]map[string]any, 0, len(rows))
	for i, row := range rows {
		e := map[string]any{}
		for k, v := range m.EntryDefaults {
			e[k] = v
		}
		if err := apply(e, row.Values, m.Entry); err != nil {
			return nil, fmt.Errorf("%s row %d: %w", m.Table, i+1, err)
		}
		entries = append(entries, e)
	}
	bill[m.EntryKey] = entries
	return bill, nil
}

// apply copies the mapped labels of values into dst.
func apply(dst map[string]any, values dingtalk.FormValues, specs map[string]string) error {
	for label, spec := range specs {
		fv, ok := values.Get(label)
		if !ok {
			continue // a form revision without this field: leave it out
		}
		field, typ, _ := parseSpec(spec)
		v, err := convert(fv.Value, typ)
		if err != nil {
			return fmt.Errorf("%q: %w", label, err)
		}
		dst[field] = v
	}
	return nil
}
