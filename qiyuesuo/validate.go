package qiyuesuo

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// fieldError names a request field refused before sending; invoke turns it
// into an [*Error] of the call.
type fieldError struct {
	field, rule string
	cause       error // an extra cause, e.g. ErrFileTooLarge
}

func (e *fieldError) Error() string { return e.field + ": " + e.rule }

func required(path string) error { return &fieldError{field: path, rule: "required"} }

func tooLong(path string, n int) error {
	return &fieldError{field: path, rule: "at most " + strconv.Itoa(n) + " characters"}
}

func tooMany(path string, n int) error {
	return &fieldError{field: path, rule: "at most " + strconv.Itoa(n) + " items"}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// checkPair enforces the platform's "contractId or bizId": exactly one of
// them addresses the contract.
func checkPair(path, contractID, bizID string) error {
	c, b := strings.TrimSpace(contractID) != "", strings.TrimSpace(bizID) != ""
	switch {
	case !c && !b:
		return &fieldError{field: path + ".ContractID", rule: "required (or BizID)"}
	case c && b:
		return &fieldError{field: path + ".BizID", rule: "must be empty when ContractID is set"}
	}
	return nil
}
