// Package sign holds the signing primitives every platform builds its
// signatures from: hex digests, HMAC-SHA256, sorted concatenation and
// random nonces drawn from crypto/rand.
package sign

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"sort"
	"strings"
)

// Alphabets for [Nonce].
const (
	LowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	Alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	Digits     = "0123456789"
	Hex        = "0123456789abcdef"
)

func hexOf(h hash.Hash, parts [][]byte) string {
	for _, p := range parts {
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// MD5Hex returns the lowercase hex MD5 of the concatenated parts.
func MD5Hex(parts ...[]byte) string { return hexOf(md5.New(), parts) }

// SHA1Hex returns the lowercase hex SHA-1 of the concatenated parts.
func SHA1Hex(parts ...[]byte) string { return hexOf(sha1.New(), parts) }

// SHA256Hex returns the lowercase hex SHA-256 of the concatenated parts.
func SHA256Hex(parts ...[]byte) string { return hexOf(sha256.New(), parts) }

// MD5HexString is MD5Hex over the concatenation of strings.
func MD5HexString(parts ...string) string {
	h := md5.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HMACSHA256 returns the raw HMAC-SHA256 of msg under key.
func HMACSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// HMACSHA256Hex returns the lowercase hex HMAC-SHA256 of msg under key.
func HMACSHA256Hex(key, msg []byte) string { return hex.EncodeToString(HMACSHA256(key, msg)) }

// SortedConcat sorts a copy of parts lexicographically (byte order) and
// joins them with sep. The caller's slice is not modified.
func SortedConcat(sep string, parts ...string) string {
	c := append([]string(nil), parts...)
	sort.Strings(c)
	return strings.Join(c, sep)
}

// ErrAlphabet is returned by Nonce for an empty alphabet or a non-positive length.
var ErrAlphabet = errors.New("sign: nonce needs a non-empty alphabet and a positive length")

// Nonce returns n characters drawn uniformly from alphabet with crypto/rand.
func Nonce(alphabet string, n int) (string, error) { return NonceFrom(rand.Reader, alphabet, n) }

// ErrRandom says a random source gave too many unusable bytes.
var ErrRandom = errors.New("sign: random source gave too many unusable bytes for a nonce")

// NonceFrom returns n characters drawn uniformly from alphabet (at most
// 256 characters) using the bytes of r: a byte that would bias the draw is
// skipped, r is read 16 bytes at a time. A fixed r (a client's WithRandom)
// makes the nonce, and the signature over it, reproducible.
func NonceFrom(r io.Reader, alphabet string, n int) (string, error) {
	if alphabet == "" || len(alphabet) > 256 || n <= 0 {
		return "", ErrAlphabet
	}
	limit := 256 - 256%len(alphabet) // bytes at or above it would favour the first letters
	out := make([]byte, 0, n)
	var buf [16]byte
	for tries := 0; len(out) < n; tries++ {
		if tries > 8+n/8 {
			return "", ErrRandom
		}
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}
