package gen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tinySpec = `{"platform":"qiyuesuo","version":"v2","endpoints":[
 {"name":"ThingGet","title":"查","group":"contract","method":"GET","path":"/v2/thing","body":"none","request":"ThingGetRequest","response":"Thing","responseKnown":true},
 {"name":"ThingGetLegacy","title":"查","group":"contract","method":"GET","path":"/v2/thing","body":"none","request":"ThingGetRequest","response":"Thing","responseKnown":true,"deprecated":true},
 {"name":"ThingUpload","title":"传","group":"document","method":"POST","path":"/v2/thing/upload","body":"multipart","request":"ThingUploadRequest","responseKnown":false},
 {"name":"ThingFile","title":"下","group":"document","method":"GET","path":"/v2/thing/download","body":"none","request":"ThingGetRequest","stream":true,"responseKnown":true}],
 "objects":{
  "ThingGetRequest":{"fields":[{"name":"contractId","type":"int64-as-string","in":"query","required":null,"doc":"give this or bizId"},
    {"name":"bizId","type":"string","in":"query","required":null,"max":50,"doc":""},
    {"name":"items","type":"array:string","in":"query","required":null,"doc":""}]},
  "ThingUploadRequest":{"fields":[{"name":"file","type":"file","in":"form","required":true,"doc":""},
    {"name":"stampers","type":"array:object:Thing","in":"form","required":null,"doc":""}]},
  "Thing":{"fields":[{"name":"id","type":"int64-as-string","in":"body","required":true,"doc":""},{"name":"pageCount","type":"int","in":"body","required":null,"doc":""}]}}}`

func TestGenerateTinySpec(t *testing.T) {
	files, err := Generate([]byte(tinySpec))
	require.NoError(t, err)
	require.Len(t, files, 4)
	ep := string(files[FileEndpoints])
	assert.Equal(t, 3, strings.Count(ep, "func (c *Client)"), "the deprecated duplicate gets no method")
	assert.Contains(t, ep, "func (c *Client) ThingFile(ctx context.Context, req *ThingGetRequest, w io.Writer) (*DownloadResponse, error)")
	assert.Contains(t, ep, "Result json.RawMessage", "an unpublished result stays raw")
	req := string(files[FileRequests])
	assert.Contains(t, req, "`url:\"items,omitempty,comma\"`")
	assert.Contains(t, req, "checkPair(path, string(r.ContractID), string(r.BizID))")
	assert.Contains(t, req, "tooLong(path+\".BizID\", 50)")
	assert.Contains(t, req, "f.json(\"stampers\", r.Stampers)")
	assert.Contains(t, req, "f.file(\"file\", r.File)")
	assert.Contains(t, string(files[FileRoutes]), `{name: "ThingGet", method: "GET", path: "/v2/thing"`)
}

func TestParseSpecRejects(t *testing.T) {
	for name, spec := range map[string]string{
		"no endpoints": `{"endpoints":[],"objects":{}}`,
		"bad body":     `{"endpoints":[{"name":"X","method":"GET","path":"/x","body":"xml"}],"objects":{}}`,
		"bad type":     `{"endpoints":[{"name":"X","method":"GET","path":"/x","body":"none"}],"objects":{"A":{"fields":[{"name":"a","type":"decimal","in":"body"}]}}}`,
		"dangling ref": `{"endpoints":[{"name":"X","method":"GET","path":"/x","body":"none","request":"Nope"}],"objects":{}}`,
		"not json":     `{`,
	} {
		_, err := ParseSpec([]byte(spec))
		assert.Error(t, err, name)
	}
}

func TestReservedNameClash(t *testing.T) {
	spec := strings.Replace(tinySpec, `"Thing":{`, `"Client":{`, 1)
	spec = strings.ReplaceAll(spec, `object:Thing"`, `object:Client"`)
	spec = strings.ReplaceAll(spec, `"response":"Thing"`, `"response":"Client"`)
	_, err := Generate([]byte(spec))
	assert.ErrorContains(t, err, "Client")
}
