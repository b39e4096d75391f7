package zhenling

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagesSpec is Zhenling's published pages, read from the shared specs
// (never copied into the repository).
const pagesSpec = "../../shared/platforms/zhenling-pages.md"

// createSampleFields are the field names of 3.40 创建合同's published
// request sample, per object. validFlag is in the sample but its value was
// not captured, so it is sent through Extra rather than typed.
var createSampleFields = map[string][]string{
	"item": {"autoCreateFlag", "autoSubmit", "operateMethod", "sourceCode", "sourceSystem", "contractName", "type",
		"categoryUuid", "categoryCode", "categoryCodeType", "templateUniqueKey", "templateUniqueKeyType", "propertyCode",
		"amount", "validDateStartType", "startDate", "validDateEndType", "endDate", "sourceName",
		"principalId", "principalCode", "principalCodeType", "departmentId", "departmentCode", "departmentCodeType",
		"belongingDepartmentId", "belongingDepartmentCode", "belongingDepartmentCodeType", "reCreateNewContract",
		"userId", "userCode", "userCodeType", "childList"},
	"child":                   {"childType", "data"},
	ChildPartyInformation:     {"roleCode", "roleOrder", "partyNumber", "ourFlag", "ourParty", "sourceKey"},
	ChildContractLine:         {"price", "quantity", "materialsCode"},
	ChildCustomLine:           {"customLineCode", "item", "attributeVarchar1"},
	ChildAssociatedInfo:       {"relContractSerialNumber", "relContractNumber", "typeCode"},
	ChildSignInformation:      {"sealOrder", "sealMaterial", "signCount", "deadline"},
	ChildSignNode:             {"partyNumber", "partyNumberType", "signatoryEmpCode", "signatoryEmpCodeType", "signatoryName"},
	"untyped (sent in Extra)": {"validFlag"},
}

// createSampleSection returns the 3.40 创建合同 section of the spec, or
// skips the test when the spec is not there.
func createSampleSection(t *testing.T) string {
	b, err := os.ReadFile(pagesSpec)
	if err != nil {
		t.Skipf("spec %s not available: %v", pagesSpec, err)
	}
	s := string(b)
	start := strings.Index(s, "### 3.40 创建合同")
	require.GreaterOrEqual(t, start, 0, "3.40 section in %s", pagesSpec)
	end := strings.Index(s[start+1:], "\n### ")
	require.Greater(t, end, 0)
	// The spec abbreviates "departmentCode + departmentCodeType" as
	// "departmentCode + …CodeType"; spell it out.
	abbrev := regexp.MustCompile(`\b(\w+)Code \+ …CodeType`)
	return abbrev.ReplaceAllString(s[start:start+1+end], "${1}Code + ${1}CodeType")
}

// TestCreateSampleFieldsMatchSpec holds the list above to the spec both
// ways: every listed name is in the 3.40 section, and every camelCase
// name of the section is listed (or is a childType value).
func TestCreateSampleFieldsMatchSpec(t *testing.T) {
	section := createSampleSection(t)
	listed := map[string]bool{}
	for _, names := range createSampleFields {
		for _, n := range names {
			listed[n] = true
			assert.Regexp(t, `\b`+n+`\b`, section, "%s is in the published sample", n)
		}
	}
	for _, word := range regexp.MustCompile(`\b[a-z]+[A-Z][A-Za-z0-9]*\b`).FindAllString(section, -1) {
		if _, isChildType := createSampleFields[word]; isChildType {
			continue
		}
		assert.True(t, listed[word], "the sample's %s is listed", word)
	}
}

// TestCreateRequestMatchesSample marshals a fully set 3.40 request and
// compares its field names with the published sample's, per object.
func TestCreateRequestMatchesSample(t *testing.T) {
	item := ContractCreate{AutoCreateFlag: true, AutoSubmit: true, OperateMethod: "x", SourceCode: "x", SourceSystem: "x",
		SourceName: "x", ContractName: "x", Type: "x", CategoryUUID: "x", CategoryCode: "x", CategoryCodeType: "x",
		TemplateUniqueKey: "x", TemplateUniqueKeyType: "x", PropertyCode: "x", Amount: amt("1"), ValidDateStartType: "x",
		StartDate: "x", ValidDateEndType: "x", EndDate: "x", PrincipalID: "x", PrincipalCode: "x", PrincipalCodeType: "x",
		DepartmentID: "x", DepartmentCode: "x", DepartmentCodeType: "x", BelongingDepartmentID: "x",
		BelongingDepartmentCode: "x", BelongingDepartmentCodeType: "x", ReCreateNewContract: true, UserID: "x",
		UserCode: "x", UserCodeType: "x",
		ChildList: []ContractChild{
			Children(ChildPartyInformation, PartyInformation{RoleCode: "J", RoleOrder: "1", PartyNumber: "x", OurFlag: "true", OurParty: "true", SourceKey: "x"}),
			Children(ChildContractLine, ContractLineItem{Price: amt("1"), Quantity: "1", MaterialsCode: "x"}),
			Children(ChildCustomLine, CustomContractLine{CustomLineCode: "x", Item: "x", AttributeVarchar1: "x"}),
			Children(ChildAssociatedInfo, AssociatedInfo{RelContractSerialNumber: "x", RelContractNumber: "x", TypeCode: "SC"}),
			Children(ChildSignInformation, SignInformation{SealOrder: "OSF", SealMaterial: "x", SignCount: "1", Deadline: "x"}),
			Children(ChildSignNode, SignNode{PartyNumber: "x", PartyNumberType: "x", SignatoryEmpCode: "x", SignatoryEmpCodeType: "x", SignatoryName: "x"}),
		},
		Extra: map[string]any{"validFlag": 1},
	}
	b, err := (&ContractCreateRequest{Data: []ContractCreate{item}}).body("ContractCreateRequest")
	require.NoError(t, err)
	var wire struct {
		Data []map[string]json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(b, &wire))
	require.Len(t, wire.Data, 1)
	got := wire.Data[0]
	assert.Equal(t, sorted(append(createSampleFields["item"], "validFlag")), keys(got), "3.40 item")

	var children []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(got["childList"], &children))
	require.Len(t, children, 6)
	for _, ch := range children {
		assert.Equal(t, sorted(createSampleFields["child"]), keys(ch))
		var childType string
		require.NoError(t, json.Unmarshal(ch["childType"], &childType))
		var data []map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(ch["data"], &data))
		require.Len(t, data, 1)
		assert.Equal(t, sorted(createSampleFields[childType]), keys(data[0]), "childType %s", childType)
	}
}

func keys[V any](m map[string]V) []string { return sortedKeys(m) }

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
