package kingdee_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/kingdee"
)

// doc.go's index names every method of Client.
func TestDocIndexNamesEveryMethod(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	text := strings.Join(strings.Fields(strings.ReplaceAll(string(doc), "//", "")), " ")
	typ := reflect.TypeOf(&kingdee.Client{})
	for i := 0; i < typ.NumMethod(); i++ {
		name := typ.Method(i).Name
		switch name {
		case "String", "GoString", "Format":
			continue
		}
		assert.Contains(t, text, "[Client."+name+"]", "doc.go's index misses %s", name)
	}
}
