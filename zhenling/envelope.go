package zhenling

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"

	"github.com/hetong-go/hetong/internal/flex"
	"github.com/hetong-go/hetong/internal/transport"
)

// outer is every top-level shape a Zhenling response takes: the HITF
// envelope {success, message, result}, the HZERO error {failed, code,
// message, type} and the OAuth2 error {error, error_description}.
type outer struct {
	Success          *flex.Bool      `json:"success"`
	Message          flex.String     `json:"message"`
	Result           json.RawMessage `json:"result"`
	Failed           flex.Bool       `json:"failed"`
	Code             flex.String     `json:"code"`
	Type             flex.String     `json:"type"`
	OAuthError       flex.String     `json:"error"`
	ErrorDescription flex.String     `json:"error_description"`
}

// inner is HITF's result: {code, msg, data} or {errcode, errmsg, data}, or
// a bare {data:[...]} for DATA_IMPORT writes.
type inner struct {
	Code    flex.String     `json:"code"`
	ErrCode flex.String     `json:"errcode"`
	Msg     flex.String     `json:"msg"`
	ErrMsg  flex.String     `json:"errmsg"`
	Message flex.String     `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// Result is a decoded HITF result: its business code and message ("0" or
// empty on success) and the raw data, for operations whose response fields
// Zhenling has not published. Decode it into your own type.
type Result struct {
	Code    string
	Message string
	Data    json.RawMessage
}

// Decode unmarshals Data into v.
func (r *Result) Decode(v any) error {
	if len(r.Data) == 0 {
		return nil
	}
	return json.Unmarshal(r.Data, v)
}

var requestIDHeaders = []string{"X-Request-Id", "X-B3-TraceId", "Trace-Id"}

func requestID(h http.Header) string {
	for _, k := range requestIDHeaders {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// decodeResponse turns a complete response into a Result or an *Error, and
// says whether the call may be retried.
func decodeResponse(r *transport.Response) (*Result, transport.Verdict, error) {
	status := r.StatusCode
	if !transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		return nil, transport.StatusVerdict(status), &transport.Error{Kind: transport.KindNotJSON, StatusCode: status, Excerpt: transport.Excerpt(r.Body)}
	}
	if status/100 == 2 && transport.IsEmptyAnswer(r.Body) {
		return nil, transport.Final, noData(r) // `{}`, `null` or nothing is never a HITF answer
	}
	apiErr := func(code, msg, typ string) *Error {
		return &Error{Code: code, Message: msg, Type: typ, HTTPStatus: status, RequestID: requestID(r.Header), Raw: transport.Excerpt(r.Body)}
	}
	var o outer
	if err := json.Unmarshal(r.Body, &o); err != nil {
		if status/100 != 2 {
			return nil, transport.StatusVerdict(status), apiErr("", "undecodable error body", "")
		}
		return nil, transport.Final, &transport.Error{Kind: transport.KindDecode, StatusCode: status, Excerpt: transport.Excerpt(r.Body), Err: err}
	}
	switch {
	case o.OAuthError != "":
		return nil, transport.StatusVerdict(status), apiErr(string(o.OAuthError), string(o.ErrorDescription), "")
	case bool(o.Failed):
		return nil, transport.StatusVerdict(status), apiErr(string(o.Code), string(o.Message), string(o.Type))
	case status/100 != 2:
		return nil, transport.StatusVerdict(status), apiErr(string(o.Code), string(o.Message), "")
	}
	res, err := decodeResult(o, r.Body)
	if err != nil {
		return nil, transport.Final, &transport.Error{Kind: transport.KindDecode, StatusCode: status, Excerpt: transport.Excerpt(r.Body), Err: err}
	}
	if o.Success != nil && !bool(*o.Success) {
		code := res.Code
		if code == "" || code == "0" {
			code = "success=false"
		}
		return nil, transport.Final, apiErr(code, firstNonEmpty(res.Message, string(o.Message)), "")
	}
	if res.Code != "" && res.Code != "0" {
		return nil, transport.Final, apiErr(res.Code, res.Message, "")
	}
	return res, transport.Final, nil
}

// decodeResult reads the inner result; a body without the HITF envelope is
// read as the result itself.
func decodeResult(o outer, body []byte) (*Result, error) {
	raw := bytes.TrimSpace(o.Result)
	if o.Success == nil && len(raw) == 0 {
		raw = bytes.TrimSpace(body)
	}
	res := &Result{}
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return res, nil
	}
	if raw[0] != '{' {
		res.Data = json.RawMessage(raw)
		return res, nil
	}
	var in inner
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, err
	}
	res.Code = firstNonEmpty(string(in.Code), string(in.ErrCode))
	res.Message = firstNonEmpty(string(in.Msg), string(in.ErrMsg), string(in.Message))
	res.Data = in.Data
	return res, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// typedOuter is the HITF envelope with the result's data decoded straight
// into D, so that an ordinary answer is read in one json.Unmarshal.
type typedOuter[D any] struct {
	Success    *flex.Bool     `json:"success"`
	Result     *typedInner[D] `json:"result"`
	Failed     flex.Bool      `json:"failed"`
	OAuthError flex.String    `json:"error"`
}

type typedInner[D any] struct {
	Code    flex.String `json:"code"`
	ErrCode flex.String `json:"errcode"`
	Data    *D          `json:"data"`
}

// errNoData says that an answer which must carry data carries none: a 200
// with an empty body, {}, null, or a result without data is not a success.
var errNoData = errors.New("the answer carries no data")

// decodeTyped reads a successful answer straight into *data in one pass.
// Anything else (an error, a non-2xx status, a result that is not an
// object, data in a shape D does not take, or data that decoded to
// nothing, where only the general path can tell absent from empty) goes
// the general way: decodeResponse, then tolerant on the raw data. When
// required, an answer without data fails.
func decodeTyped[D any](r *transport.Response, data *D, required bool, tolerant func(json.RawMessage, *D) error) (transport.Verdict, error) {
	resetData(data, len(r.Body))
	if ok, null := decodeFast(r, data); ok {
		switch {
		case null && required:
			return transport.Final, noData(r)
		case null:
			resetData(data, 0)
			return transport.Final, nil
		case !isBlank(data):
			return transport.Final, nil
		}
	}
	resetData(data, 0)
	res, v, err := decodeResponse(r)
	if err != nil {
		return v, err
	}
	if isEmptyJSON(res.Data) {
		if required {
			return transport.Final, noData(r)
		}
		return transport.Final, nil
	}
	if err := tolerant(res.Data, data); err != nil {
		return transport.Final, &transport.Error{Kind: transport.KindDecode, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body), Err: err}
	}
	return transport.Final, nil
}

// decodeFast decodes a 2xx JSON answer into *into when it is a successful
// HITF envelope with an object result; ok is false for anything else, and
// null reports "data":null.
func decodeFast[D any](r *transport.Response, into *D) (ok, null bool) {
	if r.StatusCode/100 != 2 || !transport.IsJSON(r.Header.Get("Content-Type"), r.Body) {
		return false, false
	}
	o := typedOuter[D]{Result: &typedInner[D]{Data: into}} // decode into the caller's value
	if json.Unmarshal(r.Body, &o) != nil || o.Result == nil || o.Success == nil || !bool(*o.Success) || bool(o.Failed) || o.OAuthError != "" {
		return false, false
	}
	if code := firstNonEmpty(string(o.Result.Code), string(o.Result.ErrCode)); code != "" && code != "0" {
		return false, false
	}
	return true, o.Result.Data == nil
}

// resetter is data that prepares itself for an answer of bodyLen bytes
// (a page sizes its rows' slice once instead of growing it).
type resetter interface{ reset(bodyLen int) }

// blanker is data that can tell it decoded to nothing.
type blanker interface{ blank() bool }

func resetData[D any](d *D, bodyLen int) {
	if r, ok := any(d).(resetter); ok {
		r.reset(bodyLen)
		return
	}
	var zero D
	*d = zero
}

func isBlank[D any](d *D) bool {
	if b, ok := any(d).(blanker); ok {
		return b.blank()
	}
	return reflect.ValueOf(d).Elem().IsZero()
}

func noData(r *transport.Response) error {
	return &transport.Error{Kind: transport.KindDecode, StatusCode: r.StatusCode, Excerpt: transport.Excerpt(r.Body), Err: errNoData}
}

func isEmptyJSON(b json.RawMessage) bool {
	t := bytes.TrimSpace(b)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}
