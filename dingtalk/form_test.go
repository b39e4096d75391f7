package dingtalk_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/dingtalk"
)

// A form as processinstance/get returns it: the detail table is a JSON
// string, its nested table a JSON string inside that.
const sampleForm = `[
 {"name":"报销类别","value":"项目报销","id":"DDSelectField-1","component_type":"DDSelectField"},
 {"name":"人数","value":"3","id":"NumberField-1"},
 {"name":"补贴","value":"12.5","id":"NumberField-2"},
 {"name":"开始日期","value":"2026-11-16","id":"DDDateField-1"},
 {"name":"加急","value":"是","id":"DDSelectField-2"},
 {"name":"说明","value":"同名标签","id":"TextField-A"},
 {"name":"说明","value":"按ID取","id":"TextField-B"},
 {"name":"不关心","value":"x"},
 {"name":"结束日期","value":"","id":"DDDateField-9"},
 {"name":"附件","value":"[{\"spaceId\":\"1\",\"fileName\":\"a.pdf\",\"fileSize\":\"1024\",\"fileType\":\"pdf\",\"fileId\":\"f1\"}]","id":"DDAttachment-1"},
 {"name":"照片","value":"[\"https://x/1.jpg\",\"https://x/2.jpg\"]","id":"DDPhotoField-1"},
 {"name":"报销明细","id":"TableField-1","component_type":"TableField","ext_value":"{\"statValue\":[],\"componentName\":\"TableField\"}",
  "value":"[{\"rowNumber\":\"TableField_1\",\"rowValue\":[{\"label\":\"费用发生日期\",\"value\":\"2026-11-15\",\"key\":\"DDDateField-2\"},{\"label\":\"报销金额(元)\",\"value\":\"3,500.00\",\"key\":\"MoneyField-1\"},{\"label\":\"项目费用明细\",\"key\":\"TableField-2\",\"value\":\"[{\\\"rowValue\\\":[{\\\"label\\\":\\\"总金额\\\",\\\"value\\\":\\\"3500\\\"}]}]\"}]},{\"rowNumber\":\"TableField_2\",\"rowValue\":[{\"label\":\"报销金额(元)\",\"value\":\"0.5\"}]}]"}
]`

type cost struct {
	Total hetong.Amount `dingtalk:"总金额"`
}

type line struct {
	Date   time.Time     `dingtalk:"费用发生日期"`
	Amount hetong.Amount `dingtalk:"报销金额(元)"`
	Costs  []*cost       `dingtalk:"项目费用明细"`
}

type claim struct {
	Category string                `dingtalk:"报销类别"`
	People   int                   `dingtalk:"人数"`
	Subsidy  float64               `dingtalk:"补贴"`
	Start    *time.Time            `dingtalk:"开始日期"`
	Urgent   bool                  `dingtalk:"加急"`
	NoteA    string                `dingtalk:"说明"`
	NoteB    string                `dingtalk:"TextField-B"`
	Files    []dingtalk.Attachment `dingtalk:"附件"`
	Photos   []string              `dingtalk:"照片"`
	Lines    []line                `dingtalk:"报销明细"`
	RawTable dingtalk.FormValue    `dingtalk:"报销明细"`
	Rows     []dingtalk.Row        `dingtalk:"报销明细"`
	Missing  string                `dingtalk:"没有这个字段"`
	End      time.Time             `dingtalk:"结束日期"`
	Ignored  string
}

func sampleValues(t *testing.T) dingtalk.FormValues {
	t.Helper()
	var f dingtalk.FormValues
	require.NoError(t, json.Unmarshal([]byte(sampleForm), &f))
	return f
}

func TestDecodeForm(t *testing.T) {
	var c claim
	require.NoError(t, sampleValues(t).Decode(&c))
	assert.Equal(t, "项目报销", c.Category)
	assert.Equal(t, 3, c.People)
	assert.Equal(t, 12.5, c.Subsidy)
	require.NotNil(t, c.Start)
	assert.Equal(t, time.Date(2026, 11, 16, 0, 0, 0, 0, cst), *c.Start)
	assert.True(t, c.Urgent)
	assert.Equal(t, "同名标签", c.NoteA, "by label: the first of duplicate labels")
	assert.Equal(t, "按ID取", c.NoteB, "by component ID")
	assert.Equal(t, []dingtalk.Attachment{{SpaceID: "1", FileID: "f1", FileName: "a.pdf", FileSize: 1024, FileType: "pdf"}}, c.Files)
	assert.Equal(t, []string{"https://x/1.jpg", "https://x/2.jpg"}, c.Photos)
	require.Len(t, c.Lines, 2)
	assert.Equal(t, "3500.00", c.Lines[0].Amount.String())
	assert.Equal(t, "0.5", c.Lines[1].Amount.String())
	assert.Equal(t, time.Date(2026, 11, 15, 0, 0, 0, 0, cst), c.Lines[0].Date)
	require.Len(t, c.Lines[0].Costs, 1)
	assert.Equal(t, "3500", c.Lines[0].Costs[0].Total.String())
	assert.Equal(t, "TableField", c.RawTable.ComponentType)
	assert.Equal(t, "TableField_2", c.Rows[1].Number)
	assert.Empty(t, c.Missing)
	assert.True(t, c.End.IsZero(), "an empty date is the zero time")
}

