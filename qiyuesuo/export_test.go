package qiyuesuo

import (
	"testing"

	"github.com/hetong-go/hetong/qiyuesuo/internal/gen"
)

// CallEveryEndpoint calls every endpoint method of c with a request that
// passes validation, for the tests of package qiyuesuo_test (which may use
// the fake). It skips when the spec is absent.
func CallEveryEndpoint(t *testing.T, c *Client) map[string]error {
	s, err := gen.ParseSpec(readSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	return callEveryEndpoint(t, s, c, nil, nil)
}
