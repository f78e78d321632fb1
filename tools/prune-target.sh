#!/usr/bin/env bash
# Frees the disk a shared cargo target dir fills over sessions: incremental data, and every test
# or binary build but the newest two of each name (each test binary embeds the 22 MB image model,
# and every change of a crate leaves the old ones behind).
# Usage: tools/prune-target.sh [target-dir]   (default: $CARGO_TARGET_DIR or the shared cache)
set -euo pipefail
target=${1:-${CARGO_TARGET_DIR:-/root/.cache/guildhall/target}}
[ -d "$target/debug" ] || exit 0
rm -rf "$target/debug/incremental"
deps="$target/debug/deps"
[ -d "$deps" ] || exit 0
before=$(du -sm "$deps" | cut -f1)
# Executables are named <name>-<16 hex digits>; group by name, newest first, keep two.
find "$deps" -maxdepth 1 -type f -executable -regextype posix-extended -regex '.*-[0-9a-f]{16}' \
    -printf '%T@ %p\n' |
  sort -rn |
  awk '{ path = $2; name = path; sub(/-[0-9a-f]+$/, "", name); if (++seen[name] > 2) print path }' |
  xargs -r rm -f
after=$(du -sm "$deps" | cut -f1)
echo "prune-target: $target/debug/deps $before MB → $after MB"
