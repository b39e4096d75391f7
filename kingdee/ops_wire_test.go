package kingdee_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/kingdee"
)

const dfsBase = "https://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService."

// The exact bodies of the operations issue 17 added, in the official
// SDKs' {"formid","data"} form, and how their answers decode.
func TestNewOperationsOnTheWire(t *testing.T) {
	ok := `{"Result":{"ResponseStatus":{"IsSuccess":true,"Errors":[],"SuccessEntitys":[{"Id":"900001","Number":"G01","DIndex":0}],"SuccessMessages":[],"MsgCode":0},"Id":"900001"}}`
	cases := []struct {
		service, answer, body string
		call                  func(*kingdee.Client) error
	}{
		{"GetSysReportData", `{"Result":{"IsSuccess":true,"RowCount":1,"Rows":[["VEN1",12.30]]}}`,
			`{"formid":"AP_SumReport","data":{"FieldKeys":"FCONTACTUNITNUMBER,FLEFTAMOUNT","SchemeId":"","StartRow":0,"Limit":100,"IsVerifyBaseDataField":false,"FilterString":[],"Model":{"FBeginDate":"2024-05-01"}}}`,
			func(c *kingdee.Client) error {
				res, err := c.GetSysReportData(context.Background(), &kingdee.ReportRequest{FormID: kingdee.FormPayableSummary,
					FieldKeys: []string{"FCONTACTUNITNUMBER", "FLEFTAMOUNT"}, Limit: 100, Model: map[string]any{"FBeginDate": "2024-05-01"}})
				if err == nil {
					assert.Equal(t, "12.30", res.Rows[0][1].(interface{ String() string }).String(), "amounts keep their digits")
				}
				return err
			}},
		{"GroupSave", ok, `{"formid":"BD_MATERIAL","data":{"GroupFieldKey":"FMaterialGroup","GroupPkId":0,"FParentId":0,"FNumber":"G01","FName":"原材料","FDescription":""}}`,
			func(c *kingdee.Client) error {
				res, err := c.GroupSave(context.Background(), &kingdee.GroupSaveRequest{FormID: "BD_MATERIAL", GroupFieldKey: "FMaterialGroup", Number: "G01", Name: "原材料"})
				if err == nil {
					assert.Equal(t, kingdee.GroupSaveResponse{ID: "900001", Number: "G01"}, *res)
				}
				return err
			}},
		{"QueryGroupInfo", `{"Result":{"ResponseStatus":{"IsSuccess":true},"Result":[{"Id":900001,"Number":"G01","Name":[{"Key":2052,"Value":"原材料"}],"ParentId":0}]}}`,
			`{"data":{"FormId":"BD_MATERIAL","GroupFieldKey":"FMaterialGroup","GroupPkIds":"900001,900002","Ids":""}}`,
			func(c *kingdee.Client) error {
				res, err := c.QueryGroupInfo(context.Background(), &kingdee.QueryGroupInfoRequest{FormID: "BD_MATERIAL", GroupFieldKey: "FMaterialGroup", GroupPkIDs: []string{"900001", "900002"}})
				if err == nil {
					require.Len(t, res.Groups, 1)
					assert.Equal(t, kingdee.Group{ID: "900001", Number: "G01", Name: "原材料", ParentID: "0"}, withoutRaw(res.Groups[0]))
				}
				return err
			}},
		{"GroupDelete", ok, `{"data":{"FormId":"BD_MATERIAL","GroupFieldKey":"","GroupPkIds":"900001"}}`,
			func(c *kingdee.Client) error {
				_, err := c.GroupDelete(context.Background(), &kingdee.GroupDeleteRequest{FormID: "BD_MATERIAL", GroupPkIDs: []string{"900001"}})
				return err
			}},
		{"FlexSave", ok, `{"formid":"BD_FLEXSITEMDETAILV","data":{"Model":{"FFLEX4":{"FNumber":"VEN1"}}}}`,
			func(c *kingdee.Client) error {
				res, err := c.FlexSave(context.Background(), &kingdee.FlexSaveRequest{FormID: "BD_FLEXSITEMDETAILV", Model: map[string]any{"FFLEX4": kingdee.Number("VEN1")}})
				if err == nil {
					assert.Equal(t, "900001", res.ID)
				}
				return err
			}},
		{"SendMsg", ok, `{"data":{"Model":[{"FTitle":"t","FContent":"c","FReceivers":"a,b","FType":"1"}]}}`,
			func(c *kingdee.Client) error {
				_, err := c.SendMsg(context.Background(), &kingdee.SendMsgRequest{Messages: []kingdee.Message{{Title: "t", Content: "c", Receivers: []string{"a", "b"}}}})
				return err
			}},
		{"SwitchOrg", ok, `{"data":{"OrgNumber":"200"}}`,
			func(c *kingdee.Client) error {
				_, err := c.SwitchOrg(context.Background(), &kingdee.SwitchOrgRequest{OrgNumber: "200"})
				return err
			}},
		{"Disassembly", ok, `{"formid":"SAL_SaleOrder","data":{"IsVerifyBaseDataField":true,"Model":{"FID":0}}}`,
			func(c *kingdee.Client) error {
				_, err := c.Disassembly(context.Background(), &kingdee.SaveRequest{FormID: "SAL_SaleOrder", Model: map[string]any{"FID": 0},
					SaveOptions: kingdee.SaveOptions{IsVerifyBaseDataField: true}})
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.service, func(t *testing.T) {
			c, mt := mockClient(t, vectorConfig)
			var rec recorder
			mt.RegisterResponder(http.MethodPost, dfsBase+tc.service+".common.kdsvc", rec.respond(200, tc.answer))
			require.NoError(t, tc.call(c))
			require.Len(t, rec.reqs, 1)
			assert.JSONEq(t, tc.body, rec.reqs[0].Body)
			assert.NotEmpty(t, rec.reqs[0].Header.Get("X-Api-Signature"), "signed like every call")
		})
	}
}

// GetSysReportData reports its own failure shape ({"Result":{"IsSuccess":
// false,"Message":…}}, no ResponseStatus) and an empty answer as errors.
func TestReportFailureShapes(t *testing.T) {
	for name, answer := range map[string]string{
		"refused": `{"Result":{"IsSuccess":false,"Message":"报表不存在","RowCount":0,"Rows":[]}}`,
		"empty":   `{}`,
		"null":    `null`,
		"narrow":  `{"Result":{"IsSuccess":true,"RowCount":1,"Rows":[["only one"]]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := mockClient(t, vectorConfig)
			mt.RegisterResponder(http.MethodPost, dfsBase+"GetSysReportData.common.kdsvc", httpmock.NewStringResponder(200, answer))
			_, err := c.GetSysReportData(context.Background(), &kingdee.ReportRequest{FormID: "R", FieldKeys: []string{"A", "B"}})
			var ke *kingdee.Error
			require.ErrorAs(t, err, &ke)
			assert.Equal(t, "GetSysReportData", ke.Op)
		})
	}
}
