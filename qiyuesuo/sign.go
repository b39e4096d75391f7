package qiyuesuo

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
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
		n, err := Nonce(c.random)
		if err != nil {
			return err
		}
		nonce = n
		o.Header.Set(c.prefix+"nonce", nonce)
	}
	token, secret := string(c.creds.token), string(c.creds.secret)
	o.Header.Set(c.prefix+"accesstoken", token)
	o.Header.Set(c.prefix+"timestamp", ts)
	o.Header.Set(c.prefix+"signature", Signature(token, secret, ts, nonce))
	return nil
}

// Nonce returns a random UUID v4, the nonce shape the official SDKs send,
// drawn from r (crypto/rand when r is nil). A fixed r reproduces a
// request's nonce, and with it its signature.
func Nonce(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("nonce: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	hex.Encode(out[9:13], b[4:6])
	hex.Encode(out[14:18], b[6:8])
	hex.Encode(out[19:23], b[8:10])
	hex.Encode(out[24:36], b[10:16])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:]), nil
}

// String describes the client without its credentials. (Value receivers,
// so that a copied Client value prints no credential either.)
func (c Client) String() string {
	base := ""
	if c.tc != nil {
		base = printableURL(c.tc.BaseURL())
	}
	return "qiyuesuo.Client{BaseURL:" + base + " AppToken:*** AppSecret:***}"
}

// GoString keeps %#v as free of credentials as String.
func (c Client) GoString() string { return c.String() }

// Format prints [Client.String] for every verb.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }
