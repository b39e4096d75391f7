package dingtalk

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/internal/aesx"
)

// The official Go sample's vector, from the fact sheet.
const (
	vecToken     = "tokenxxxx"
	vecAESKey    = "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus"
	vecOwner     = "dingxxxxxx"
	vecTimestamp = "1605695694141"
	vecNonce     = "WelUQl6bCqcBa2fM"
	vecEncrypt   = "X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ=="
	vecSignature = "f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc"
)

func vectorCrypto(t testing.TB) *Crypto {
	t.Helper()
	c, err := NewCrypto(vecToken, vecAESKey, vecOwner)
	require.NoError(t, err)
	return c
}

func TestCryptoVectorSignatureAndDecrypt(t *testing.T) {
	c := vectorCrypto(t)
	assert.Equal(t, vecSignature, c.Signature(vecTimestamp, vecNonce, vecEncrypt))
	msg, err := c.Decrypt(vecSignature, vecTimestamp, vecNonce, vecEncrypt)
	require.NoError(t, err)
	assert.Equal(t, "success", string(msg))
}

func TestCryptoVectorPlaintextFraming(t *testing.T) {
	c := vectorCrypto(t)
	ct, err := aesx.DecodeBase64(vecEncrypt)
	require.NoError(t, err)
	raw, err := aesx.DecryptCBC(c.key, c.key[:16], ct, 16) // 16-byte PKCS#7 cannot hold a 27-byte pad
	if err == nil {
		t.Fatalf("a 27-byte pad must not pass a 16-byte unpad, got %q", raw)
	}
	plain, err := aesx.DecryptCBC(c.key, c.key[:16], ct, 32)
	require.NoError(t, err)
	want := append([]byte("WelUQl6bCqcBa2fM\x00\x00\x00\x07success"), vecOwner...)
	assert.Equal(t, want, plain)
	assert.Equal(t, 64-len(want), 27, "pad length from the fact sheet")
}

func TestCryptoSealReproducesVectorByteForByte(t *testing.T) {
	c := vectorCrypto(t)
	enc, err := c.seal("WelUQl6bCqcBa2fM", []byte("success"))
	require.NoError(t, err)
	assert.Equal(t, vecEncrypt, enc)
}

func TestCryptoEncryptRoundTrip(t *testing.T) {
	c := vectorCrypto(t)
	msg := []byte(`{"EventType":"check_url"}`)
	em, err := c.Encrypt(msg, "1700000000000", "")
	require.NoError(t, err)
	assert.Len(t, em.Nonce, 16)
	got, err := c.Decrypt(em.MsgSignature, em.TimeStamp, em.Nonce, em.Encrypt)
	require.NoError(t, err)
	assert.Equal(t, msg, got)
}

func TestCryptoRejects(t *testing.T) {
	c := vectorCrypto(t)
	other, err := NewCrypto(vecToken, vecAESKey, "dingOTHER")
	require.NoError(t, err)
	foreign, err := other.Encrypt([]byte("hi"), "1", "n")
	require.NoError(t, err)
	lenBeyond := forgeLength(t, c, 0xFFFFFFF0)

	cases := []struct {
		name                string
		sig, ts, nonce, enc string
		want                error
	}{
		{"bad signature", "0000000000000000000000000000000000000000", vecTimestamp, vecNonce, vecEncrypt, ErrSignature},
		{"empty signature", "", vecTimestamp, vecNonce, vecEncrypt, ErrSignature},
		{"other timestamp", vecSignature, "1605695694142", vecNonce, vecEncrypt, ErrSignature},
		{"wrong owner key", foreign.MsgSignature, foreign.TimeStamp, foreign.Nonce, foreign.Encrypt, ErrOwnerKey},
		{"truncated ciphertext", c.Signature("1", "n", vecEncrypt[:40]), "1", "n", vecEncrypt[:40], ErrDecrypt},
		{"not base64", c.Signature("1", "n", "!!!"), "1", "n", "!!!", ErrDecrypt},
		{"length beyond buffer", c.Signature("1", "n", lenBeyond), "1", "n", lenBeyond, ErrDecrypt},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Decrypt(tc.sig, tc.ts, tc.nonce, tc.enc)
			assert.True(t, errors.Is(err, tc.want), "got %v", err)
		})
	}
}

// forgeLength encrypts a well-padded plaintext whose length field is n.
func forgeLength(t *testing.T, c *Crypto, n uint32) string {
	t.Helper()
	plain := append([]byte("0123456789abcdef"), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	plain = append(plain, bytes.Repeat([]byte("x"), 10)...)
	ct, err := aesx.EncryptCBC(c.key, c.key[:16], plain, 32)
	require.NoError(t, err)
	return aesx.EncodeBase64(ct)
}

func TestNewCryptoValidates(t *testing.T) {
	_, err := NewCrypto("", vecAESKey, vecOwner)
	assert.ErrorContains(t, err, "Token")
	_, err = NewCrypto(vecToken, "short", vecOwner)
	assert.ErrorContains(t, err, "EncodingAESKey")
	_, err = NewCrypto(vecToken, vecAESKey, "")
	assert.ErrorContains(t, err, "OwnerKey")
	_, err = NewCrypto(vecToken, "!"+vecAESKey[1:], vecOwner)
	assert.ErrorContains(t, err, "EncodingAESKey")
}
