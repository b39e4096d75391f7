package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	assert.ErrorContains(t, run("", "."), "-spec is required")
	dir := t.TempDir()
	assert.Error(t, run(filepath.Join(dir, "missing.json"), dir))
	spec := filepath.Join(dir, "api.json")
	require.NoError(t, os.WriteFile(spec, []byte(`{"platform":"qiyuesuo","version":"v2",
		"endpoints":[{"name":"HealthCheck","method":"GET","path":"/v2/checkhealth","body":"none"}],"objects":{}}`), 0o600))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "qiyuesuotest"), 0o755))
	require.NoError(t, run(spec, dir))
	src, err := os.ReadFile(filepath.Join(dir, "zz_generated_endpoints.go"))
	require.NoError(t, err)
	assert.Contains(t, string(src), "func (c *Client) HealthCheck(ctx context.Context)")
}
