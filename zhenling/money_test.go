package zhenling

import "github.com/hetong-go/hetong"

// amt parses a test amount; a bad literal is a bug in the test.
func amt(s string) *hetong.Amount {
	a, err := hetong.ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return &a
}
