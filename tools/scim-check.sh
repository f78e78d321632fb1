#!/usr/bin/env bash
# Runs PyPI scim2-tester (a real SCIM client and checker) against a running Guildhall:
#   BASE_URL=http://127.0.0.1:8080 TOKEN=ghscim_… tools/scim-check.sh
# Prints every check and a summary; exits non-zero when a check fails, except the checks for
# features RFC 7643/7644 mark optional that Guildhall documents as unsupported (listed below).
set -euo pipefail

: "${BASE_URL:?set BASE_URL, e.g. http://127.0.0.1:8080}"
: "${TOKEN:?set TOKEN to a directory token (guildhall scim token create --name checker)}"
VENV="${GUILDHALL_VENV:-$HOME/.cache/guildhall/venv}"
SCIM2_TESTER_VERSION="0.5.2"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import scim2_tester, httpx2" 2>/dev/null \
    || [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("scim2-tester"))')" != "$SCIM2_TESTER_VERSION" ]; then
    "$VENV/bin/pip" install --quiet "scim2-tester[httpx2]==$SCIM2_TESTER_VERSION"
fi

BASE_URL="$BASE_URL" TOKEN="$TOKEN" "$VENV/bin/python" - <<'PY'
import os
import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

# Optional in the RFCs and documented as unsupported (ServiceProviderConfig says so):
# sorting (sortBy/sortOrder), ETags/versions, bulk, changePassword.
# A check whose title names one of these is reported but does not fail the run.
OPTIONAL_UNSUPPORTED = ("sort", "etag", "bulk", "change_password")

base = os.environ["BASE_URL"].rstrip("/") + "/scim/v2"
client = SyncSCIMClient(
    httpx2.Client(base_url=base, headers={"Authorization": "Bearer " + os.environ["TOKEN"]})
)
results = check_server(client)
counts = {}
failed = []
for result in results:
    status = result.status.name
    counts[status] = counts.get(status, 0) + 1
    kind = getattr(result, "resource_type", None) or "-"
    line = f"{status:10} {kind:6} {result.title}"
    if result.status == Status.DEVIATION:
        line += f"  (deviation from a SHOULD: {result.reason})"
    if result.status in (Status.ERROR, Status.CRITICAL):
        optional = any(word in result.title.lower() for word in OPTIONAL_UNSUPPORTED)
        line += f"  ({'optional, unsupported' if optional else 'FAIL'}: {result.reason})"
        if not optional:
            failed.append(result)
    print(line)
print()
print("summary: " + ", ".join(f"{k.lower()} {v}" for k, v in sorted(counts.items())))
print(f"failed (not optional): {len(failed)}")
sys.exit(1 if failed else 0)
PY
