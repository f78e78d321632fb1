#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests: fresh initdb in a temp dir, a free port on 127.0.0.1,
# its unix socket inside the temp dir, trust auth, durability off for speed.
#
#   tools/pg-test-cluster.sh start [DIR]   create and start; prints shell assignments to eval:
#                                           PGTEST_DIR=… PGPORT=… PGHOST=127.0.0.1 PGUSER=postgres
#                                           PGTEST_URL=postgres://postgres@127.0.0.1:PORT/postgres
#   tools/pg-test-cluster.sh stop DIR      stop the cluster and delete DIR
#   tools/pg-test-cluster.sh status DIR    exit 0 when the cluster in DIR is running
#
# Example:  eval "$(tools/pg-test-cluster.sh start)"; psql -h "$PGHOST" -p "$PGPORT" -U postgres -c 'select 1'
#           tools/pg-test-cluster.sh stop "$PGTEST_DIR"
#
# PostgreSQL refuses to run as root, so as root the server runs as the Debian `postgres` user
# (created when missing); as any other user it runs as that user. Needs the Debian `postgresql`
# package (/usr/lib/postgresql/*/bin) or PG_BINDIR pointing at a bin dir with initdb and pg_ctl.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        [[ -x "$PG_BINDIR/initdb" ]] || die "PG_BINDIR=$PG_BINDIR has no initdb"
        echo "$PG_BINDIR"
        return
    fi
    local best=""
    # Highest installed major version wins.
    local d
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && best=$d
    done
    [[ -n "$best" ]] || die "no PostgreSQL server found (apt-get install postgresql)"
    echo "$best"
}

# Run a command as the cluster owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

ensure_postgres_user() {
    [[ $(id -u) -eq 0 ]] || return 0
    if ! id -u postgres >/dev/null 2>&1; then
        useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
            --shell /bin/bash --comment "PostgreSQL administrator" postgres
    fi
}

cmd_start() {
    local dir=${1:-}
    local bindir
    bindir=$(find_bindir)
    ensure_postgres_user
    if [[ -z "$dir" ]]; then
        # /tmp rather than $TMPDIR: the postgres user must be able to reach the directory.
        dir=$(mktemp -d "${PG_TEST_TMPDIR:-/tmp}/guildhall-pg.XXXXXX")
    else
        mkdir -p "$dir"
    fi
    dir=$(cd "$dir" && pwd)
    [[ ! -e "$dir/data" ]] || die "$dir/data already exists"
    mkdir -p "$dir/sock"
    if [[ $(id -u) -eq 0 ]]; then
        chown -R postgres: "$dir"
        chmod 0700 "$dir"
    fi

    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
        --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }

    # Another process may take the port between the probe and the bind: try a few ports.
    local port="" attempt
    for attempt in 1 2 3 4 5; do
        port=$("$SCRIPT_DIR/free-port.sh")
        as_owner tee "$dir/data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
            break
        fi
        port=""
        if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
            as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
        fi
        echo "pg-test-cluster: start attempt $attempt failed, retrying on another port" >&2
    done
    if [[ -z "$port" ]]; then
        tail -n 30 "$dir/server.log" >&2 || true
        rm -rf "$dir"
        die "could not start PostgreSQL"
    fi
    echo "$bindir" >"$dir/bindir"
    echo "$port" >"$dir/port"

    printf 'PGTEST_DIR=%q\nPGPORT=%q\nPGHOST=127.0.0.1\nPGUSER=postgres\nPGTEST_BINDIR=%q\n' \
        "$dir" "$port" "$bindir"
    printf 'PGTEST_URL=%q\n' "postgres://postgres@127.0.0.1:$port/postgres"
}

cmd_stop() {
    local dir=${1:?usage: pg-test-cluster.sh stop DIR}
    [[ -d "$dir" ]] || return 0
    local bindir
    bindir=$(cat "$dir/bindir" 2>/dev/null || find_bindir)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 \
            || as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1 \
            || true
        # Last resort: the postmaster's pid is the first line of postmaster.pid.
        local pid
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$dir"
}

cmd_status() {
    local dir=${1:?usage: pg-test-cluster.sh status DIR}
    local bindir
    bindir=$(cat "$dir/bindir" 2>/dev/null || find_bindir)
    as_owner "$bindir/pg_ctl" -D "$dir/data" status
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    status) shift; cmd_status "$@" ;;
    *) echo "usage: $0 start [DIR] | stop DIR | status DIR" >&2; exit 2 ;;
esac
