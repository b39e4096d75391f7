package hetong

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Amount is an exact decimal amount of money in yuan (元), as the platforms
// send it: "3500.00", 3500, "0.1". It keeps exactly the digits it was given
// and never passes through float64, so an amount read from one platform can
// be written to another untouched.
//
// The zero value is 0. Amount is comparable with [Amount.Cmp], not with ==
// ("1.0" and "1.00" are equal amounts with different digits).
//
// In JSON an Amount reads a number or a string and writes itself back in the
// form it came in; [Amount.AsString] and [Amount.AsNumber] choose the form
// for a platform that requires one.
type Amount struct {
	text   string // canonical decimal text: optional '-', digits, optional '.' digits; "" means "0"
	quoted bool   // marshal as a JSON string
}

// ErrAmount is wrapped by every error about text that is not a decimal
// amount, and by [Amount.Fen] when an amount has more than two decimals.
var ErrAmount = errors.New("hetong: invalid amount")

// maxAmountDigits bounds the digits an amount may have, so that hostile
// input cannot make arithmetic on it expensive.
const maxAmountDigits = 64

// ParseAmount reads a decimal amount such as "3500.00", "-0.5" or "12".
// A leading '+', surrounding spaces and thousands separators are not
// accepted; neither are exponents, NaN or infinities.
func ParseAmount(s string) (Amount, error) {
	if err := checkDecimal(s); err != nil {
		return Amount{}, fmt.Errorf("%w %q: %s", ErrAmount, clip(s), err)
	}
	a := Amount{text: s}
	if a.Sign() == 0 {
		a.text = strings.TrimPrefix(s, "-") // -0.00 is 0.00
	}
	return a, nil
}

func checkDecimal(s string) error {
	body := strings.TrimPrefix(s, "-")
	if body == "" {
		return errors.New("no digits")
	}
	if len(body) > maxAmountDigits+1 {
		return fmt.Errorf("more than %d digits", maxAmountDigits)
	}
	intPart, frac, hasDot := strings.Cut(body, ".")
	if intPart == "" || (hasDot && frac == "") {
		return errors.New("want digits on both sides of the point")
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return errors.New("want only digits and one point")
			}
		}
	}
	return nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// AmountFromFen returns the amount of fen (分, hundredths of a yuan) in yuan
// with two decimals: AmountFromFen(350000) is 3500.00.
func AmountFromFen(fen int64) Amount {
	neg := fen < 0
	u := uint64(fen)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	for len(digits) < 3 {
		digits = "0" + digits
	}
	text := digits[:len(digits)-2] + "." + digits[len(digits)-2:]
	if neg {
		text = "-" + text
	}
	return Amount{text: text}
}

// Fen returns the amount in fen. It fails when the amount has a non-zero
// digit below the fen or does not fit in an int64.
func (a Amount) Fen() (int64, error) {
	r := a.rat()
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		return 0, fmt.Errorf("%w: %s is not a whole number of fen", ErrAmount, a.String())
	}
	n := r.Num()
	if !n.IsInt64() {
		return 0, fmt.Errorf("%w: %s fen does not fit in int64", ErrAmount, a.String())
	}
	return n.Int64(), nil
}

// String returns the amount's digits exactly as given ("0" for the zero value).
func (a Amount) String() string {
	if a.text == "" {
		return "0"
	}
	return a.text
}

// IsZero reports whether the amount equals zero ("0", "0.00", the zero value).
func (a Amount) IsZero() bool { return a.Sign() == 0 }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int {
	t := a.text
	if strings.Trim(strings.TrimPrefix(t, "-"), "0.") == "" {
		return 0
	}
	if strings.HasPrefix(t, "-") {
		return -1
	}
	return 1
}

// Cmp compares a and b: -1 if a < b, 0 if equal (whatever their digits),
// +1 if a > b.
func (a Amount) Cmp(b Amount) int { return a.rat().Cmp(b.rat()) }

