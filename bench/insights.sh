#!/usr/bin/env bash
# Insights and rewards at scale: generates the community (default 100,000 members, 2,000 spaces, 1,000,000
# posts over a year, as bench/community.sh does), then times the dashboards (cold and warm), a
# facilitator's care queue and monitoring feed, and the daily work (members gone quiet, the
# "listen more" round) with crates/app/examples/insights_bench.rs, and the rewards pages of the
# busiest member with rewards_bench.rs. Targets (issue 13): dashboards
# and the care queue p99 <= 50 ms; the daily signal computation <= 10 s; (issue 14) profile and
# leaderboard pages p99 <= 20 ms, and the idea boards and pages.
#
#   bench/insights.sh                                   SQLite, full scale
#   BENCH_DATABASE_URL=postgres://… bench/insights.sh   PostgreSQL (an empty database)
#   BENCH_POSTS=100000 BENCH_MEMBERS=10000 BENCH_SPACES=200 bench/insights.sh   quicker
#   BENCH_ONLY_REWARDS=1 bench/insights.sh              only the rewards and idea pages
#
# Not part of ./test.sh: tests never assert on time. Record results in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/guildhall/target}
MEMBERS=${BENCH_MEMBERS:-100000}
SPACES=${BENCH_SPACES:-2000}
POSTS=${BENCH_POSTS:-1000000}

echo "==> building (release)"
cargo build --release --quiet
cargo build --release --quiet -p guildhall-app --example insights_bench --example rewards_bench
BIN=$CARGO_TARGET_DIR/release/guildhall

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM
export GUILDHALL_DATA_DIR=$WORK/data GUILDHALL_LOG__LEVEL=warn
[[ -n "${BENCH_DATABASE_URL:-}" ]] && export GUILDHALL_DATABASE__URL=$BENCH_DATABASE_URL
echo "==> generating $MEMBERS members, $SPACES spaces, $POSTS posts"
/usr/bin/time -f "==> generated in %e s" \
    "$BIN" demo --scale --members "$MEMBERS" --spaces "$SPACES" --posts "$POSTS" 2> >(tr '\r' '\n' | grep -v '^[A-Z][a-z]*: ' >&2)
{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $([[ -n "${BENCH_DATABASE_URL:-}" ]] && echo PostgreSQL || echo SQLite), $MEMBERS members, $POSTS posts"
    [[ -n "${BENCH_ONLY_REWARDS:-}" ]] || "$CARGO_TARGET_DIR/release/examples/insights_bench" "${BENCH_DATABASE_URL:-$WORK/data}"
    "$CARGO_TARGET_DIR/release/examples/rewards_bench" "${BENCH_DATABASE_URL:-$WORK/data}"
} | tee bench/insights-results.txt
