// Package kdsign holds Kingdee's signing algorithms, shared by the kingdee
// client and its fake so that both sides compute exactly the same bytes:
// the per-request X-Api-*/X-Kd-* headers of 「第三方系统登录授权」 and the
// LoginBySign digest. It builds only on the core's primitives.
package kdsign

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hetong-go/hetong/internal/callback"
	"github.com/hetong-go/hetong/internal/sign"
)

// xorKey is the fixed key the AppID's secret part is XOR-ed with: the ASCII
// bytes of this text, not its hex decoding.
const xorKey = "0054f397c6234378b09ca7d3e5debce7"

// Header names of the signed-header scheme.
const (
	HeaderClientID    = "X-Api-ClientID"
	HeaderAuthVersion = "X-Api-Auth-Version"
	HeaderTimestamp   = "x-api-timestamp"
	HeaderNonce       = "x-api-nonce"
	HeaderSignHeaders = "x-api-signheaders"
	HeaderSignature   = "X-Api-Signature"
	HeaderAppKey      = "X-Kd-Appkey"
	HeaderAppData     = "X-Kd-Appdata"
	HeaderKdSignature = "X-Kd-Signature"
	// HeaderSessionID carries a session id besides the cookie.
	HeaderSessionID = "kdservice-sessionid"
)

// ErrAppID reports an AppID that is not "<clientId>_<32 chars>".
var ErrAppID = errors.New(`want "<clientId>_<32-character key>"`)

// Identity is who signs.
type Identity struct {
	// AcctID, Username, AppID and AppSecret are the configured credentials.
	AcctID, Username, AppID, AppSecret string
	// LCID is the language id, e.g. 2052.
	LCID int
	// OrgNum is the organisation number ("0" when none).
	OrgNum string
}

// Signer holds the parts of the signed headers that do not change between
// requests, computed once.
type Signer struct {
	clientID  string
	apiSecret []byte
	appKey    string
	appData   string
	kdSig     string
}

// SplitAppID returns the client id and the 32-character encoded key of an AppID.
func SplitAppID(appID string) (clientID, enc string, err error) {
	i := strings.IndexByte(appID, '_')
	if i <= 0 || len(appID)-i-1 != len(xorKey) {
		return "", "", ErrAppID
	}
	return appID[:i], appID[i+1:], nil
}

// APISecret derives the HMAC key of X-Api-Signature from an AppID:
// base64(base64decode(enc) XOR xorKey).
func APISecret(appID string) (string, error) {
	_, enc, err := SplitAppID(appID)
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", fmt.Errorf("%w: key part is not base64", ErrAppID)
	}
	out := make([]byte, len(raw))
	for i, b := range raw {
		out[i] = b ^ xorKey[i%len(xorKey)]
	}
	return base64.StdEncoding.EncodeToString(out), nil
}

// HMACBase64 is Kingdee's signature encoding: base64 of the lowercase hex
// text of HMAC-SHA256, not of the raw digest.
func HMACBase64(msg, key string) string {
	return base64.StdEncoding.EncodeToString([]byte(sign.HMACSHA256Hex([]byte(key), []byte(msg))))
}

// EncodePath percent-encodes a URL path form-style, "/" included, with
// upper-case hex.
func EncodePath(path string) string { return url.QueryEscape(path) }

// StringToSign is the text X-Api-Signature signs.
func StringToSign(path, ts, nonce string) string {
	return "POST\n" + EncodePath(path) + "\n\n" + HeaderNonce + ":" + nonce + "\n" + HeaderTimestamp + ":" + ts + "\n"
}

// AppDataPlain is the un-encoded X-Kd-Appdata text.
func AppDataPlain(id Identity) string {
	org := id.OrgNum
	if org == "" {
		org = "0"
	}
	return id.AcctID + "," + id.Username + "," + strconv.Itoa(id.LCID) + "," + org
}

// NewSigner validates the AppID and precomputes the static headers.
func NewSigner(id Identity) (*Signer, error) {
	clientID, _, err := SplitAppID(id.AppID)
	if err != nil {
		return nil, err
	}
	secret, err := APISecret(id.AppID)
	if err != nil {
		return nil, err
	}
	plain := AppDataPlain(id)
	return &Signer{
		clientID:  clientID,
		apiSecret: []byte(secret),
		appKey:    id.AppID,
		appData:   base64.StdEncoding.EncodeToString([]byte(plain)),
		kdSig:     HMACBase64(id.AppID+plain, id.AppSecret),
	}, nil
}

// Signature returns X-Api-Signature for a request path.
func (s *Signer) Signature(path, ts, nonce string) string {
	return HMACBase64(StringToSign(path, ts, nonce), string(s.apiSecret))
}

// Apply sets every signed header on h.
func (s *Signer) Apply(h http.Header, path, ts, nonce string) {
	h.Set(HeaderClientID, s.clientID)
	h.Set(HeaderAuthVersion, "2.0")
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignHeaders, HeaderTimestamp+","+HeaderNonce)
	h.Set(HeaderSignature, s.Signature(path, ts, nonce))
	h.Set(HeaderAppKey, s.appKey)
	h.Set(HeaderAppData, s.appData)
	h.Set(HeaderKdSignature, s.kdSig)
}

// Verify checks the signed headers of a request to path in constant time.
// It says nothing about which header differed.
func (s *Signer) Verify(h http.Header, path string) bool {
	// Every comparison runs (the call comes first), so timing does not tell
	// which header differed.
	ok := callback.Equal(h.Get(HeaderClientID), s.clientID)
	ok = callback.Equal(h.Get(HeaderAppKey), s.appKey) && ok
	ok = callback.Equal(h.Get(HeaderAppData), s.appData) && ok
	ok = callback.Equal(h.Get(HeaderKdSignature), s.kdSig) && ok
	ok = callback.Equal(h.Get(HeaderSignature), s.Signature(path, h.Get(HeaderTimestamp), h.Get(HeaderNonce))) && ok
	return ok
}

// LoginSign is the LoginBySign digest: lowercase hex SHA-256 of the sorted
// concatenation of acctID, username, appID, appSecret and the timestamp.
func LoginSign(acctID, username, appID, appSecret, ts string) string {
	return sign.SHA256Hex([]byte(sign.SortedConcat("", acctID, username, appID, appSecret, ts)))
}
