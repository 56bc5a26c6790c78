#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL on 127.0.0.1 (a free port), then stop it.
# Exposes SCOBANK_TEST_POSTGRES_URL (a superuser URL to the `postgres` database) to the command.
set -euo pipefail
initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
bindir=$(dirname "$initdb")
dir=$(mktemp -d /tmp/scobank-pg.XXXXXX)
chown postgres:postgres "$dir" 2>/dev/null || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
as_pg "$bindir/initdb -D $dir/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
as_pg "$bindir/pg_ctl -D $dir/data -o '-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off' -l $dir/log -w start >/dev/null"
cleanup() { as_pg "$bindir/pg_ctl -D $dir/data -m fast stop >/dev/null" || true; rm -rf "$dir"; }
trap cleanup EXIT
export SCOBANK_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
"$@"
