#!/usr/bin/env bash
# Runs every fuzz target in the module for a given time each (default 30s).
# Usage: scripts/fuzz.sh [duration]   e.g. scripts/fuzz.sh 2m
# New crashers land in each package's testdata/fuzz/ and then run in go test.
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-30s}"
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "== $pkg $target ($dur)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$dur" "$pkg"
  done
done
