package zeyi

import (
	"crypto/aes"
	"crypto/rand"
	"fmt"

	"github.com/hetong-go/hetong/internal/aesx"
	"github.com/hetong-go/hetong/internal/errfmt"
)

// EncryptionMode names one of the AES schemes the doc has described.
type EncryptionMode int

// Encryption modes. Both are AES-CBC with PKCS#5 (PKCS#7) padding and
// base64 output (数据加密: AES, CBC, PKCS5Padding, base64, utf-8).
const (
	// FixedIV is the seed document's and the 2021 Java SDK's scheme:
	// key = the bytes of appSecret (16, 24 or 32 bytes; 则一's 32-char
	// secrets give AES-256), a fixed IV agreed with 则一 (default
	// "0102030405060708"), output base64(ciphertext).
	FixedIV EncryptionMode = iota
	// RandomIVPrefix is the latest doc revision's scheme: key =
	// base64-decoded aesSecret (则一提供), a fresh random IV per value,
	// output base64(IV ‖ ciphertext).
	RandomIVPrefix
)

// String returns the mode's constant name.
func (m EncryptionMode) String() string {
	switch m {
	case FixedIV:
		return "FixedIV"
	case RandomIVPrefix:
		return "RandomIVPrefix"
	}
	return fmt.Sprintf("EncryptionMode(%d)", int(m))
}

// DefaultIV is the fixed IV of the 2021 Java SDK, used by [FixedIV] when
// Encryption.IV is empty.
const DefaultIV = "0102030405060708"

// Encryption configures AES for sensitive values.
type Encryption struct {
	// Mode selects the scheme; the zero value is FixedIV.
	Mode EncryptionMode
	// IV is FixedIV's 16-byte IV (偏移量, 则一提供); empty means DefaultIV.
	IV string
	// AESSecret is RandomIVPrefix's base64 key (aesSecret, 则一提供).
	AESSecret string
}

// String shows the settings with AESSecret masked.
func (e Encryption) String() string {
	return fmt.Sprintf("&zeyi.Encryption{Mode: %v, IV: %q, AESSecret: %s}", e.Mode, e.IV, masked(e.AESSecret))
}

// GoString is String, so %#v masks too.
func (e Encryption) GoString() string { return e.String() }

// Format prints the masked String for every verb.
func (e Encryption) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(e.String())) }

// Cipher encrypts and decrypts single values under one Encryption.
// It is safe for concurrent use.
type Cipher struct {
	mode EncryptionMode
	key  []byte
	iv   []byte // FixedIV only
}

// NewCipher returns the Cipher for enc. appSecret is the AES key in
// FixedIV mode and is ignored in RandomIVPrefix mode. Keys are used as
// given: a key of the wrong length is an [*Error] wrapping
// ErrInvalidRequest, never padded or hashed.
func NewCipher(enc Encryption, appSecret string) (*Cipher, error) {
	c, field, rule := newCipher(enc, appSecret)
	if rule != "" {
		return nil, invalid("NewCipher", errfmt.Field(field, rule))
	}
	return c, nil
}

// newCipher returns the cipher, or the field (Encryption.IV, AppSecret,
// ...) that breaks a rule and the rule.
func newCipher(enc Encryption, appSecret string) (c *Cipher, field, rule string) {
	const keyRule = "must be 16, 24 or 32 bytes as an AES key"
	switch enc.Mode {
	case FixedIV:
		iv := enc.IV
		if iv == "" {
			iv = DefaultIV
		}
		if len(iv) != aes.BlockSize {
			return nil, "Encryption.IV", fmt.Sprintf("must be %d bytes", aes.BlockSize)
		}
		key := []byte(appSecret)
		if aesx.CheckKey(key) != nil {
			return nil, "AppSecret", keyRule
		}
		return &Cipher{mode: FixedIV, key: key, iv: []byte(iv)}, "", ""
	case RandomIVPrefix:
		if errfmt.Blank(enc.AESSecret) {
			return nil, "Encryption.AESSecret", errfmt.Required
		}
		key, err := aesx.DecodeBase64(enc.AESSecret)
		if err != nil {
			return nil, "Encryption.AESSecret", "must be base64"
		}
		if aesx.CheckKey(key) != nil {
			return nil, "Encryption.AESSecret", keyRule
		}
		return &Cipher{mode: RandomIVPrefix, key: key}, "", ""
	}
	return nil, "Encryption.Mode", errfmt.OneOf(FixedIV.String(), RandomIVPrefix.String())
}

// String shows the cipher's mode, never its key.
func (c *Cipher) String() string { return "zeyi.Cipher{Mode: " + c.mode.String() + ", key: ***}" }

// GoString is String, so %#v hides the key too.
func (c *Cipher) GoString() string { return c.String() }

// Format prints String for every verb, so no verb shows the key.
func (c *Cipher) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// Mode returns the cipher's scheme.
func (c *Cipher) Mode() EncryptionMode { return c.mode }

// Encrypt returns the base64 ciphertext of plain.
func (c *Cipher) Encrypt(plain []byte) (string, error) {
	if c.mode == FixedIV {
		ct, err := aesx.EncryptCBC(c.key, c.iv, plain, aes.BlockSize)
		if err != nil {
			return "", err
		}
		return aesx.EncodeBase64(ct), nil
	}
	iv := make([]byte, aes.BlockSize)
	if _, err := rand.Read(iv); err != nil {
		return "", err
	}
	ct, err := aesx.EncryptCBC(c.key, iv, plain, aes.BlockSize)
	if err != nil {
		return "", err
	}
	return aesx.EncodeBase64(append(iv, ct...)), nil
}

// Decrypt reverses Encrypt. Every failure (bad base64, length or padding)
// is the same error, so it tells an attacker nothing.
func (c *Cipher) Decrypt(b64 string) ([]byte, error) {
	raw, err := aesx.DecodeBase64(b64)
	if err != nil {
		return nil, aesx.ErrDecrypt
	}
	iv := c.iv
	if c.mode == RandomIVPrefix {
		if len(raw) < 2*aes.BlockSize {
			return nil, aesx.ErrDecrypt
		}
		iv, raw = raw[:aes.BlockSize], raw[aes.BlockSize:]
	}
	return aesx.DecryptCBC(c.key, iv, raw, aes.BlockSize)
}
