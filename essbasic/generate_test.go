package essbasic

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hetong-go/hetong/essbasic/internal/gen"
)

// The spec lives beside the repository, not in it.
const (
	specPath   = "../../shared/platforms/essbasic/api.json"
	errorsPath = "../../shared/platforms/essbasic/errors.tsv"
)

// TestGeneratedCodeIsCurrent re-runs the generator over the spec and
// checks that the checked-in files are exactly what it produces, twice
// (determinism).
func TestGeneratedCodeIsCurrent(t *testing.T) {
	spec, err := os.ReadFile(specPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("spec %s not present (it lives outside the repository); skipping the regeneration check", specPath)
	}
	require.NoError(t, err)
	codes, err := os.ReadFile(errorsPath)
	require.NoError(t, err)

	first, err := gen.Generate(spec, codes)
	require.NoError(t, err)
	second, err := gen.Generate(spec, codes)
	require.NoError(t, err)
	assert.Equal(t, first, second, "the generator is not deterministic")

	onDisk, err := filepath.Glob("zz_generated_*.go")
	require.NoError(t, err)
	assert.Len(t, onDisk, len(first), "stale or missing generated files")
	for name, want := range first {
		got, err := os.ReadFile(name)
		require.NoError(t, err, "run go generate ./essbasic")
		assert.True(t, bytes.Equal(want, got), "%s differs from the generator's output; run go generate ./essbasic", name)
	}
}
