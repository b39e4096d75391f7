package qiyuesuo

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/qiyuesuo/internal/gen"
)

// specPath is the platform's spec; it lives beside the repository, not in it.
const specPath = "../../shared/platforms/qiyuesuo/api.json"

// readSpec returns the spec, or skips the test when it is absent.
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
// checks that the checked-in files are exactly what it produces, twice
// (determinism).
func TestGeneratedCodeIsCurrent(t *testing.T) {
	spec := readSpec(t)
	first, err := gen.Generate(spec)
	require.NoError(t, err)
	second, err := gen.Generate(spec)
	require.NoError(t, err)
	assert.Equal(t, first, second, "the generator is not deterministic")

	onDisk, err := filepath.Glob("zz_generated_*.go")
	require.NoError(t, err)
	inFake, err := filepath.Glob("qiyuesuotest/zz_generated_*.go")
	require.NoError(t, err)
	assert.Len(t, append(onDisk, inFake...), len(first), "stale or missing generated files")
	for name, want := range first {
		got, err := os.ReadFile(filepath.FromSlash(name))
		require.NoError(t, err, "run go generate ./qiyuesuo")
		assert.True(t, bytes.Equal(want, got), "%s differs from the generator's output; run go generate ./qiyuesuo", name)
	}
}
