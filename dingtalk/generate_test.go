package dingtalk_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/dingtalk/internal/gen"
)

// specPath is the spec beside the repository, not in it.
const specPath = "../../shared/platforms/dingtalk/api.json"

// readSpec returns api.json, skipping the test when it is absent.
func readSpec(t *testing.T) []byte {
	t.Helper()
	spec, err := os.ReadFile(specPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("spec %s not present (it lives outside the repository); skipping", specPath)
	}
	require.NoError(t, err)
	return spec
}

// TestGeneratedCodeIsCurrent re-runs the generator over the spec and
// checks that the checked-in files and doc.go's index are exactly what it
// produces, twice (determinism).
func TestGeneratedCodeIsCurrent(t *testing.T) {
	spec := readSpec(t)
	first, err := gen.Generate(spec)
	require.NoError(t, err)
	second, err := gen.Generate(spec)
	require.NoError(t, err)
	assert.Equal(t, first, second, "the generator is not deterministic")

	onDisk, err := filepath.Glob("zz_generated_*.go")
	require.NoError(t, err)
	fake, err := filepath.Glob("dingtalktest/zz_generated_*.go")
	require.NoError(t, err)
	assert.Len(t, append(onDisk, fake...), len(first), "stale or missing generated files")
	for name, want := range first {
		got, err := os.ReadFile(name)
		require.NoError(t, err, "run go generate ./dingtalk")
		assert.True(t, bytes.Equal(want, got), "%s differs from the generator's output; run go generate ./dingtalk", name)
	}

	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	index, err := gen.Index(spec)
	require.NoError(t, err)
	want, err := gen.ReplaceIndex(doc, index)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(doc), "doc.go's index is stale; run go generate ./dingtalk")
}
