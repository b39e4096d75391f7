package essbasic

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hetong-go/hetong/internal/redact"
	"github.com/hetong-go/hetong/internal/sign"
)

// Service is the Tencent Cloud service name in the TC3 credential scope
// of every essbasic request, whichever host (API, test or file) it goes to.
const Service = "essbasic"

// TC3 signing constants.
const (
	tc3Algorithm     = "TC3-HMAC-SHA256"
	tc3SignedHeaders = "content-type;host"
	jsonContentType  = "application/json"
)

// TC3Authorization returns the Authorization header of a POST to "/" of
// host carrying body, signed with TC3-HMAC-SHA256 for service (essbasic
// requests use [Service]) at the given Unix time (its UTC date is the
// scope's date). contentType must be byte-identical to the Content-Type
// header sent.
//
// It is the function the client signs every attempt with, exported so that
// a signature platform support asks about can be reproduced (fix the
// client's time with [WithClock]) and fakes and proxies can verify requests
// the way the platform does.
func TC3Authorization(secretID, secretKey, service, host, contentType string, timestamp int64, body []byte) string {
	date := tc3Date(timestamp)
	return tc3Authorization(secretID, service, date, tc3SigningKey(secretKey, service, date), host, contentType, timestamp, sign.SHA256Hex(body))
}

// tc3Date is the scope's date: UTC, never local time.
func tc3Date(timestamp int64) string { return time.Unix(timestamp, 0).UTC().Format("2006-01-02") }

// tc3SigningKey derives the day's signing key from the secret key.
func tc3SigningKey(secretKey, service, date string) []byte {
	kDate := sign.HMACSHA256([]byte("TC3"+secretKey), []byte(date))
	kService := sign.HMACSHA256(kDate, []byte(service))
	return sign.HMACSHA256(kService, []byte("tc3_request"))
}

// tc3Authorization signs with the day's key over the payload's SHA-256
// hex, which the caller computes from the exact bytes it sends.
func tc3Authorization(secretID, service, date string, kSigning []byte, host, contentType string, timestamp int64, payloadHash string) string {
	scope := date + "/" + service + "/tc3_request"
	sts := tc3StringToSign(host, contentType, timestamp, scope, payloadHash)
	return tc3Algorithm + " Credential=" + secretID + "/" + scope + ", SignedHeaders=" + tc3SignedHeaders +
		", Signature=" + sign.HMACSHA256Hex(kSigning, []byte(sts))
}

// signingKeys caches the derived key of the current day, so a client
// computes it once a day instead of three HMACs per request.
type signingKeys struct {
	secretKey redact.Secret
	cur       atomic.Pointer[dayKey]
}

// Format keeps the key out of any print of a value that holds it.
func (k *signingKeys) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("signingKeys{***}")) }

type dayKey struct {
	day  int64 // days since 1970-01-01 UTC
	date string
	key  []byte
}

// forTime returns the scope date of a Unix time and that day's key.
func (k *signingKeys) forTime(ts int64) (date string, key []byte) {
	day := ts / 86400
	if ts%86400 < 0 {
		day--
	}
	if d := k.cur.Load(); d != nil && d.day == day {
		return d.date, d.key
	}
	date = tc3Date(ts)
	d := &dayKey{day: day, date: date, key: tc3SigningKey(string(k.secretKey), Service, date)}
	k.cur.Store(d)
	return d.date, d.key
}

// tc3CanonicalRequest is the canonical request of a POST to "/" with an
// empty query and the two signed headers.
func tc3CanonicalRequest(host, contentType, payloadHash string) string {
	return strings.Join([]string{
		"POST", "/", "",
		"content-type:" + contentType, "host:" + host, "",
		tc3SignedHeaders, payloadHash,
	}, "\n")
}

func tc3StringToSign(host, contentType string, timestamp int64, scope, payloadHash string) string {
	return tc3Algorithm + "\n" + strconv.FormatInt(timestamp, 10) + "\n" + scope + "\n" +
		sign.SHA256Hex([]byte(tc3CanonicalRequest(host, contentType, payloadHash)))
}
