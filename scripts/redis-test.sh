#!/usr/bin/env bash
# Runs the tests of the two Redis modules, redisstore/ and
# examples/replicas/, against a real redis-server. Installs redis-server
# when missing (Debian/Ubuntu, as root), starts a private one on a free
# 127.0.0.1 port without persistence, exports REDIS_URL, runs go vet and
# go test -race in each module, and stops the server whatever happens.
# Extra arguments go to go test (e.g. -v, -run X). With REDIS_URL already
# set, that Redis is used and nothing is started.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ -z "${REDIS_URL:-}" ]]; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "redis-test: installing redis-server" >&2
    apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
  fi
  dir="$(mktemp -d -t hetong-redis.XXXXXX)"
  pid=""
  cleanup() {
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$dir"
  }
  trap cleanup EXIT
  for attempt in 1 2 3 4 5; do
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
      || echo $((20000 + RANDOM % 20000)))"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
      --dir "$dir" --logfile "$dir/redis.log" --daemonize no &
    pid=$!
    for _ in $(seq 50); do
      if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then break 2; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""
    echo "redis-test: redis-server did not start on port $port (attempt $attempt)" >&2
    cat "$dir/redis.log" >&2 || true
  done
  [[ -n "$pid" ]] || { echo "redis-test: could not start redis-server" >&2; exit 1; }
  export REDIS_URL="redis://127.0.0.1:$port/0"
  echo "redis-test: redis-server $(redis-server --version | awk '{print $3}') on $REDIS_URL" >&2
fi

for module in redisstore examples/replicas; do
  echo "redis-test: $module" >&2
  (cd "$root/$module" && go vet ./... && go test -race -count=1 "$@" ./...)
done
