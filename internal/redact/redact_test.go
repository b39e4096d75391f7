package redact

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestStringMasksValuesAndPairs(t *testing.T) {
	r := New("s3cr3t-value", "ab") // "ab" is too short to register
	got := r.String(`failed with s3cr3t-value; {"appSecret":"zzz","name":"ok"} url?access_token=tok123&x=1`)
	assert.NotContains(t, got, "s3cr3t-value")
	assert.NotContains(t, got, "zzz")
	assert.NotContains(t, got, "tok123")
	assert.Contains(t, got, `"name":"ok"`)
	assert.Contains(t, got, "x=1")
	assert.Contains(t, New("ab").String("ab"), "ab")
}

func TestURLAndHeader(t *testing.T) {
	r := New()
	u, _ := url.Parse("https://u:p@oapi.example/get?access_token=abc&size=20")
	s := r.URL(u)
	assert.NotContains(t, s, "abc")
	assert.NotContains(t, s, "u:p")
	assert.Contains(t, s, "size=20")

	h := http.Header{"Authorization": {"bearer x"}, "X-Qys-Open-Signature": {"sig"}, "Content-Type": {"application/json"}}
	out := r.Header(h)
	assert.Equal(t, Mask, out.Get("Authorization"))
	assert.Equal(t, Mask, out.Get("X-Qys-Open-Signature"))
	assert.Equal(t, "application/json", out.Get("Content-Type"))
	assert.Equal(t, "bearer x", h.Get("Authorization"), "input header untouched")
}

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	r := New("topsecretvalue")
	log := r.Logger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	log.Debug("calling with topsecretvalue", "app_secret", "plain", "body", `{"token":"t0k3n"}`,
		slog.Group("req", "password", "pw", "path", "/x"))
	log.With("accessToken", "zz").Info("hi")
	out := buf.String()
	for _, s := range []string{"topsecretvalue", "plain", "t0k3n", "pw", "zz"} {
		assert.NotContains(t, out, "="+s)
	}
	assert.NotContains(t, out, "topsecretvalue")
	assert.Contains(t, out, "path=/x")

	// A nil logger discards.
	New().Logger(nil).Error("nothing")
}

func TestIDsAndTypesAreNotSecrets(t *testing.T) {
	r := New()
	got := r.String(`{"token_type":"bearer","SignId":"sig-1","signUrl":"https://x","access_token":"abc","AppSecret":"zzz","secretId":"AKID"}`)
	assert.Contains(t, got, `"token_type":"bearer"`)
	assert.Contains(t, got, `"SignId":"sig-1"`)
	assert.Contains(t, got, `"signUrl":"https://x"`)
	assert.NotContains(t, got, "abc")
	assert.NotContains(t, got, "zzz")
	assert.True(t, IsSecretKey("x-qys-open-signature"))
	assert.True(t, IsSecretKey("Authorization"))
	assert.False(t, IsSecretKey("contractId"))
	assert.Contains(t, r.String("a?signType=MD5&sign=abc"), "signType=MD5")
	assert.NotContains(t, r.String("a?signType=MD5&sign=abc"), "sign=abc")
}

func TestSessionIDsStaySecret(t *testing.T) {
	for _, k := range []string{"kdservice-sessionid", "ASP.NET_SessionId", "Set-Cookie", "KDSVCSessionId"} {
		assert.True(t, IsSecretKey(k), k)
	}
}

// TestConstructionSecretsAreNeverEvicted: a long-lived kingdee client adds
// three values per re-login; after thousands of them the AppSecret is
// still masked (the old ring of 64 let it out after ~23 renewals).
func TestConstructionSecretsAreNeverEvicted(t *testing.T) {
	r := New("the-app-secret-value")
	now := time.Unix(1700000000, 0)
	r.now = func() time.Time { return now }
	for i := 0; i < 10000; i++ {
		r.Learn(fmt.Sprintf("session-%05d", i), now.Add(20*time.Minute))
		now = now.Add(20 * time.Minute)
	}
	assert.Equal(t, "login [***]", r.String("login [the-app-secret-value]"))
}

func TestLearnedValuesRotateOnlyAfterExpiry(t *testing.T) {
	r := New()
	now := time.Unix(1700000000, 0)
	r.now = func() time.Time { return now }
	r.Learn("token-one", now.Add(2*time.Hour))
	for i := 0; i < 5000; i++ { // many fresh values do not push out an unexpired one... up to the cap
		r.Learn(fmt.Sprintf("tok-%05d", i), now.Add(3*time.Hour))
		if i == 100 {
			assert.Equal(t, "x ***", r.String("x token-one"), "unexpired learned value still masked")
		}
	}
	now = now.Add(3 * time.Hour)
	r.Learn("token-two", now.Add(2*time.Hour))
	assert.Equal(t, "x token-one", r.String("x token-one"), "expired values rotate out")
	assert.Equal(t, "x ***", r.String("x token-two"))
}

func TestSecretNeverPrints(t *testing.T) {
	type holder struct {
		ID  string
		Key Secret
	}
	h := holder{ID: "app", Key: Secret("sk-live-123456")}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, h), "sk-live", verb)
		assert.NotContains(t, fmt.Sprintf(verb, &h), "sk-live", verb)
	}
	assert.Equal(t, "sk-live-123456", string(h.Key))
}

func TestSessionFieldsInBodiesAreMasked(t *testing.T) {
	r := New()
	got := r.String(`{"KDSVCSessionId":"8f2c1e","IsSuccessByAPI":true,"Context":{"SessionId":"abc-123"}} kdservicesessionid=77aa`)
	assert.NotContains(t, got, "8f2c1e")
	assert.NotContains(t, got, "abc-123")
	assert.NotContains(t, got, "77aa")
	assert.Contains(t, got, `"IsSuccessByAPI":true`)
}

func BenchmarkLearn(b *testing.B) {
	r := New("construction-secret")
	for i := 0; i < b.N; i++ {
		r.Learn(fmt.Sprintf("token-%09d", i%4000), time.Now().Add(2*time.Hour))
	}
}

func TestStreamTicketsAreMasked(t *testing.T) {
	r := New()
	got := r.String(`{"endpoint":"wss://x/connect","ticket":"c2b1-77aa"} wss://x/connect?ticket=c2b1-77aa`)
	assert.NotContains(t, got, "c2b1-77aa")
	assert.Contains(t, got, "wss://x/connect")
	assert.True(t, IsSecretKey("ticket"))
}
