package zhenling_test

import (
	"io"
	"net/http"
	"strings"

	"github.com/hetong-go/hetong"
)

// amt parses a test amount; a bad literal is a bug in the test.
func amt(s string) *hetong.Amount {
	a, err := hetong.ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return &a
}

func jsonResponse(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(body)), Body: io.NopCloser(strings.NewReader(body))}
}
