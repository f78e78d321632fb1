#!/usr/bin/env bash
# Print a TCP port on 127.0.0.1 that nothing listens on right now.
# Asks the kernel (python3) when it can, otherwise probes random ports with bash's /dev/tcp.
set -euo pipefail

if command -v python3 >/dev/null 2>&1; then
    python3 - <<'PY' && exit 0
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
fi

for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 40000 ))
    # A refused connection means nobody listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "$port"
        exit 0
    fi
done
echo "free-port.sh: found no free port" >&2
exit 1
