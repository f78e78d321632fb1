#!/usr/bin/env bash
# HTTP load figures for the release build: requests/s, p50/p99 latency and memory, on SQLite (or on
# PostgreSQL with BENCH_DATABASE_URL=postgres://…). Loopback only; each run is bounded in time.
#
#   bench/http.sh                 10 s per endpoint, 2 threads, 32 connections
#   BENCH_SECONDS=30 BENCH_CONNECTIONS=64 bench/http.sh
#
# Not part of ./test.sh: tests never assert on time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/guildhall/target}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
echo "==> building the release binary"
cargo build --release --quiet
BIN=$CARGO_TARGET_DIR/release/guildhall

WORK=$(mktemp -d)
PID=
cleanup() {
    [[ -n "$PID" ]] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

PORT=$(tools/free-port.sh)
export GUILDHALL_DATA_DIR=$WORK/data GUILDHALL_SERVER__LISTEN=127.0.0.1:$PORT \
    GUILDHALL_METRICS__ENABLED=false GUILDHALL_LOG__LEVEL=warn
[[ -n "${BENCH_DATABASE_URL:-}" ]] && export GUILDHALL_DATABASE__URL=$BENCH_DATABASE_URL
GUILDHALL_ADMIN_PASSWORD=correct-horse-battery-9 "$BIN" admin create \
    --email bench@example.org --given-name Bench --family-name Marker >/dev/null
TOKEN=$("$BIN" token create --email bench@example.org --name bench --scopes read)

"$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done

rss() { awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$PID/status"; }
echo "==> idle memory: $(rss)"
printf '%-34s %12s %10s %10s\n' endpoint requests/s p50 p99
run() {
    local label=$1 path=$2
    shift 2
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$@" "http://127.0.0.1:$PORT$path")
    printf '%-34s %12s %10s %10s\n' "$label" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
        "$(awk '$1 == "99%" {print $2}' <<<"$out")"
}
run "GET /healthz" /healthz
run "GET /signin (page)" /signin
run "GET /api/v1/me (token lookup)" /api/v1/me -H "Authorization: Bearer $TOKEN"
echo "==> memory after load: $(rss)"
