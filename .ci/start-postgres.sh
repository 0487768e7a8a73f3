#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the status store tests and print its DSN on stdout.
# Idempotent and quick on a second run: installs the Debian package only when no server binary is
# present, reuses the data directory and leaves an already running server alone. Loopback only.
# Diagnostics go to stderr; on any failure nothing is printed and the tests skip with a reason.
set -euo pipefail

port="${VCBADGE_PG_PORT:-54329}"
data="${VCBADGE_PG_DATA:-/tmp/vcbadge-postgres}"
database=vcbadge_test

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

bin="$(find_bin)"
if [[ -z "$bin" ]]; then
    echo "installing PostgreSQL (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bin="$(find_bin)"
fi
[[ -n "$bin" ]] || { echo "no PostgreSQL server binary found" >&2; exit 1; }

as_postgres() {
    if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p "$data"
    [[ "$(id -u)" -eq 0 ]] && chown postgres: "$data"
    as_postgres "$bin/initdb" -D "$data" -A trust -U postgres >&2
fi
if ! as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=100" start >&2
fi
if ! as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database" >&2
fi
echo "postgresql://postgres@127.0.0.1:$port/$database"
