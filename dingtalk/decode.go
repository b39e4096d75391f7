package dingtalk

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/hetong-go/hetong"

	"github.com/hetong-go/hetong/internal/flex"
)

// Decode fills the struct v points to from the form, matching each field's
// `dingtalk:"label"` tag against a component's ID first, then its Name
// (label). Labels in the form without a field are ignored; fields without a
// value keep their zero value. Field types:
//
//   - string: the text as is
//   - int, uint and float kinds: a number ("1,200.5" allowed; "" is 0)
//   - bool: true/false, 1/0, 是/否
//   - [hetong.Amount]: an exact amount from "3500.00" or "3,500"
//   - [time.Time]: "yyyy-MM-dd", "yyyy-MM-dd HH:mm[:ss]" (China time) or Unix ms
//   - []string: a JSON array (multi-select, photos) or a single value
//   - [][Attachment]: a DDAttachment JSON array
//   - [FormValue]: the whole component; []Row: a detail table's raw rows
//   - []T or []*T with T a tagged struct: a detail table, row by row, so
//     nested tables (报销明细 → 项目费用明细) decode into nested slices
//   - *T of any of these: allocated when the value is present
//
// A value that does not fit its field is a [*FormError] naming the label
// (with its row, e.g. "报销明细[1].报销金额(元)").
func (f FormValues) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("dingtalk: FormValues.Decode: want a non-nil pointer to a struct, got %T", v)
	}
	return decodeStruct(f, rv.Elem(), "")
}

var (
	typeTime       = reflect.TypeFor[time.Time]()
	typeAmount     = reflect.TypeFor[hetong.Amount]()
	typeFormValue  = reflect.TypeFor[FormValue]()
	typeRows       = reflect.TypeFor[[]Row]()
	typeAttachment = reflect.TypeFor[[]Attachment]()
)

func decodeStruct(f FormValues, sv reflect.Value, prefix string) error {
	st := sv.Type()
	for i := 0; i < st.NumField(); i++ {
		sf := st.Field(i)
		tag, _, _ := strings.Cut(sf.Tag.Get("dingtalk"), ",")
		if tag == "" || tag == "-" || !sf.IsExported() {
			continue
		}
		fv, ok := f.Get(tag)
		if !ok {
			continue
		}
		if err := decodeValue(fv, sv.Field(i), prefix+tag); err != nil {
			var fe *FormError
			if errors.As(err, &fe) {
				return err
			}
			return &FormError{Label: prefix + tag, Value: fv.Value, Err: err}
		}
	}
	return nil
}

func decodeValue(fv FormValue, dst reflect.Value, label string) error {
	s := strings.TrimSpace(fv.Value)
	switch dst.Type() {
	case typeFormValue:
		dst.Set(reflect.ValueOf(fv))
		return nil
	case typeTime:
		t, err := flex.ParseTime(s)
		if err != nil || (s != "" && digits(s) && len(s) < 12) { // a bare small number is not a Unix-ms time
			return errors.New("not a date or time")
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	case typeAmount:
		m, err := ParseMoney(s)
		dst.Set(reflect.ValueOf(m))
		return err
	case typeRows:
		rows, err := ParseTable(s)
		dst.Set(reflect.ValueOf(rows))
		return err
	case typeAttachment:
		var atts []Attachment
		if s != "" {
			if err := json.Unmarshal([]byte(s), &atts); err != nil {
				return errors.New("not a list of attachments")
			}
		}
		dst.Set(reflect.ValueOf(atts))
		return nil
	}
	switch dst.Kind() {
	case reflect.String:
		dst.SetString(fv.Value)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(number(s), 10, dst.Type().Bits())
		if err != nil {
			return errors.New("not an integer of " + dst.Type().String())
		}
		dst.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(number(s), 10, dst.Type().Bits())
		if err != nil {
			return errors.New("not an unsigned integer of " + dst.Type().String())
		}
		dst.SetUint(n)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(number(s), dst.Type().Bits())
		if err != nil {
			return errors.New("not a number")
		}
		dst.SetFloat(x)
	case reflect.Bool:
		b, err := parseBool(s)
		if err != nil {
			return err
		}
		dst.SetBool(b)
	case reflect.Pointer:
		if s == "" {
			return nil
		}
		p := reflect.New(dst.Type().Elem())
		if err := decodeValue(fv, p.Elem(), label); err != nil {
			return err
		}
		dst.Set(p)
	case reflect.Slice:
		return decodeSlice(fv, dst, label)
	default:
		return fmt.Errorf("unsupported field type %s", dst.Type())
	}
	return nil
}

// number strips thousands separators; "" reads as 0.
func number(s string) string {
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return "0"
	}
	return s
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "1", "是", "yes", "y":
		return true, nil
	case "false", "0", "否", "no", "n", "":
		return false, nil
	}
	return false, errors.New("not a boolean")
}

// decodeSlice handles []string and detail tables decoded into []T / []*T.
func decodeSlice(fv FormValue, dst reflect.Value, label string) error {
	elem := dst.Type().Elem()
	s := strings.TrimSpace(fv.Value)
	if elem.Kind() == reflect.String {
		var list []string
		switch {
		case s == "":
		case strings.HasPrefix(s, "["):
			var raw []flex.String
			if err := json.Unmarshal([]byte(s), &raw); err != nil {
				return errors.New("not a list of strings")
			}
			for _, r := range raw {
				list = append(list, string(r))
			}
		default:
			list = []string{fv.Value}
		}
		out := reflect.MakeSlice(dst.Type(), len(list), len(list))
		for i, x := range list {
			out.Index(i).SetString(x)
		}
		dst.Set(out)
		return nil
	}
	ptr := elem.Kind() == reflect.Pointer
	if ptr {
		elem = elem.Elem()
	}
	if elem.Kind() != reflect.Struct {
		return fmt.Errorf("unsupported field type %s", dst.Type())
	}
	rows, err := ParseTable(s)
	if err != nil {
		return err
	}
	out := reflect.MakeSlice(dst.Type(), len(rows), len(rows))
	for i, row := range rows {
		item := reflect.New(elem)
		if err := decodeStruct(row.Values, item.Elem(), fmt.Sprintf("%s[%d].", label, i)); err != nil {
			return err
		}
		if ptr {
			out.Index(i).Set(item)
		} else {
			out.Index(i).Set(item.Elem())
		}
	}
	dst.Set(out)
	return nil
}
