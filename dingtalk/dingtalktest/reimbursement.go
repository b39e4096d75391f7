package dingtalktest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/dingtalk"
)

// Reimbursement is the 报销 (expense claim) form of seed 001, shaped for
// [dingtalk.FormValues.Decode]: the top-level labels, the 报销明细 detail
// table and, inside each of its rows, the nested 项目费用明细 table. Copy
// it for a real form and adjust the labels to the form's own.
type Reimbursement struct {
	Project     string              `dingtalk:"费用归属项目"`
	Category    string              `dingtalk:"报销类别"`
	Note        string              `dingtalk:"TextNote_7L0ZKXODKW40"` // a TextNote, matched by its component ID
	AdminType   string              `dingtalk:"行政报销类型"`
	ProjectType string              `dingtalk:"项目报销类型"`
	Lines       []ReimbursementLine `dingtalk:"报销明细"`
}

// ReimbursementLine is one row of 报销明细.
type ReimbursementLine struct {
	Date    time.Time     `dingtalk:"费用发生日期"`
	Amount  hetong.Amount `dingtalk:"报销金额(元)"`
	Detail  string        `dingtalk:"费用明细"`
	Project []ProjectCost `dingtalk:"项目费用明细"`
}

// ProjectCost is one row of the nested 项目费用明细 table.
type ProjectCost struct {
	Total           hetong.Amount         `dingtalk:"总金额"`
	RelatedApproval string                `dingtalk:"关联审批单"`
	Note            string                `dingtalk:"TextNote-KDE5B2G3"`
	Invoices        []dingtalk.Attachment `dingtalk:"电子发票"`
	PayeeAccount    string                `dingtalk:"收款账号"`
	CompanyPays     string                `dingtalk:"公司帐号付款(如需公司帐号付款请选择)"`
	Photos          []string              `dingtalk:"报销凭证拍照上传"`
	Attachments     []dingtalk.Attachment `dingtalk:"附件"`
}

// Total is the sum of the lines' amounts.
func (r *Reimbursement) Total() hetong.Amount {
	var t hetong.Amount
	for _, l := range r.Lines {
		t = t.Add(l.Amount)
	}
	return t
}

var (
	projects   = []string{"华东区智慧园区项目", "西南区数据中心项目", "总部行政"}
	categories = []string{"项目报销", "行政报销"}
	details    = []string{"差旅交通费", "住宿费", "业务招待费", "办公用品"}
)

// SampleReimbursement returns the deterministic i-th sample claim, dated
// from day: one to three lines, each with one or two project-cost rows.
func SampleReimbursement(i int, day time.Time) Reimbursement {
	r := Reimbursement{Project: projects[i%len(projects)], Category: categories[i%len(categories)],
		Note: "请按实际发生填写", AdminType: "", ProjectType: "差旅"}
	if r.Category == "行政报销" {
		r.AdminType, r.ProjectType = "办公", ""
	}
	for l := 0; l < 1+i%3; l++ {
		line := ReimbursementLine{Date: civilDate(day.AddDate(0, 0, -l)), Detail: details[(i+l)%len(details)]}
		for p := 0; p < 1+(i+l)%2; p++ {
			amt := hetong.AmountFromFen(int64(10000 + 2550*((i*7+l*3+p)%40)))
			pc := ProjectCost{Total: amt, PayeeAccount: fmt.Sprintf("6222 0210 0100 %04d", 1000+i), CompanyPays: "否",
				Note: "发票抬头须为公司全称",
				Invoices: []dingtalk.Attachment{{SpaceID: "163000001", FileID: fmt.Sprintf("inv%d%d%d", i, l, p),
					FileName: fmt.Sprintf("发票-%d-%d-%d.pdf", i, l, p), FileSize: int64(40960 + i), FileType: "pdf"}},
				Photos: []string{fmt.Sprintf("https://static.dingtalk.com/media/receipt_%d_%d_%d.jpg", i, l, p)}}
			line.Amount = line.Amount.Add(amt)
			line.Project = append(line.Project, pc)
		}
		r.Lines = append(r.Lines, line)
	}
	return r
}

func civilDate(t time.Time) time.Time {
	t = t.In(china)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, china)
}

