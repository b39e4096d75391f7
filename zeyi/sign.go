package zeyi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hetong-go/hetong/internal/sign"
	"github.com/hetong-go/hetong/internal/transport"
)

// Header names, spelled exactly as the doc spells them. Go's
// http.Header.Set would canonicalise appKey to "Appkey"; the client
// assigns the map keys directly so the wire carries the doc's case.
const (
	HeaderAppKey    = "appKey"
	HeaderTimestamp = "timestamp"
	HeaderNonce     = "nonce"
	HeaderSign      = "sign"
)

// ContentType is the Content-Type of every request and callback.
const ContentType = "application/json;charset=utf-8"

// NonceLen is the length of the nonce header (6位随机码).
const NonceLen = 6

// Sign returns the signature 则一 expects in the sign header: the
// lowercase hex MD5 of appKey + appSecret + timestamp + nonce + body,
// where body is the exact request body sent (数据加签). The same formula,
// with the integrator's key pair, signs callbacks.
func Sign(appKey, appSecret, timestamp, nonce string, body []byte) string {
	return sign.MD5Hex([]byte(appKey), []byte(appSecret), []byte(timestamp), []byte(nonce), body)
}

// NewNonce returns 6 random characters from [a-z0-9] (crypto/rand). The
// doc is inconsistent about upper case; lower case satisfies every reading.
func NewNonce() (string, error) { return sign.Nonce(sign.LowerAlnum, NonceLen) }

// Timestamp formats t as the timestamp header: Unix milliseconds.
func Timestamp(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// SetSignatureHeaders sets appKey, timestamp, nonce and sign on h for body,
// with a fresh nonce and the time now. The header names keep the doc's case.
func SetSignatureHeaders(h http.Header, appKey, appSecret string, now time.Time, body []byte) error {
	nonce, err := NewNonce()
	if err != nil {
		return err
	}
	ts := Timestamp(now)
	h[HeaderAppKey] = []string{appKey}
	h[HeaderTimestamp] = []string{ts}
	h[HeaderNonce] = []string{nonce}
	h[HeaderSign] = []string{Sign(appKey, appSecret, ts, nonce, body)}
	return nil
}

// signOutgoing is the transport.Request Sign hook: it runs before every
// attempt, so each attempt has its own timestamp and nonce.
func (c *Client) signOutgoing(out *transport.Outgoing) error {
	return SetSignatureHeaders(out.Header, c.appKey, c.appSecret, c.tc.Now(), out.Body)
}
