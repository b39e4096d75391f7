package qiyuesuo

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocIndexListsEveryMethod: doc.go's index names every method of
// *Client, so pkg.go.dev stays navigable as endpoints are added.
func TestDocIndexListsEveryMethod(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	typ := reflect.TypeOf(&Client{})
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if name == "String" || name == "GoString" || name == "Format" {
			continue // fmt's methods, documented on the type
		}
		assert.True(t, strings.Contains(string(doc), "[Client."+name+"]"), "doc.go does not mention [Client.%s]", name)
	}
}
