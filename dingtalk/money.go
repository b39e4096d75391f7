package dingtalk

import (
	"strings"

	"github.com/hetong-go/hetong"
)

// ParseMoney reads a DDMoneyField value such as "3500.00", "3,500" or
// "¥12.5" into an exact [hetong.Amount]: thousands separators and a
// currency sign are dropped, the digits are kept as given (never through
// float64). An empty value is zero. [FormValues.Decode] uses it for
// hetong.Amount fields.
func ParseMoney(s string) (hetong.Amount, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	t = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "¥"), "￥"))
	if t == "" {
		return hetong.Amount{}, nil
	}
	if strings.HasPrefix(t, ".") {
		t = "0" + t
	} else if strings.HasPrefix(t, "-.") {
		t = "-0" + t[1:]
	}
	return hetong.ParseAmount(t)
}

// digits reports whether s is only ASCII digits.
func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
