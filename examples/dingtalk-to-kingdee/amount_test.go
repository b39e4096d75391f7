package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAmountsPassThroughUntouched: the amount DingTalk's form carries
// reaches the Kingdee bill with exactly its digits — never through float64.
func TestAmountsPassThroughUntouched(t *testing.T) {
	dir := t.TempDir()
	mapping := filepath.Join(dir, "m.json")
	require.NoError(t, os.WriteFile(mapping, []byte(`{"sourceField":"F_SRC","entry":{"报销金额(元)":"F_AMT:money"}}`), 0o644))
	var out, progress bytes.Buffer
	args := []string{"-state", filepath.Join(dir, "erp.json"), "-seed", "3", "-mapping", mapping}
	require.NoError(t, run(context.Background(), args, &out, &progress))
	b, err := os.ReadFile(filepath.Join(dir, "erp.json"))
	require.NoError(t, err)
	amounts := regexp.MustCompile(`"F_AMT":([^,}]+)`).FindAllStringSubmatch(string(b), -1)
	require.NotEmpty(t, amounts)
	for _, m := range amounts {
		assert.Regexp(t, `^-?\d+\.\d\d$`, m[1], "two decimals as the form gave them, as a JSON number")
	}
	t.Logf("amounts on the bills: %v", amounts)
}
