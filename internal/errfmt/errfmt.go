// Package errfmt gives every platform package's error the same shape,
// `<pkg>: <Op>: <message> (code …, request …, HTTP …)`, and the same
// words for input that is refused before anything is sent.
package errfmt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/transport"
)

// ErrInvalidRequest is wrapped by every error about input refused before a
// request was sent (a missing field, a list too long, a bad Config).
// Platform packages re-export it.
var ErrInvalidRequest = errors.New("invalid request")

// Format renders an error in the house shape. Empty parts are left out:
// Format("kingdee", "Save", "bill not found", "", "", 0) is
// "kingdee: Save: bill not found".
func Format(pkg, op, msg, code, requestID string, httpStatus int) string {
	var b strings.Builder
	b.WriteString(pkg)
	b.WriteString(": ")
	if op != "" {
		b.WriteString(op)
		b.WriteString(": ")
	}
	b.WriteString(strings.TrimPrefix(msg, pkg+": "))
	var extra []string
	if code != "" {
		extra = append(extra, "code "+code)
	}
	if requestID != "" {
		extra = append(extra, "request "+requestID)
	}
	if httpStatus != 0 {
		extra = append(extra, "HTTP "+strconv.Itoa(httpStatus))
	}
	if len(extra) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(extra, ", "))
		b.WriteString(")")
	}
	return b.String()
}

// Describe returns the message part for an error that is wrapped by a
// platform error: a transport failure's own description (method, redacted
// URL, kind, cause) without any package prefix, so prefixes never double.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	var te *transport.Error
	if errors.As(err, &te) {
		return te.Error()
	}
	return err.Error()
}

// Status returns the HTTP status a transport failure saw, or 0.
func Status(err error) int {
	var te *transport.Error
	if errors.As(err, &te) {
		return te.StatusCode
	}
	return 0
}

// The words every package uses for refused input: "<Field>: <rule>".
const (
	Required    = "required"
	NotNegative = "must not be negative"
	NotPositive = "must be positive"
)

// Field joins a field path and a rule: Field("Config.AppSecret", Required)
// is "Config.AppSecret: required".
func Field(field, rule string) string { return field + ": " + rule }

// AtMostItems is the rule for a list longer than the platform allows.
func AtMostItems(n int) string { return "at most " + strconv.Itoa(n) + " items" }

// AtLeastItems is the rule for a list shorter than the platform requires.
func AtLeastItems(n int) string {
	if n == 1 {
		return "at least 1 item"
	}
	return "at least " + strconv.Itoa(n) + " items"
}

// AtMostChars is the rule for a string longer than the platform allows
// (counted in characters, not bytes).
func AtMostChars(n int) string { return "at most " + strconv.Itoa(n) + " characters" }

// OneOf is the rule for a value outside an enumeration.
func OneOf(values ...string) string { return "must be one of " + strings.Join(values, ", ") }

// Between is the rule for a number outside a range.
func Between(lo, hi int64) string { return fmt.Sprintf("must be between %d and %d", lo, hi) }

// Blank reports whether a required string is missing: empty or only white space.
func Blank(s string) bool { return strings.TrimSpace(s) == "" }
