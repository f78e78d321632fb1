#!/usr/bin/env bash
# How long the content checks take (release build) and how right they are: the held-out part of
# the corpus (crates/domain/tests/corpus/test.tsv) with issue 12's figures, the text check's
# p50/p99/max over it, and the image check over the fixture images (mean/p50/max), plus the image
# model's load time and peak memory. Targets: text p50 <= 1 ms and p99 <= 30 ms, image < 150 ms. Output is also written to bench/moderation-results.txt.
#
# Not part of ./test.sh: tests never assert on time. Record results in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/root/.cache/guildhall/target}

echo "==> building the benchmark (release)"
cargo build --release --quiet -p guildhall-app --example moderation_bench
# The demo's texts (string literals of crates/server/src/demo, one per line) for the share of
# sentences the sentence model reads on ordinary community text.
demo_texts=$(mktemp)
trap 'rm -f "$demo_texts"' EXIT
python3 - "$demo_texts" <<'PY'
import re, sys, pathlib
texts = []
for path in sorted(pathlib.Path("crates/server/src/demo").glob("*.rs")):
    if path.name == "moderation.rs":  # the demo's deliberately rude examples
        continue
    for line in path.read_text().splitlines():
        for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', line):
            if len(m.group(1)) >= 12 and " " in m.group(1) and "{" not in m.group(1):
                texts.append(m.group(1).replace("\\n", " "))
pathlib.Path(sys.argv[1]).write_text("\n".join(texts) + "\n")
PY
{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    "$CARGO_TARGET_DIR/release/examples/moderation_bench" "$demo_texts"
} | tee bench/moderation-results.txt
