package gen

import (
	"strings"
	"testing"
)

func TestGoField(t *testing.T) {
	for wire, want := range map[string]string{
		"processInstanceId": "ProcessInstanceID", "userid_list": "UserIDList", "actioner_userid": "ActionerUserID",
		"downloadUri": "DownloadURI", "resourceUrls": "ResourceURLs", "ccList": "CCList", "pcUrl": "PCURL",
		"bizDetailPageUrl": "BizDetailPageURL", "next_cursor": "NextCursor", "md5": "MD5", "userIds": "UserIDs",
		"withCommentAttatchment": "WithCommentAttatchment", "appKey": "AppKey", "unionId": "UnionID",
	} {
		if got := GoField(wire); got != want {
			t.Errorf("GoField(%q) = %q, want %q", wire, got, want)
		}
	}
}

func TestReplaceIndex(t *testing.T) {
	doc := "// Package x.\n//\n// # Index by group\n//\n// old line\n//\n// # Next\n//\n// text\npackage x\n"
	got, err := ReplaceIndex([]byte(doc), "// # Index by group\n//\n// new line\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "// Package x.\n//\n// # Index by group\n//\n// new line\n//\n// # Next\n//\n// text\npackage x\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := ReplaceIndex([]byte("package x\n"), "x"); err == nil {
		t.Error("a doc without the section must fail")
	}
}

func TestParseSpecRejectsBrokenSpecs(t *testing.T) {
	for name, spec := range map[string]string{
		"not json":     `{`,
		"not dingtalk": `{"platform":"other","endpoints":[{}]}`,
		"missing obj":  `{"platform":"dingtalk","endpoints":[{"name":"A","family":"new","method":"GET","path":"/a","query":"ARequest","response":"AResponseBody"}],"objects":{}}`,
		"placeholder":  `{"platform":"dingtalk","endpoints":[{"name":"A","family":"new","method":"GET","path":"/a/{id}","query":"AParams","response":"AResponseBody"}],"objects":{"AParams":{"fields":[]},"AResponseBody":{"fields":[]}}}`,
	} {
		if _, err := ParseSpec([]byte(spec)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestGenerateMinimalSpec(t *testing.T) {
	spec := `{"platform":"dingtalk","endpoints":[{"name":"GetThing","family":"new","title":"取","group":"instance","method":"GET",
	"path":"/v1.0/things/{thingId}","query":"GetThingParams","response":"GetThingResponseBody","premium":true,"doc":"Reads a thing."}],
	"objects":{"GetThingParams":{"fields":[{"name":"thingId","type":"string","required":true,"in":"path","doc":"Id."},
	{"name":"withDetail","type":"bool","required":false,"in":"query","doc":"Detail."}]},
	"GetThingResponseBody":{"fields":[{"name":"result","type":"object:GetThingResponseBodyResult","required":null,"in":"body","doc":"R."}]},
	"GetThingResponseBodyResult":{"fields":[{"name":"name","type":"string","required":null,"in":"body","doc":"N."}]}}}`
	// The tables name endpoints of the real spec; set them aside.
	defer func(f map[string]string, p map[string]Pager) { FieldTypes, Pagers = f, p }(FieldTypes, Pagers)
	FieldTypes, Pagers = map[string]string{}, map[string]Pager{}
	files, err := Generate([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	src := string(files["zz_generated_endpoints.go"])
	for _, want := range []string{
		"ThingID string `json:\"-\" url:\"-\" path:\"thingId\"`",
		"WithDetail *bool `json:\"-\" url:\"withDetail,omitempty\"`",
		"OA高级版", "func (r *GetThingRequest) pathArgs() []string",
		`path: "/v1.0/things/{thingId}", newAPI: true, anonymous: false, idempotent: true, query: true, body: false, returns: true`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated endpoints lack %q", want)
		}
	}
	if !strings.Contains(string(files["zz_generated_validate.go"]), `invalid("GetThingRequest.ThingID", "required")`) {
		t.Error("the path field is not validated")
	}
}
