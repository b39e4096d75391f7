// Package aesx holds the AES modes the platforms use (CBC and ECB with
// PKCS#7 padding) and the base64 variants they wrap them in.
//
// Every decrypt path checks lengths before touching memory and reports one
// generic [ErrDecrypt]: callers never learn which check failed (no padding
// oracle) and no input can make these functions panic.
package aesx

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrDecrypt is the single error every failed decryption returns.
var ErrDecrypt = errors.New("aes: cannot decrypt: bad length or padding")

// KeyError reports a key whose length is not 16, 24 or 32 bytes.
type KeyError int

// Error says which key length was given.
func (e KeyError) Error() string {
	return fmt.Sprintf("aes: key must be 16, 24 or 32 bytes, got %d", int(e))
}

// CheckKey returns a [KeyError] unless key is a valid AES key length.
func CheckKey(key []byte) error {
	switch len(key) {
	case 16, 24, 32:
		return nil
	}
	return KeyError(len(key))
}

// Pad appends PKCS#7 padding for the given block size (16 for AES,
// 32 for DingTalk's callbacks). block must be in 1..255.
func Pad(b []byte, block int) []byte {
	n := block - len(b)%block
	out := make([]byte, len(b)+n)
	copy(out, b)
	for i := len(b); i < len(out); i++ {
		out[i] = byte(n)
	}
	return out
}

// Unpad strictly removes PKCS#7 padding for the given block size. It runs
// in time independent of the padding value and returns [ErrDecrypt] for
// anything that is not well-formed padding.
func Unpad(b []byte, block int) ([]byte, error) {
	if len(b) == 0 || block <= 0 || block > 255 || len(b)%min(block, aes.BlockSize) != 0 {
		return nil, ErrDecrypt
	}
	n := int(b[len(b)-1])
	bad := subtle.ConstantTimeLessOrEq(n, 0) | (1 - subtle.ConstantTimeLessOrEq(n, block)) |
		(1 - subtle.ConstantTimeLessOrEq(n, len(b)))
	// Compare the last min(block, len) bytes; only those inside the padding count.
	window := block
	if window > len(b) {
		window = len(b)
	}
	for i := 1; i <= window; i++ {
		inPad := subtle.ConstantTimeLessOrEq(i, n)
		mismatch := 1 - subtle.ConstantTimeByteEq(b[len(b)-i], byte(n))
		bad |= inPad & mismatch
	}
	if bad != 0 {
		return nil, ErrDecrypt
	}
	return b[:len(b)-n], nil
}

func newBlock(key []byte) (cipher.Block, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	return aes.NewCipher(key)
}

// EncryptCBC pads plain to padBlock and encrypts it with AES-CBC. The IV
// must be 16 bytes.
func EncryptCBC(key, iv, plain []byte, padBlock int) ([]byte, error) {
	blk, err := newBlock(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != aes.BlockSize {
		return nil, fmt.Errorf("aes: iv must be 16 bytes, got %d", len(iv))
	}
	out := Pad(plain, padBlock)
	cipher.NewCBCEncrypter(blk, iv).CryptBlocks(out, out)
	return out, nil
}

// DecryptCBC decrypts AES-CBC ciphertext and strictly removes padding made
// for padBlock. The input slice is not modified.
func DecryptCBC(key, iv, ct []byte, padBlock int) ([]byte, error) {
	blk, err := newBlock(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != aes.BlockSize || len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, ErrDecrypt
	}
	out := make([]byte, len(ct))
	cipher.NewCBCDecrypter(blk, iv).CryptBlocks(out, ct)
	return Unpad(out, padBlock)
}

// EncryptECB pads plain to 16 bytes and encrypts each block independently
// (AES-ECB, as 契约锁 callbacks use it).
func EncryptECB(key, plain []byte) ([]byte, error) {
	blk, err := newBlock(key)
	if err != nil {
		return nil, err
	}
	out := Pad(plain, aes.BlockSize)
	for i := 0; i < len(out); i += aes.BlockSize {
		blk.Encrypt(out[i:i+aes.BlockSize], out[i:i+aes.BlockSize])
	}
	return out, nil
}

// DecryptECB decrypts AES-ECB ciphertext and strictly removes PKCS#7 padding.
func DecryptECB(key, ct []byte) ([]byte, error) {
	blk, err := newBlock(key)
	if err != nil {
		return nil, err
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, ErrDecrypt
	}
	out := make([]byte, len(ct))
	for i := 0; i < len(ct); i += aes.BlockSize {
		blk.Decrypt(out[i:i+aes.BlockSize], ct[i:i+aes.BlockSize])
	}
	return Unpad(out, aes.BlockSize)
}

// DecodeBase64 accepts standard or URL-safe base64, either fully padded or
// with no padding at all, and ignores the white space and line breaks some
// platforms insert. Padding cut short ("…pQ=" where "…pQ==" is needed) or
// too long is refused: a message is valid in one spelling only.
func DecodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\r', '\n', ' ', '\t':
			return -1
		}
		return r
	}, s)
	enc := base64.RawStdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.RawURLEncoding
	}
	if strings.HasSuffix(s, "=") {
		enc = enc.WithPadding(base64.StdPadding)
	}
	b, err := enc.Strict().DecodeString(s)
	if err != nil {
		return nil, errors.New("aes: invalid base64")
	}
	return b, nil
}

// EncodeBase64 returns standard padded base64.
func EncodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