// Equal reports whether a and b are the same amount (1.0 equals 1.00).
func (a Amount) Equal(b Amount) bool { return a.Cmp(b) == 0 }

// Add returns a+b with as many decimals as the longer of the two.
func (a Amount) Add(b Amount) Amount { return a.combine(b, (*big.Int).Add) }

// Sub returns a-b with as many decimals as the longer of the two.
func (a Amount) Sub(b Amount) Amount { return a.combine(b, (*big.Int).Sub) }

func (a Amount) combine(b Amount, op func(z, x, y *big.Int) *big.Int) Amount {
	scale := max(a.scale(), b.scale())
	z := op(new(big.Int), a.scaled(scale), b.scaled(scale))
	return Amount{text: formatScaled(z, scale), quoted: a.quoted}
}

// AsString returns a that marshals to JSON as a string: "3500.00".
func (a Amount) AsString() Amount { a.quoted = true; return a }

// AsNumber returns a that marshals to JSON as a number: 3500.00.
func (a Amount) AsNumber() Amount { a.quoted = false; return a }

// MarshalJSON writes the digits as a JSON number, or as a JSON string when
// the amount was read from one or made with [Amount.AsString].
func (a Amount) MarshalJSON() ([]byte, error) {
	if a.quoted {
		return []byte(`"` + a.String() + `"`), nil
	}
	return []byte(a.String()), nil
}

// UnmarshalJSON reads a JSON number or a JSON string holding a decimal.
// An empty string and null leave the zero amount.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	quoted := len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"'
	s := string(b)
	if quoted {
		unq, err := strconv.Unquote(s)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrAmount, err)
		}
		s = strings.TrimSpace(unq)
		if s == "" {
			*a = Amount{quoted: true}
			return nil
		}
	}
	s, err := plainDecimal(s)
	if err != nil {
		return err
	}
	v, err := ParseAmount(s)
	if err != nil {
		return err
	}
	v.quoted = quoted
	*a = v
	return nil
}

// plainDecimal rewrites a JSON number with an exponent (1.5E+3) as plain
// digits, exactly; other text passes through for ParseAmount to check.
func plainDecimal(s string) (string, error) {
	if !strings.ContainsAny(s, "eE") {
		return s, nil
	}
	mant, expText, _ := strings.Cut(strings.ToLower(s), "e")
	exp, err := strconv.Atoi(expText)
	if err != nil || exp > maxAmountDigits || exp < -maxAmountDigits {
		return "", fmt.Errorf("%w %q: bad exponent", ErrAmount, clip(s))
	}
	m, err := ParseAmount(mant)
	if err != nil {
		return "", err
	}
	scale := m.scale() - exp
	unscaled := m.scaled(m.scale())
	if scale < 0 {
		unscaled.Mul(unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-scale)), nil))
		scale = 0
	}
	return formatScaled(unscaled, scale), nil
}

// MarshalText writes the digits, for form and query encoders.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads a decimal amount.
func (a *Amount) UnmarshalText(b []byte) error {
	v, err := ParseAmount(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

func (a Amount) scale() int {
	_, frac, _ := strings.Cut(a.text, ".")
	return len(frac)
}

// scaled returns the amount times 10^scale as an integer; scale must be at
// least a.scale().
func (a Amount) scaled(scale int) *big.Int {
	t := a.String()
	intPart, frac, _ := strings.Cut(t, ".")
	digits := intPart + frac + strings.Repeat("0", scale-len(frac))
	z, _ := new(big.Int).SetString(digits, 10)
	return z
}

func (a Amount) rat() *big.Rat {
	s := a.scale()
	return new(big.Rat).SetFrac(a.scaled(s), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s)), nil))
}

func formatScaled(z *big.Int, scale int) string {
	neg := z.Sign() < 0
	digits := new(big.Int).Abs(z).String()
	if scale > 0 {
		for len(digits) <= scale {
			digits = "0" + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if neg {
		digits = "-" + digits
	}
	return digits
}
