#!/usr/bin/env bash
# How long forming accountability pairs takes (release build) for cohorts of 10 to 1,000
# people with topics, time zones, reporting lines and former partners: p50 and max of ten runs,
# and how many were left waiting. Output is also written to bench/partners-results.txt.
#
# Not part of ./test.sh: tests never assert on time. Record results in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/root/.cache/guildhall/target}

echo "==> building the benchmark (release)"
cargo build --release --quiet -p guildhall-domain --example pairing_bench
{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    "$CARGO_TARGET_DIR/release/examples/pairing_bench"
} | tee bench/partners-results.txt
