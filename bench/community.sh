#!/usr/bin/env bash
# The community at scale: generates 100,000 members, 2,000 spaces and 1,000,000 posts (release
# build), starts the server and drives it with wrk at 64 connections: thread page, space feed,
# home feed, search, creating posts, and /healthz as the ceiling. Prints requests/s, p50/p99 and
# the ratio to /healthz, and the server's memory. Loopback only; every run is bounded in time.
#
#   bench/community.sh                           SQLite, full scale, 10 s per endpoint
#   BENCH_DATABASE_URL=postgres://… bench/community.sh        the same on PostgreSQL (empty database)
#   BENCH_POSTS=100000 BENCH_MEMBERS=10000 BENCH_SPACES=200 bench/community.sh   a quicker run
#
# Not part of ./test.sh: tests never assert on time. Record results in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/guildhall/target}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
MEMBERS=${BENCH_MEMBERS:-100000}
SPACES=${BENCH_SPACES:-2000}
POSTS=${BENCH_POSTS:-1000000}

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
echo "==> generating $MEMBERS members, $SPACES spaces, $POSTS posts"
/usr/bin/time -f "==> generated in %e s (peak %M KiB)" \
    "$BIN" demo --scale --members "$MEMBERS" --spaces "$SPACES" --posts "$POSTS" 2> >(tr '\r' '\n' | grep -v '^[A-Z][a-z]*: ' >&2)
TOKEN=$("$BIN" token create --email member7@scale.example --name bench --scopes read,write)

"$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done

# Targets from what member7 sees: a space of theirs and a thread in it.
FEED=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/feed/home")
read -r THREAD SPACE < <(python3 -c 'import json,sys; t=json.load(sys.stdin)["threads"][5]; print(t["id"], t["space_slug"])' <<<"$FEED")
echo "==> thread $THREAD in space $SPACE; idle memory $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$PID/status")"

cat >"$WORK/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"body": "Benchmark reply: what worked for me was starting small."}'
EOF

HEALTHZ_RPS=
printf '%-28s %12s %10s %10s %10s\n' endpoint requests/s p50 p99 "of healthz"
run() {
    local label=$1 path=$2
    shift 2
    local out rps
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $TOKEN" "$@" "http://127.0.0.1:$PORT$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    [[ -z "$HEALTHZ_RPS" ]] && HEALTHZ_RPS=$rps
    printf '%-28s %12s %10s %10s %9.0f%%\n' "$label" "$rps" \
        "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(python3 -c "print(100 * $rps / $HEALTHZ_RPS)")"
    if grep -q "Non-2xx" <<<"$out"; then echo "    $(grep Non-2xx <<<"$out")"; fi
}
run "GET /healthz" /healthz
run "thread page" "/t/$THREAD"
run "space feed" "/s/$SPACE"
run "home feed" "/"
run "search (two words)" "/search?q=feedback+colleague"
# With the scale text's Zipf vocabulary, "people" (rank 23) is in about 10% of the posts.
run "search (one word, ~10%)" "/search?q=people"
run "create post (API)" "/api/v1/threads/$THREAD/posts" -s "$WORK/post.lua"
echo "==> memory after load: $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$PID/status")"
