package kdsign

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fact sheet's signed-header vector (synthetic credentials).
var vector = Identity{
	AcctID: "62f3c9b0acct", Username: "tester", LCID: 2052, OrgNum: "100",
	AppID: "200000_bXlfZmFrZV9hcHBfc2VjcmV0XzEyMzQ1", AppSecret: "0123456789abcdef0123456789abcdef",
}

const vectorPath = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"

func TestVector(t *testing.T) {
	secret, err := APISecret(vector.AppID)
	require.NoError(t, err)
	assert.Equal(t, "XUlqUgdYXGgCRkJsR1ZUSgdEZlJTBFAG", secret)
	assert.Equal(t, "POST\n%2Fk3cloud%2FKingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc\n\nx-api-nonce:1700000000\nx-api-timestamp:1700000000\n",
		StringToSign(vectorPath, "1700000000", "1700000000"))

	s, err := NewSigner(vector)
	require.NoError(t, err)
	h := http.Header{}
	s.Apply(h, vectorPath, "1700000000", "1700000000")
	assert.Equal(t, "NzUwNDg3NWJlMDhkZWQ3MjNmZTJkOTM1OTgxZDlmMzgxYjA0Nzg5MjViNzRiMjExZmFkZWY3Yzg0ZTcyNzRkZA==", h.Get(HeaderSignature))
	assert.Equal(t, "NjJmM2M5YjBhY2N0LHRlc3RlciwyMDUyLDEwMA==", h.Get(HeaderAppData))
	assert.Equal(t, "NjU1ZTA0ZTAwNTRjNjVkNWE1ZjcxNjkzMDBiOWYyYTZhOTRhZGE0MDFiMDliMjQ5ZDk1ZDVjMjJiMjU4NGNhMA==", h.Get(HeaderKdSignature))
	assert.Equal(t, "200000", h.Get(HeaderClientID))
	assert.Equal(t, "2.0", h.Get(HeaderAuthVersion))
	assert.Equal(t, "x-api-timestamp,x-api-nonce", h.Get(HeaderSignHeaders))
	assert.Equal(t, vector.AppID, h.Get(HeaderAppKey))

	assert.True(t, s.Verify(h, vectorPath))
	assert.False(t, s.Verify(h, "/k3cloud/other.common.kdsvc"))
	h.Set(HeaderTimestamp, "1700000001")
	assert.False(t, s.Verify(h, vectorPath))
}

func TestBadAppID(t *testing.T) {
	for _, id := range []string{"", "200000", "_bXlfZmFrZV9hcHBfc2VjcmV0XzEyMzQ1", "200000_short", "200000_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"} {
		_, err := NewSigner(Identity{AppID: id})
		assert.ErrorIs(t, err, ErrAppID, id)
	}
}

func TestLoginSign(t *testing.T) {
	// sorted: "1700000000" < "200000_…" < "62f3…" < "s3cret" < "tester"
	got := LoginSign("62f3c9b0acct", "tester", "200000_x", "s3cret", "1700000000")
	assert.Equal(t, "abc4e7e1b51c2cbde7cf9c0882f33ea8ecbfddaf82c3a19a86d458a3320c1c2a", got)
	assert.Equal(t, got, LoginSign("tester", "62f3c9b0acct", "s3cret", "200000_x", "1700000000"), "order of inputs must not matter")
}

// Vectors from `openssl enc -des-cbc -K 4b696e676465654b -iv 4b696e676465654b | base64`.
func TestEnDeVector(t *testing.T) {
	for plain, want := range map[string]string{"tester": "lsAY6WXAHvg=", "pa55word!": "pn1dNdTgWk6u3Fptofsp7Q=="} {
		if got := EnDeEncode(plain); got != want {
			t.Errorf("EnDeEncode(%q) = %q, want %q", plain, got, want)
		}
		back, err := EnDeDecode(want)
		if err != nil || back != plain {
			t.Errorf("EnDeDecode(%q) = %q, %v", want, back, err)
		}
	}
	for _, bad := range []string{"", "!!", "AAAA", "AAAAAAAAAAA="} {
		if _, err := EnDeDecode(bad); err == nil {
			t.Errorf("EnDeDecode(%q) accepted", bad)
		}
	}
}
