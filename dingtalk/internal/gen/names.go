package gen

import (
	"regexp"
	"strings"
)

// initialisms are words written in capitals in Go names.
var initialisms = map[string]string{
	"id": "ID", "ids": "IDs", "url": "URL", "urls": "URLs", "uri": "URI", "api": "API", "ip": "IP",
	"md5": "MD5", "uuid": "UUID", "cc": "CC", "pc": "PC", "ua": "UA", "gmt": "GMT", "json": "JSON",
}

// compounds are lower-case wire words that hold two English words.
var compounds = map[string]string{
	"userid": "UserID", "userids": "UserIDs", "agentid": "AgentID", "corpid": "CorpID", "fileid": "FileID",
	"taskid": "TaskID", "requestid": "RequestID", "appkey": "AppKey", "appsecret": "AppSecret",
	"corpsecret": "CorpSecret", "homepage": "HomePage",
}

var wordRE = regexp.MustCompile(`[A-Z]+[0-9]*(?:[a-z][a-z0-9]*)?|[a-z][a-z0-9]*|[0-9]+`)

// GoField turns a wire name (camelCase or snake_case) into an exported Go
// field name with Go's initialisms: processInstanceId → ProcessInstanceID,
// userid_list → UserIDList.
func GoField(wire string) string {
	var b strings.Builder
	for _, w := range wordRE.FindAllString(wire, -1) {
		lw := strings.ToLower(w)
		switch {
		case initialisms[lw] != "":
			b.WriteString(initialisms[lw])
		case compounds[lw] != "":
			b.WriteString(compounds[lw])
		default:
			b.WriteString(strings.ToUpper(lw[:1]) + lw[1:])
		}
	}
	return b.String()
}
