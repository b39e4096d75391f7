package dingtalk

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in fen (分, 1/100 yuan), exact: DDMoneyField values
// such as "3500.00" decode without passing through float64.
type Money int64

// ParseMoney parses a yuan amount such as "3500", "3,500.00" or "-12.5".
// More than two non-zero decimals is an error, not a silent rounding.
func ParseMoney(s string) (Money, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	t = strings.TrimPrefix(strings.TrimPrefix(t, "¥"), "￥")
	if t == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(strings.TrimPrefix(t, "-"), "+")
	whole, rawFrac, _ := strings.Cut(t, ".")
	frac := strings.TrimRight(rawFrac, "0")
	if (whole == "" && rawFrac == "") || !digits(whole) || !digits(rawFrac) || len(frac) > 2 {
		return 0, fmt.Errorf("not an amount of money: %q", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || y > (math.MaxInt64-99)/100 {
		return 0, fmt.Errorf("amount out of range: %q", s)
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	m := y*100 + f
	if neg {
		m = -m
	}
	return Money(m), nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Fen returns the amount in fen.
func (m Money) Fen() int64 { return int64(m) }

// Yuan returns the amount in yuan as a float64, for APIs that want a
// number (e.g. 金蝶 amounts). Exact for amounts below 2^53 fen.
func (m Money) Yuan() float64 { return float64(m) / 100 }

// String formats the amount in yuan with two decimals, e.g. "3500.00".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		if v == math.MinInt64 {
			return "-92233720368547758.08"
		}
		v = -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}
