package gen

import (
	"regexp"
	"strings"
)

// initialisms are the words Go spells in capitals (Go's naming rules), and
// SaaS, which is spelled that way in English.
var initialisms = map[string]string{
	"Url": "URL", "Urls": "URLs", "Id": "ID", "Ids": "IDs", "Pdf": "PDF", "Ocr": "OCR",
	"Sso": "SSO", "Saas": "SaaS", "Api": "API", "Http": "HTTP", "Sms": "SMS", "Uuid": "UUID",
	"Json": "JSON", "Html": "HTML", "Pc": "PC",
}

// word is a capitalised word, a run of capitals, or a run of digits.
var word = regexp.MustCompile(`[A-Z][a-z]+|[A-Z]+(?:[^a-z]|$)|[0-9]+|[a-z]+`)

// GoName turns a spec name (ContractSignUrl) or wire name (contractId)
// into an exported Go name with Go's initialisms (ContractSignURL,
// ContractID).
func GoName(s string) string {
	var b strings.Builder
	rest := s
	for rest != "" {
		loc := word.FindStringIndex(rest)
		if loc == nil || loc[0] != 0 {
			// Anything else (an underscore) is dropped; the next letter is capitalised.
			rest = rest[1:]
			continue
		}
		w := rest[loc[0]:loc[1]]
		// A run of capitals followed by a capitalised word (PCPage) ends
		// before the word's first letter.
		if len(w) > 1 && strings.ToUpper(w) == w && loc[1] < len(rest) && rest[loc[1]-1] >= 'A' && rest[loc[1]-1] <= 'Z' {
			w = w[:len(w)-1]
		}
		rest = rest[len(w):]
		w = strings.ToUpper(w[:1]) + w[1:]
		if r, ok := initialisms[w]; ok {
			w = r
		}
		b.WriteString(w)
	}
	return b.String()
}
