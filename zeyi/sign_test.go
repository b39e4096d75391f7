package zeyi

import (
	"bufio"
	"context"
	"net"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fact-sheet vector (zeyi.md §3), cross-checked there with openssl.
const (
	vecAppKey    = "testappkey000000000000000000000a"
	vecAppSecret = "testappsecret000000000000000000b"
	vecTimestamp = "1643251533306"
	vecNonce     = "gdst9t"
	vecData      = `{"code":"JR202510110000001","auditType":"JINRUN_VEHICLE_FEE_AUDIT"}`
	vecSign      = "bdebbd788e8ac1d58c5b474ba8ddcfcd"
)

func TestSignVector(t *testing.T) {
	assert.Equal(t, vecSign, Sign(vecAppKey, vecAppSecret, vecTimestamp, vecNonce, []byte(vecData)))
	// An empty body signs as data = "", which is the 2021 SDK's formula.
	assert.Equal(t, Sign(vecAppKey, vecAppSecret, vecTimestamp, vecNonce, nil),
		Sign(vecAppKey+vecAppSecret, "", vecTimestamp+vecNonce, "", []byte{}))
}

func TestTimestampIsUnixMillis(t *testing.T) {
	assert.Equal(t, vecTimestamp, Timestamp(time.UnixMilli(1643251533306)))
}

func TestNonceAlphabet(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9]{6}$`)
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		n, err := NewNonce()
		require.NoError(t, err)
		require.Regexp(t, re, n)
		seen[n] = true
	}
	assert.Greater(t, len(seen), 190, "nonces must be random")
}

// TestHeaderCaseOnTheWire reads the raw request bytes from a TCP socket:
// the doc's header names must arrive in their exact case, not Go's
// canonical "Appkey".
func TestHeaderCaseOnTheWire(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	lines := make(chan []string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			lines <- nil
			return
		}
		defer conn.Close()
		tp := textproto.NewReader(bufio.NewReader(conn))
		var got []string
		for {
			l, err := tp.ReadLine()
			if err != nil || l == "" {
				break
			}
			got = append(got, l)
		}
		body := `{"success":true,"businessException":false,"errorCode":null,"message":null,"result":null}`
		_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
			strconv.Itoa(len(body)) + "\r\n\r\n" + body))
		lines <- got
	}()
	c, err := NewClient(Config{AppKey: vecAppKey, AppSecret: vecAppSecret}, WithBaseURL("http://"+ln.Addr().String()+"/tms-service-api"))
	require.NoError(t, err)
	_, err = c.CancelAudit(context.Background(), &CancelAuditRequest{Code: "C1", Type: "T"})
	require.NoError(t, err)
	got := <-lines
	require.NotEmpty(t, got)
	assert.Equal(t, "POST /tms-service-api/audit/cancel HTTP/1.1", got[0])
	names := map[string]bool{}
	for _, l := range got[1:] {
		name, _, _ := strings.Cut(l, ":")
		names[name] = true
	}
	for _, want := range []string{"appKey", "timestamp", "nonce", "sign", "Content-Type"} {
		assert.True(t, names[want], "header %q missing in exact case; got %v", want, got)
	}
	assert.False(t, names["Appkey"], "canonicalised header sent")
}
