#!/usr/bin/env bash
# Runs every benchmark with -count 5 and prints a benchstat table.
# Usage: scripts/bench.sh [go test -bench regexp]   (default: .)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
pattern="${1:-.}"
out="$(mktemp -t hetong-bench.XXXXXX)"
echo "machine: $(uname -sm), $(nproc) cores, $(go version)"
go test -run '^$' -bench "$pattern" -benchmem -count 5 ./... | tee "$out" | grep -E '^(Benchmark|ok|FAIL)' >&2
if ! command -v benchstat >/dev/null 2>&1; then
  go install golang.org/x/perf/cmd/benchstat@latest
fi
benchstat "$out"
echo "raw output: $out"
