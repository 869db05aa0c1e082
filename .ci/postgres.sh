#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback for the tests.
#
#   .ci/postgres.sh start    initdb + start; prints the test database URL on stdout (progress on stderr)
#   .ci/postgres.sh stop     stop the cluster and delete its files
#   .ci/postgres.sh status   exit 0 when it is accepting connections
#   .ci/postgres.sh url      print the URL of the running cluster
#
# LEDGER_PG_DIR chooses where the cluster lives (default /tmp/ledger-ci-postgres), LEDGER_PG_PORT the
# preferred port (default 55432; a free port is taken when that one is busy). Starting again stops and
# wipes whatever cluster was left in LEDGER_PG_DIR first, so running twice is fine.
# As root the server runs as the `postgres` user; otherwise as the current user.
set -euo pipefail

PG_DIR=${LEDGER_PG_DIR:-/tmp/ledger-ci-postgres}
PREFERRED_PORT=${LEDGER_PG_PORT:-55432}
PG_DB=ledger_test
PG_PASSWORD=postgres
READY_DEADLINE=${LEDGER_PG_READY_SECONDS:-60}

log() { echo "[postgres] $*" >&2; }

pg_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
    for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    done
    if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
    log "PostgreSQL server binaries not found (apt-get install postgresql)"
    exit 1
}

# Runs a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

url_for() { echo "postgres://postgres:${PG_PASSWORD}@127.0.0.1:$1/${PG_DB}"; }

stop() {
    local bin
    if [ -d "$PG_DIR/data" ]; then
        bin=$(pg_bindir)
        if as_owner "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
            log "stopping the cluster in $PG_DIR"
            as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -t 30 stop >/dev/null \
                || as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null || true
        fi
    fi
    rm -rf "$PG_DIR"
}

start() {
    local bin port deadline
    bin=$(pg_bindir)
    stop
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || { log "no postgres user (apt-get install postgresql)"; exit 1; }
        chown postgres: "$PG_DIR"
    fi
    chmod 700 "$PG_DIR"

    port=$PREFERRED_PORT
    if ! port_free "$port"; then
        port=$(free_port)
        log "port $PREFERRED_PORT is busy, using $port"
    fi

    printf '%s\n' "$PG_PASSWORD" > "$PG_DIR/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR/pwfile"
    log "initdb in $PG_DIR/data ($("$bin/postgres" --version))"
    as_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$PG_DIR/pwfile" -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
    rm -f "$PG_DIR/pwfile"

    log "starting on 127.0.0.1:$port"
    as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -W \
        -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null

    deadline=$((SECONDS + READY_DEADLINE))
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres; do
        if [ $SECONDS -ge $deadline ]; then
            log "not ready after ${READY_DEADLINE}s; server log:"
            cat "$PG_DIR/server.log" >&2 || true
            stop
            exit 1
        fi
        sleep 0.2
    done

    PGPASSWORD=$PG_PASSWORD "$bin/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
        -c "CREATE DATABASE ${PG_DB}" >&2
    echo "$port" > "$PG_DIR/port"
    log "ready: $(url_for "$port")"
    url_for "$port"
}

status() {
    [ -f "$PG_DIR/port" ] && "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$(cat "$PG_DIR/port")"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    url) [ -f "$PG_DIR/port" ] || { log "not running"; exit 1; }; url_for "$(cat "$PG_DIR/port")" ;;
    *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
