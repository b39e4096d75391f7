package zeyi

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/aesx"
)

// Fact-sheet vector (zeyi.md §4), cross-checked there with openssl enc -aes-256-cbc.
const vecCipherText = "4TysgwiZ83nHIKMIX6BUeqhrPAr53NXZyvBOKkjE/UHkUHHmFDVutVb8ncaBR+geUG9G+Jcd4pnNUy6IIRtXhpDahDac9q+jFsvqQUjgfIk="

func TestFixedIVVector(t *testing.T) {
	c, err := NewCipher(Encryption{}, vecAppSecret)
	require.NoError(t, err)
	assert.Equal(t, FixedIV, c.Mode())
	ct, err := c.Encrypt([]byte(vecData))
	require.NoError(t, err)
	assert.Equal(t, vecCipherText, ct)
	pt, err := c.Decrypt(vecCipherText)
	require.NoError(t, err)
	assert.Equal(t, vecData, string(pt))
}

func TestFixedIVCustomIV(t *testing.T) {
	a, err := NewCipher(Encryption{IV: "abcdefghijklmnop"}, vecAppSecret)
	require.NoError(t, err)
	ct, err := a.Encrypt([]byte(vecData))
	require.NoError(t, err)
	assert.NotEqual(t, vecCipherText, ct, "the IV must be used")
	pt, err := a.Decrypt(ct)
	require.NoError(t, err)
	assert.Equal(t, vecData, string(pt))
}

func TestRandomIVPrefixRoundTrip(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	c, err := NewCipher(Encryption{Mode: RandomIVPrefix, AESSecret: key}, "ignored")
	require.NoError(t, err)
	a, err := c.Encrypt([]byte(vecData))
	require.NoError(t, err)
	b, err := c.Encrypt([]byte(vecData))
	require.NoError(t, err)
	assert.NotEqual(t, a, b, "each value gets a fresh IV")
	raw, err := base64.StdEncoding.DecodeString(a)
	require.NoError(t, err)
	require.Len(t, raw, 16+80, "IV ‖ ciphertext")
	// The prefix is the IV: decrypting the tail with it gives the plaintext.
	pt, err := aesx.DecryptCBC([]byte("0123456789abcdef0123456789abcdef"), raw[:16], raw[16:], 16)
	require.NoError(t, err)
	assert.Equal(t, vecData, string(pt))
	for _, ct := range []string{a, b} {
		pt, err := c.Decrypt(ct)
		require.NoError(t, err)
		assert.Equal(t, vecData, string(pt))
	}
}

func TestCipherRejectsBadKeys(t *testing.T) {
	for name, tc := range map[string]struct {
		enc    Encryption
		secret string
		want   string
	}{
		"short secret":   {Encryption{}, "short", "zeyi: NewCipher: AppSecret: must be 16, 24 or 32 bytes as an AES key"},
		"bad IV":         {Encryption{IV: "123"}, vecAppSecret, "zeyi: NewCipher: Encryption.IV: must be 16 bytes"},
		"no aesSecret":   {Encryption{Mode: RandomIVPrefix}, "", "zeyi: NewCipher: Encryption.AESSecret: required"},
		"aesSecret b64":  {Encryption{Mode: RandomIVPrefix, AESSecret: "!!!"}, "", "zeyi: NewCipher: Encryption.AESSecret: must be base64"},
		"aesSecret size": {Encryption{Mode: RandomIVPrefix, AESSecret: base64.StdEncoding.EncodeToString([]byte("0123456789"))}, "", "zeyi: NewCipher: Encryption.AESSecret: must be 16, 24 or 32 bytes as an AES key"},
		"unknown mode":   {Encryption{Mode: 7}, vecAppSecret, "zeyi: NewCipher: Encryption.Mode: must be one of FixedIV, RandomIVPrefix"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewCipher(tc.enc, tc.secret)
			assert.EqualError(t, err, tc.want)
			assert.ErrorIs(t, err, ErrInvalidRequest)
		})
	}
}

func TestDecryptFailuresAreUniform(t *testing.T) {
	fixed, err := NewCipher(Encryption{}, vecAppSecret)
	require.NoError(t, err)
	random, err := NewCipher(Encryption{Mode: RandomIVPrefix, AESSecret: base64.StdEncoding.EncodeToString([]byte(vecAppSecret))}, "")
	require.NoError(t, err)
	bad := []string{"", "@@@", "AAAA", base64.StdEncoding.EncodeToString(make([]byte, 16)), strings.Repeat("A", 64), vecCipherText[:20]}
	for _, c := range []*Cipher{fixed, random} {
		for _, in := range bad {
			_, err := c.Decrypt(in)
			assert.ErrorIs(t, err, aesx.ErrDecrypt, "%v %q", c.Mode(), in)
		}
	}
}

// TestDecryptRejectsCutPadding: base64 whose padding was cut short
// ("…A=" where "…A==" is needed) is refused, not silently completed.
func TestDecryptRejectsCutPadding(t *testing.T) {
	c, err := NewCipher(Encryption{}, vecAppSecret)
	require.NoError(t, err)
	ct, err := c.Encrypt([]byte(strings.Repeat("x", 50))) // 64 bytes: base64 ends in ==
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(ct, "=="), ct)
	_, err = c.Decrypt(strings.TrimSuffix(ct, "="))
	assert.ErrorIs(t, err, ErrDecrypt)
	_, err = c.Decrypt(ct + "=")
	assert.ErrorIs(t, err, ErrDecrypt)
	pt, err := c.Decrypt(ct)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("x", 50), string(pt))
}
