package zeyi

import (
	"fmt"
	"strconv"

	"github.com/hetong-go/hetong/internal/errfmt"
	"github.com/hetong-go/hetong/internal/redact"
)

// Config holds the credentials 则一 issued to the integrator. The gateway
// is chosen with [WithEnvironment] (production by default) or
// [WithBaseURL]. Printing a Config with any fmt verb masks the secrets.
type Config struct {
	// AppKey identifies the integrator (则一提供); sent in the appKey header.
	AppKey string
	// AppSecret signs every request (则一提供). It is never sent and never
	// logged. With [FixedIV] encryption its bytes are also the AES key.
	AppSecret string
	// Encryption turns on AES for form values marked sensitive
	// ([FormItem.Sensitive]). Nil, the default, means no encryption, as
	// the doc says: 「无敏感数据则无需加密」.
	Encryption *Encryption
}

// validate checks the required fields; white space alone is missing.
func (cfg Config) validate() error {
	switch {
	case errfmt.Blank(cfg.AppKey):
		return invalid("NewClient", errfmt.Field("Config.AppKey", errfmt.Required))
	case errfmt.Blank(cfg.AppSecret):
		return invalid("NewClient", errfmt.Field("Config.AppSecret", errfmt.Required))
	}
	return nil
}

// String shows the Config with AppSecret (and Encryption.AESSecret) masked.
func (cfg Config) String() string {
	enc := "nil"
	if cfg.Encryption != nil {
		enc = cfg.Encryption.String()
	}
	return fmt.Sprintf("zeyi.Config{AppKey: %s, AppSecret: %s, Encryption: %s}",
		strconv.Quote(cfg.AppKey), masked(cfg.AppSecret), enc)
}

// GoString is String, so %#v masks too.
func (cfg Config) GoString() string { return cfg.String() }

// Format prints the masked String for every verb, so no verb (%v, %+v,
// %#v, %s, %q, %x, %d) can show a secret.
func (cfg Config) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(cfg.String())) }

// masked shows whether a secret is set without showing it.
func masked(s string) string {
	if s == "" {
		return `""`
	}
	return strconv.Quote(redact.Mask)
}
