#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback, in a temporary folder,
# and MLPLANE_TEST_POSTGRES_URL pointing at it. Stops and removes the server afterwards.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/mlplane-pg.XXXXXX)
port=${MLPLANE_TEST_POSTGRES_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    as_pg=(runuser -u postgres --)
fi

cleanup() {
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U mlplane --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
export MLPLANE_TEST_POSTGRES_URL="postgres://mlplane@127.0.0.1:$port/postgres?sslmode=disable"
echo "with-postgres: PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port"
"$@"
