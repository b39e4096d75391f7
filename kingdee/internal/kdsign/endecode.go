package kdsign

import (
	"crypto/cipher"
	"crypto/des"
	"encoding/base64"
	"errors"

	"github.com/hetong-go/hetong/internal/aesx"
)

// enDeKey is the fixed DES key, and IV, of ValidateUserEnDeCode. It is
// published in Kingdee's .NET client: the encoding hides the user name and
// password from casual eyes, it is not a secret channel (use https).
const enDeKey = "KingdeeK"

// ErrEnDe reports a value that is not a valid EnDeCode text.
var ErrEnDe = errors.New("not a valid EnDeCode value")

// EnDeEncode is the encoding ValidateUserEnDeCode applies to the user name
// and the password: DES-CBC (key = IV = "KingdeeK") over the UTF-8 text
// with PKCS#7 padding, then standard base64.
func EnDeEncode(text string) string {
	block, _ := des.NewCipher([]byte(enDeKey)) // 8-byte key: never fails
	buf := aesx.Pad([]byte(text), des.BlockSize)
	cipher.NewCBCEncrypter(block, []byte(enDeKey)).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// EnDeDecode reverses EnDeEncode (the fake uses it to read a login).
func EnDeDecode(s string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) == 0 || len(raw)%des.BlockSize != 0 {
		return "", ErrEnDe
	}
	block, _ := des.NewCipher([]byte(enDeKey))
	cipher.NewCBCDecrypter(block, []byte(enDeKey)).CryptBlocks(raw, raw)
	// aesx.Unpad insists on whole AES blocks, so the 8-byte DES padding is
	// checked here (the fake's side only; timing does not matter there).
	n := int(raw[len(raw)-1])
	if n < 1 || n > des.BlockSize {
		return "", ErrEnDe
	}
	for _, b := range raw[len(raw)-n:] {
		if int(b) != n {
			return "", ErrEnDe
		}
	}
	return string(raw[:len(raw)-n]), nil
}