// tableRow and tableCell are a TableField value as processinstance/get
// sends it.
type tableRow struct {
	RowNumber string      `json:"rowNumber"`
	RowValue  []tableCell `json:"rowValue"`
}

type tableCell struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Key   string `json:"key"`
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func attachments(a []dingtalk.Attachment) string {
	if len(a) == 0 {
		return ""
	}
	return jsonText(a)
}

// FormValues renders the claim as DingTalk's form_component_values, with
// the detail tables as JSON strings and the nested table inside them.
func (r *Reimbursement) FormValues() []dingtalk.FormValue {
	rows := make([]tableRow, len(r.Lines))
	for i, l := range r.Lines {
		sub := make([]tableRow, len(l.Project))
		for j, p := range l.Project {
			sub[j] = tableRow{RowNumber: fmt.Sprintf("TableField-PRJ_%d", j+1), RowValue: []tableCell{
				{"总金额", p.Total.String(), "MoneyField-PRJ1"},
				{"关联审批单", p.RelatedApproval, "RelateField-PRJ2"},
				{"TextNote-KDE5B2G3", p.Note, "TextNote-KDE5B2G3"},
				{"电子发票", attachments(p.Invoices), "DDAttachment-PRJ3"},
				{"收款账号", p.PayeeAccount, "TextField-PRJ4"},
				{"公司帐号付款(如需公司帐号付款请选择)", p.CompanyPays, "DDSelectField-PRJ5"},
				{"报销凭证拍照上传", jsonText(p.Photos), "DDPhotoField-PRJ6"},
				{"附件", attachments(p.Attachments), "DDAttachment-PRJ7"},
			}}
		}
		rows[i] = tableRow{RowNumber: fmt.Sprintf("TableField-BXMX_%d", i+1), RowValue: []tableCell{
			{"费用发生日期", l.Date.In(china).Format("2006-01-02"), "DDDateField-BX1"},
			{"报销金额(元)", l.Amount.String(), "MoneyField-BX2"},
			{"费用明细", l.Detail, "TextareaField-BX3"},
			{"项目费用明细", jsonText(sub), "TableField-PRJ"},
		}}
	}
	return []dingtalk.FormValue{
		{ID: "DDSelectField-XM01", Name: "费用归属项目", Value: r.Project, ComponentType: "DDSelectField"},
		{ID: "DDSelectField-LB02", Name: "报销类别", Value: r.Category, ComponentType: "DDSelectField"},
		{ID: "TextNote_7L0ZKXODKW40", Name: "说明", Value: r.Note, ComponentType: "TextNote"},
		{ID: "DDSelectField-XZ03", Name: "行政报销类型", Value: r.AdminType, ComponentType: "DDSelectField"},
		{ID: "DDSelectField-XM04", Name: "项目报销类型", Value: r.ProjectType, ComponentType: "DDSelectField"},
		{ID: "TableField-BXMX", Name: "报销明细", Value: jsonText(rows), ComponentType: "TableField",
			ExtValue: `{"statValue":[],"componentName":"TableField"}`},
	}
}

var staff = []struct{ user, dept, name string }{
	{"manager4421", "58922013", "华东销售部"}, {"user10086", "58922017", "研发中心"}, {"zhangsan01", "-1", "总经办"},
}

// SeedReimbursements stores n completed 报销 instances of processCode, one
// every three hours from start, and returns their IDs oldest first. Their
// forms are [SampleReimbursement](i, …).
func (s *Server) SeedReimbursements(processCode string, n int, start time.Time) []string {
	ids := make([]string, 0, n)
	for i := range n {
		created := start.Add(time.Duration(i) * 3 * time.Hour)
		who := staff[i%len(staff)]
		form := SampleReimbursement(i, created)
		result := dingtalk.ResultAgree
		if i%5 == 4 {
			result = dingtalk.ResultRefuse
		}
		ids = append(ids, s.AddInstance(Instance{ProcessCode: processCode, Title: who.name + "的报销",
			OriginatorUserID: who.user, OriginatorDeptID: who.dept, OriginatorDeptName: who.name,
			Status: dingtalk.StatusCompleted, Result: result, CreateTime: created, FinishTime: created.Add(90 * time.Minute),
			ApproverUserIDs: []string{"finance001"}, Form: form.FormValues()}))
	}
	return ids
}
