#!/usr/bin/env bash
# Live updates at scale: opens 10,000 Server-Sent Event streams on one thread page (one member,
# as many tabs), posts a reply and measures how long every stream takes to hear of it, and the
# server's memory with the streams open. Release build, loopback only, bounded in time.
#
#   bench/live.sh                          10,000 streams on SQLite
#   BENCH_STREAMS=2000 bench/live.sh        fewer
#   BENCH_DATABASE_URL=postgres://… bench/live.sh   on PostgreSQL (empty database)
#
# Not part of ./test.sh: tests never assert on time. Record results in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/guildhall/target}
STREAMS=${BENCH_STREAMS:-10000}
# Every stream is a socket in the server and one in the client (each its own process).
ulimit -n $((STREAMS + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"

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
"$BIN" demo --scale --members 1000 --spaces 20 --posts 10000 2>/dev/null
TOKEN=$("$BIN" token create --email member7@scale.example --name bench --scopes read,write)
"$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
FEED=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/feed/home")
THREAD=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["threads"][0]["id"])' <<<"$FEED")
python3 bench/live_streams.py 127.0.0.1 "$PORT" "$TOKEN" "$THREAD" "$STREAMS" "$PID"
