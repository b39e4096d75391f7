package kingdee

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// mask is what a secret prints as.
const mask = "***"

// String describes the Config with every secret masked: AppSecret,
// Password and Passport print as ***, and AppID as its client id followed
// by *** (its key part derives the signing key).
func (cfg Config) String() string {
	var b strings.Builder
	b.WriteString("kingdee.Config{BaseURL:" + strconv.Quote(maskUserinfo(cfg.BaseURL)))
	b.WriteString(", AcctID:" + strconv.Quote(cfg.AcctID) + ", Username:" + strconv.Quote(cfg.Username))
	b.WriteString(", AppID:" + strconv.Quote(maskAppID(cfg.AppID)))
	b.WriteString(", AppSecret:" + maskIfSet(cfg.AppSecret) + ", Password:" + maskIfSet(cfg.Password))
	b.WriteString(", Passport:" + maskIfSet(string(cfg.Passport)))
	b.WriteString(", LCID:" + strconv.Itoa(cfg.LCID) + ", OrgNum:" + strconv.Quote(cfg.OrgNum))
	b.WriteString(", Auth:" + cfg.Auth.String() + "}")
	return b.String()
}

// GoString is String, so that %#v masks too.
func (cfg Config) GoString() string { return cfg.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %q).
func (cfg Config) Format(f fmt.State, verb rune) { writeMasked(f, verb, cfg.String()) }

func maskIfSet(s string) string {
	if s == "" {
		return `""`
	}
	return strconv.Quote(mask)
}

func maskAppID(id string) string {
	if id == "" {
		return ""
	}
	if i := strings.IndexByte(id, '_'); i > 0 {
		return id[:i+1] + mask
	}
	return mask
}

// String describes the client by its site, account, user and mode; it
// holds secrets that never print.
func (c *Client) String() string {
	if c == nil {
		return "kingdee.Client(nil)"
	}
	return "kingdee.Client{BaseURL:" + strconv.Quote(maskUserinfo(c.tc.BaseURL())) + ", AcctID:" + strconv.Quote(c.cfg.AcctID) +
		", Username:" + strconv.Quote(c.cfg.Username) + ", Auth:" + c.cfg.Auth.String() + "}"
}

// GoString is String, so that %#v shows no secret.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb: the client's fields hold secrets.
func (c *Client) Format(f fmt.State, verb rune) { writeMasked(f, verb, c.String()) }

func writeMasked(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// maskUserinfo hides a password written into a URL (https://u:p@host/).
func maskUserinfo(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User(mask)
	return u.String()
}
