package qiyuesuo

import (
	"strconv"

	"github.com/hetong-go/hetong/internal/sign"
	"github.com/hetong-go/hetong/internal/transport"
)

// Signature returns the request signature the platform expects:
// lowercase hex md5(appToken + appSecret + timestamp + nonce), where
// timestamp is Unix milliseconds in decimal. An empty nonce gives the
// legacy three-part form md5(appToken + appSecret + timestamp).
func Signature(appToken, appSecret, timestamp, nonce string) string {
	return sign.MD5HexString(appToken, appSecret, timestamp, nonce)
}

// sign puts the four auth headers on one attempt. It runs before every
// attempt, so a retry carries a fresh timestamp and nonce (the platform
// refuses a nonce it has seen within 10 minutes).
func (c *Client) sign(o *transport.Outgoing) error {
	ts := strconv.FormatInt(c.tc.Now().UnixMilli(), 10)
	nonce := ""
	if !c.legacy {
		n, err := c.nonce()
		if err != nil {
			return err
		}
		nonce = n
		o.Header.Set(c.prefix+"nonce", nonce)
	}
	o.Header.Set(c.prefix+"accesstoken", c.token)
	o.Header.Set(c.prefix+"timestamp", ts)
	o.Header.Set(c.prefix+"signature", Signature(c.token, c.secret, ts, nonce))
	return nil
}

// newNonce returns a random UUID v4 string, the nonce shape the official
// SDKs send.
func newNonce() (string, error) {
	h, err := sign.Nonce(sign.Hex, 30)
	if err != nil {
		return "", err
	}
	variant, err := sign.Nonce("89ab", 1)
	if err != nil {
		return "", err
	}
	return h[:8] + "-" + h[8:12] + "-4" + h[12:15] + "-" + variant + h[15:18] + "-" + h[18:], nil
}
