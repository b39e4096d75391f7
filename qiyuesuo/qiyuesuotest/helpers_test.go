package qiyuesuotest_test

import (
	"net/http"
	"net/http/httptest"
)

func newHTTPServer(h http.Handler) *httptest.Server { return httptest.NewServer(h) }
