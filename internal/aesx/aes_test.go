package aesx

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCBCKnownAnswer(t *testing.T) {
	// NIST SP 800-38A F.2.1, first block, followed by one block of padding.
	key, _ := hex.DecodeString("2b7e151628aed2a6abf7158809cf4f3c")
	iv, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	pt, _ := hex.DecodeString("6bc1bee22e409f96e93d7e117393172a")
	ct, err := EncryptCBC(key, iv, pt, 16)
	require.NoError(t, err)
	assert.Equal(t, "7649abac8119b246cee98e9b12e9197d", hex.EncodeToString(ct[:16]))
	back, err := DecryptCBC(key, iv, ct, 16)
	require.NoError(t, err)
	assert.Equal(t, pt, back)
}

func TestECBKnownAnswer(t *testing.T) {
	// NIST SP 800-38A F.1.1, first block.
	key, _ := hex.DecodeString("2b7e151628aed2a6abf7158809cf4f3c")
	pt, _ := hex.DecodeString("6bc1bee22e409f96e93d7e117393172a")
	ct, err := EncryptECB(key, pt)
	require.NoError(t, err)
	assert.Equal(t, "3ad77bb40d7a3660a89ecaf32466ef97", hex.EncodeToString(ct[:16]))
	back, err := DecryptECB(key, ct)
	require.NoError(t, err)
	assert.Equal(t, pt, back)
}

func TestPad32RoundTrip(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	for n := 0; n < 70; n++ {
		pt := bytes.Repeat([]byte{'x'}, n)
		ct, err := EncryptCBC(key, key[:16], pt, 32)
		require.NoError(t, err)
		assert.Zero(t, len(ct)%32)
		back, err := DecryptCBC(key, key[:16], ct, 32)
		require.NoError(t, err)
		assert.Equal(t, pt, back)
	}
}

func TestUnpadRejects(t *testing.T) {
	good := Pad([]byte("hello"), 16)
	_, err := Unpad(good, 16)
	require.NoError(t, err)
	cases := map[string][]byte{
		"empty":         {},
		"not aligned":   good[:15],
		"zero pad":      append(bytes.Repeat([]byte{1}, 15), 0),
		"pad too large": append(bytes.Repeat([]byte{17}, 15), 17),
		"inconsistent":  append(append(bytes.Repeat([]byte{'a'}, 12), 9, 4, 4), 4),
	}
	for name, in := range cases {
		_, err := Unpad(in, 16)
		assert.ErrorIs(t, err, ErrDecrypt, name)
	}
	// A 32-byte pad is fine with block 32, not with block 16.
	p32 := Pad(nil, 32)
	_, err = Unpad(p32, 32)
	assert.NoError(t, err)
	_, err = Unpad(p32, 16)
	assert.ErrorIs(t, err, ErrDecrypt)
}

func TestKeyAndIVErrors(t *testing.T) {
	_, err := EncryptCBC([]byte("short"), make([]byte, 16), nil, 16)
	var ke KeyError
	require.ErrorAs(t, err, &ke)
	assert.Equal(t, 5, int(ke))
	_, err = EncryptCBC(make([]byte, 16), make([]byte, 3), nil, 16)
	assert.Error(t, err)
	_, err = DecryptCBC(make([]byte, 16), make([]byte, 3), make([]byte, 16), 16)
	assert.ErrorIs(t, err, ErrDecrypt)
	_, err = DecryptECB(make([]byte, 16), make([]byte, 17))
	assert.ErrorIs(t, err, ErrDecrypt)
}

func TestBase64Variants(t *testing.T) {
	want := []byte{0xfb, 0xff, 0xfe}
	for _, s := range []string{"+//+", "-__-", "+//+\n", "+/ /+"} {
		got, err := DecodeBase64(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got)
	}
	_, err := DecodeBase64("!!!")
	assert.Error(t, err)
	assert.Equal(t, "+//+", EncodeBase64(want))
}

func FuzzDecrypt(f *testing.F) {
	key := bytes.Repeat([]byte{3}, 32)
	ct, _ := EncryptCBC(key, key[:16], []byte("seed"), 32)
	f.Add(ct)
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0xff}, 32))
	f.Fuzz(func(t *testing.T, in []byte) {
		_, _ = DecryptCBC(key, key[:16], in, 32)
		_, _ = DecryptCBC(key[:16], key[:16], in, 16)
		_, _ = DecryptECB(key[:16], in)
		_, _ = Unpad(in, 32)
		_, _ = DecodeBase64(string(in))
	})
}

func TestDecodeBase64IsStrictAboutPadding(t *testing.T) {
	good, err := DecodeBase64("aGk=") // "hi"
	require.NoError(t, err)
	assert.Equal(t, "hi", string(good))
	raw, err := DecodeBase64("aGk")
	require.NoError(t, err)
	assert.Equal(t, "hi", string(raw))
	two, err := DecodeBase64("aA==")
	require.NoError(t, err)
	assert.Equal(t, "h", string(two))
	for _, bad := range []string{"aA=", "aGk==", "aGk===", "a===", "aGk=aGk="} {
		_, err := DecodeBase64(bad)
		assert.Error(t, err, "%q must be refused", bad)
	}
}

func TestUnpadEightByteBlocks(t *testing.T) {
	padded := Pad([]byte("kingdee"), 8) // DES: 8-byte blocks
	assert.Len(t, padded, 8)
	out, err := Unpad(padded, 8)
	require.NoError(t, err)
	assert.Equal(t, "kingdee", string(out))
}
