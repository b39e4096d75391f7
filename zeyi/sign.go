package zeyi

import (
	"crypto/rand"
	"io"
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
// with the integrator's key pair, signs callbacks. Use it to reproduce a
// signature that 则一's support asks about.
func Sign(appKey, appSecret, timestamp, nonce string, body []byte) string {
	// One buffer for the signed text: a conversion per part would cost an
	// allocation each on every request.
	data := make([]byte, 0, len(appKey)+len(appSecret)+len(timestamp)+len(nonce)+len(body))
	data = append(append(append(append(append(data, appKey...), appSecret...), timestamp...), nonce...), body...)
	return sign.MD5Hex(data)
}

// nonceAlphabet is [a-z0-9]: the doc is inconsistent about upper case;
// lower case satisfies every reading.
const nonceAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewNonce returns 6 random characters from [a-z0-9] (crypto/rand).
func NewNonce() (string, error) { return NonceFrom(rand.Reader) }

// NonceFrom returns 6 characters from [a-z0-9] drawn from r without bias
// (bytes ≥ 252 are skipped). With a fixed r (see [WithRandom]) the nonce,
// and so the signature, is reproducible.
func NonceFrom(r io.Reader) (string, error) { return sign.NonceFrom(r, nonceAlphabet, NonceLen) }

// Timestamp formats t as the timestamp header: Unix milliseconds.
func Timestamp(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// SetSignatureHeaders sets appKey, timestamp, nonce and sign on h for body,
// with a fresh nonce from crypto/rand and the time now. The header names
// keep the doc's case.
func SetSignatureHeaders(h http.Header, appKey, appSecret string, now time.Time, body []byte) error {
	nonce, err := NewNonce()
	if err != nil {
		return err
	}
	setSigned(h, appKey, appSecret, Timestamp(now), nonce, body)
	return nil
}

// setSigned sets the four headers; their values share one backing array
// (one allocation instead of four per attempt).
func setSigned(h http.Header, appKey, appSecret, ts, nonce string, body []byte) {
	v := []string{appKey, ts, nonce, Sign(appKey, appSecret, ts, nonce, body)}
	h[HeaderAppKey] = v[0:1:1]
	h[HeaderTimestamp] = v[1:2:2]
	h[HeaderNonce] = v[2:3:3]
	h[HeaderSign] = v[3:4:4]
}

// signOutgoing is the transport.Request Sign hook: it runs before every
// attempt, so each attempt has its own timestamp and nonce.
func (c *Client) signOutgoing(out *transport.Outgoing) error {
	nonce, err := NonceFrom(c.random)
	if err != nil {
		return err
	}
	setSigned(out.Header, c.appKey, string(*c.secret), Timestamp(c.tc.Now()), nonce, out.Body)
	return nil
}