func TestDecodeMismatchNamesTheLabel(t *testing.T) {
	f := sampleValues(t)
	var bad1 struct {
		Category int `dingtalk:"报销类别"`
	}
	err := f.Decode(&bad1)
	var fe *dingtalk.FormError
	require.True(t, errors.As(err, &fe), "%v", err)
	assert.Equal(t, "报销类别", fe.Label)
	assert.Contains(t, err.Error(), `"报销类别"`)

	var bad2 struct {
		Lines []struct {
			Costs []struct {
				Total time.Time `dingtalk:"总金额"`
			} `dingtalk:"项目费用明细"`
		} `dingtalk:"报销明细"`
	}
	err = f.Decode(&bad2)
	require.True(t, errors.As(err, &fe), "%v", err)
	assert.Equal(t, "报销明细[0].项目费用明细[0].总金额", fe.Label)

	var bad3 struct {
		Files []dingtalk.Attachment `dingtalk:"报销类别"`
	}
	require.Error(t, f.Decode(&bad3))
	var bad4 struct {
		M map[string]string `dingtalk:"报销类别"`
	}
	assert.ErrorContains(t, f.Decode(&bad4), "unsupported")
	assert.ErrorContains(t, f.Decode(claim{}), "pointer to a struct")
	assert.ErrorContains(t, f.Decode(nil), "pointer to a struct")
}

func TestParseTableBothFormats(t *testing.T) {
	get, err := dingtalk.ParseTable(`[{"rowNumber":"r1","rowValue":[{"label":"金额","value":"1.00","key":"k1"}]}]`)
	require.NoError(t, err)
	create, err := dingtalk.ParseTable(`[[{"name":"金额","value":"1.00"}]]`)
	require.NoError(t, err)
	assert.Equal(t, dingtalk.FormValues{{ID: "k1", Name: "金额", Value: "1.00"}}, get[0].Values)
	assert.Equal(t, dingtalk.FormValues{{Name: "金额", Value: "1.00"}}, create[0].Values)
	rows, err := dingtalk.ParseTable("")
	assert.NoError(t, err)
	assert.Empty(t, rows)
	_, err = dingtalk.ParseTable(`{"not":"a table"}`)
	assert.Error(t, err)
	_, err = dingtalk.ParseTable(`[1]`)
	assert.Error(t, err)

	v, err := dingtalk.TableValue([][]dingtalk.FormValue{{{Name: "金额", Value: "1.00"}}})
	require.NoError(t, err)
	assert.Equal(t, `[[{"name":"金额","value":"1.00"}]]`, v)
}

func TestFormValuesTable(t *testing.T) {
	rows, err := sampleValues(t).Table("报销明细")
	require.NoError(t, err)
	require.Len(t, rows, 2)
	var l line
	require.NoError(t, rows[0].Decode(&l))
	assert.Equal(t, 0, l.Amount.Cmp(hetong.AmountFromFen(350000)))
	_, err = sampleValues(t).Table("nope")
	assert.Error(t, err)
}

func TestFormValueAcceptsBothCases(t *testing.T) {
	var v dingtalk.FormValue
	require.NoError(t, json.Unmarshal([]byte(`{"id":"X","name":"n","value":["a"],"extValue":"e","componentType":"T","bizAlias":"b"}`), &v))
	assert.Equal(t, dingtalk.FormValue{ID: "X", Name: "n", Value: `["a"]`, ExtValue: "e", ComponentType: "T", BizAlias: "b"}, v)
}

// TestMoneyDecodesIntoAmount: DDMoneyField text becomes an exact
// hetong.Amount, keeping the digits given.
func TestMoneyDecodesIntoAmount(t *testing.T) {
	ok := map[string]string{"3500.00": "3500.00", "3,500": "3500", "0.5": "0.5", "-12.34": "-12.34", "": "0", ".5": "0.5",
		"¥8.80": "8.80", "1.230": "1.230", "1.234": "1.234", "99999999999999999999": "99999999999999999999"}
	for in, want := range ok {
		var v struct {
			M hetong.Amount `dingtalk:"m"`
		}
		require.NoError(t, dingtalk.FormValues{{Name: "m", Value: in}}.Decode(&v), in)
		assert.Equal(t, want, v.M.String(), in)
	}
	for _, in := range []string{"abc", "1.2.3", ".", "-", "1e5", "NaN", "+7"} {
		var v struct {
			M hetong.Amount `dingtalk:"m"`
		}
		err := dingtalk.FormValues{{Name: "m", Value: in}}.Decode(&v)
		var fe *dingtalk.FormError
		assert.True(t, errors.As(err, &fe), "%q: %v", in, err)
	}
}
