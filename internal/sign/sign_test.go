package sign

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDigests(t *testing.T) {
	// Known answers from RFC 1321, FIPS 180 and RFC 4231 test case 2.
	assert.Equal(t, "900150983cd24fb0d6963f7d28e17f72", MD5Hex([]byte("a"), []byte("bc")))
	assert.Equal(t, "900150983cd24fb0d6963f7d28e17f72", MD5HexString("ab", "c"))
	assert.Equal(t, "a9993e364706816aba3e25717850c26c9cd0d89d", SHA1Hex([]byte("abc")))
	assert.Equal(t, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SHA256Hex([]byte("abc")))
	assert.Equal(t, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
		HMACSHA256Hex([]byte("Jefe"), []byte("what do ya want for nothing?")))
}

func TestSortedConcat(t *testing.T) {
	in := []string{"b", "a", "c"}
	assert.Equal(t, "a|b|c", SortedConcat("|", in...))
	assert.Equal(t, []string{"b", "a", "c"}, in, "input must not be reordered")
}

func TestNonce(t *testing.T) {
	n, err := Nonce(LowerAlnum, 6)
	require.NoError(t, err)
	assert.Len(t, n, 6)
	for _, r := range n {
		assert.True(t, strings.ContainsRune(LowerAlnum, r))
	}
	m, err := Nonce(LowerAlnum, 32)
	require.NoError(t, err)
	n2, _ := Nonce(LowerAlnum, 32)
	assert.NotEqual(t, m, n2)
	_, err = Nonce("", 3)
	assert.ErrorIs(t, err, ErrAlphabet)
	_, err = Nonce("ab", 0)
	assert.ErrorIs(t, err, ErrAlphabet)
}

func TestNonceFromIsUnbiasedAndReproducible(t *testing.T) {
	src := []byte{0, 61, 62, 247, 248, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	got, err := NonceFrom(bytes.NewReader(src), Alnum, 12)
	require.NoError(t, err)
	// 62 letters: bytes ≥ 248 are skipped, the rest taken mod 62.
	want := string([]byte{Alnum[0], Alnum[61], Alnum[0], Alnum[61], Alnum[1], Alnum[2], Alnum[3], Alnum[4], Alnum[5], Alnum[6], Alnum[7], Alnum[8]})
	assert.Equal(t, want, got)
	again, _ := NonceFrom(bytes.NewReader(src), Alnum, 12)
	assert.Equal(t, got, again)
	_, err = NonceFrom(bytes.NewReader(bytes.Repeat([]byte{255}, 4096)), Alnum, 6)
	assert.ErrorIs(t, err, ErrRandom)
	_, err = NonceFrom(bytes.NewReader(nil), Alnum, 6)
	assert.Error(t, err)
	_, err = NonceFrom(bytes.NewReader(src), "", 6)
	assert.ErrorIs(t, err, ErrAlphabet)
}
