package cli

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWidth(t *testing.T) {
	assert.Equal(t, 4, Width("审批"))
	assert.Equal(t, 8, Width("kingdee "))
	assert.Equal(t, 12, Width("付款申请单 x"))
	assert.Equal(t, 4, Width("（）"))
}

func TestTableAlignsChineseColumns(t *testing.T) {
	var b bytes.Buffer
	_ = Table(&b, []string{"审批编号", "STATE"}, [][]string{{"202400000001", "created"}, {"甲", "skipped"}})
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	col := -1
	for _, l := range lines {
		i := strings.Index(l, "created")
		if i < 0 {
			i = strings.Index(l, "skipped")
		}
		if i < 0 {
			i = strings.Index(l, "STATE")
		}
		w := Width(l[:i])
		if col >= 0 {
			assert.Equal(t, col, w, "column start in display cells: %q", l)
		}
		col = w
	}
}

func TestCheckLiveNamesEveryMissingVariable(t *testing.T) {
	t.Setenv("HETONG_TEST_SET", "x")
	t.Setenv("HETONG_TEST_BLANK", "  ")
	err := CheckLive([]Var{{Name: "HETONG_TEST_SET"}, {Name: "HETONG_TEST_BLANK"}, {Name: "HETONG_TEST_UNSET"}, {Name: "HETONG_TEST_OPT", Optional: true}})
	assert.EqualError(t, err, "-live needs these environment variables: HETONG_TEST_BLANK, HETONG_TEST_UNSET")
	assert.NoError(t, CheckLive([]Var{{Name: "HETONG_TEST_SET"}}))
}

func TestUsageListsVariables(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Bool("live", false, "use real platforms")
	var b bytes.Buffer
	Usage(fs, &b, "usage: x [-live]", []Var{{Name: "APP_KEY", Help: "the app key"}})()
	assert.Contains(t, b.String(), "-live")
	assert.Contains(t, b.String(), "APP_KEY")
	assert.Contains(t, b.String(), "the app key")
}
