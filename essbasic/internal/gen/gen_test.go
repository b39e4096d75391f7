package gen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tiny is a two-action spec in api.json's format.
const tiny = `{
 "metadata": {"apiVersion": "2021-05-26"},
 "actions": {
  "DescribeThing": {"name": "查询", "input": "DescribeThingRequest", "output": "DescribeThingResponse", "status": "online", "document": "x"},
  "OldThing": {"name": "旧", "input": "OldThingRequest", "output": "OldThingResponse", "status": "deprecated", "document": "x"}
 },
 "objects": {
  "DescribeThingRequest": {"type": "object", "members": [
   {"name": "Agent", "type": "object", "member": "Agent", "required": false},
   {"name": "Ids", "type": "list", "member": "string", "required": true},
   {"name": "Limit", "type": "int", "member": "uint64"},
   {"name": "Strict", "type": "bool", "member": "bool", "required": true},
   {"name": "Opts", "type": "list", "member": "Option"},
   {"name": "Old", "type": "string", "member": "string", "disabled": true}]},
  "DescribeThingResponse": {"type": "object", "members": [
   {"name": "Count", "type": "int", "member": "int64", "output_required": true},
   {"name": "Maybe", "type": "bool", "member": "bool", "value_allowed_null": true},
   {"name": "RequestId", "type": "string", "member": "string"}]},
  "OldThingRequest": {"type": "object", "members": [{"name": "Agent", "type": "object", "member": "Agent", "required": true}]},
  "OldThingResponse": {"type": "object", "members": [{"name": "RequestId", "type": "string", "member": "string"}]},
  "Agent": {"usage": "in", "members": [{"name": "AppId", "type": "string", "member": "string", "required": true}]},
  "Option": {"usage": "both", "members": [{"name": "Key", "type": "string", "member": "string", "required": true}]}
 }
}`

const codes = "# comment\nInvalidParameter\t参数错误。\nAuthFailure\tCAM签名/鉴权错误。\n"

func TestGenerateTinySpec(t *testing.T) {
	saved := ListLimits
	ListLimits = map[string]ListLimit{"DescribeThingRequest.Ids": {Min: 1, Max: 2}}
	defer func() { ListLimits = saved }()

	files, err := Generate([]byte(tiny), []byte(codes))
	require.NoError(t, err)
	actions := string(files["zz_generated_actions.go"])
	for _, want := range []string{
		"Ids []string `json:\"Ids,omitempty\"`",
		"Limit *uint64 `json:\"Limit,omitempty\"`", // optional request number: pointer
		"Strict bool `json:\"Strict\"`",            // required: always sent
		"Opts []KeyValueOption",                    // renamed away from the hand-written Option
		"// Deprecated: disabled in the spec",
		"Count int64 `json:\"Count,omitempty\"`", // response numbers are values
		"Maybe *bool",                            // unless they may be null
		"// Deprecated: the platform has withdrawn OldThing.",
		"idempotent: true", `call{action: "DescribeThing", idempotent: true, fileHost: false, returns: true}`,
		`call{action: "OldThing", idempotent: false, fileHost: false, returns: false}`,
		"// An answer that carries none of the response's fields is an error.", "// Doc: https://console.cloud.tencent.com/api/explorer?Product=essbasic&Version=2021-05-26&Action=DescribeThing",
	} {
		assert.Contains(t, actions, want)
	}
	validate := string(files["zz_generated_validate.go"])
	assert.Contains(t, validate, `checkLen("Ids", len(v.Ids), 1, 2)`)
	assert.Contains(t, validate, `return missing("Agent")`, "Agent is required even where the spec says optional")
	assert.Contains(t, validate, `return under("Opts"+"["+strconv.Itoa(i)+"]", err)`, "paths are built only on failure")
	assert.NotContains(t, validate, "path", "no path is built for a valid request")
	assert.NotContains(t, validate, "v.Old")
	errs := string(files["zz_generated_errors.go"])
	assert.True(t, strings.Index(errs, "CodeAuthFailure ") < strings.Index(errs, "CodeInvalidParameter "), "codes are sorted")
	assert.Contains(t, string(files["zz_generated_actions_test.go"]), `&DescribeThingRequest{Ids: []string{"x"}}`)

	again, err := Generate([]byte(tiny), []byte(codes))
	require.NoError(t, err)
	assert.Equal(t, files, again)
}

func TestGenerateRejects(t *testing.T) {
	saved := ListLimits
	ListLimits = map[string]ListLimit{}
	defer func() { ListLimits = saved }()
	_, err := Generate([]byte(`{"actions":{}}`), []byte(codes))
	assert.ErrorContains(t, err, "no actions")
	_, err = Generate([]byte(strings.Replace(tiny, `"member": "Option"`, `"member": "Nope"`, 1)), []byte(codes))
	assert.ErrorContains(t, err, "unknown type Nope")
	_, err = Generate([]byte(tiny), []byte("NoTab\n"))
	assert.ErrorContains(t, err, "line 1")
	_, err = Generate([]byte(tiny), []byte("A\tx\nA\ty\n"))
	assert.ErrorContains(t, err, "duplicate")
	_, err = Generate([]byte(strings.Replace(tiny, `"Agent": {"usage"`, `"Client": {"usage": "in", "members": []}, "Agent": {"usage"`, 1)), []byte(codes))
	assert.ErrorContains(t, err, "clashes")
	ListLimits = map[string]ListLimit{"DescribeThingRequest.Missing": {Max: 1}}
	_, err = Generate([]byte(tiny), []byte(codes))
	assert.ErrorContains(t, err, "ListLimits")
}
