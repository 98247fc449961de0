#!/usr/bin/env bash
# Starts a second local PostgreSQL cluster as a streaming standby of the first (for the read-replica tests) and prints
# the value for SKILLSREGISTRY_TEST_POSTGRES_STANDBY. Idempotent: a standby already streaming is left as it is; a cluster
# of that name that is not a standby of the primary is rebuilt. Run as root on Debian (postgresql-common).
# Knobs: PRIMARY_PORT (5432), STANDBY_PORT (5433), STANDBY_CLUSTER (standby), REPLICATION_PASSWORD (replication).
set -euo pipefail

primary_port=${PRIMARY_PORT:-5432}
standby_port=${STANDBY_PORT:-5433}
name=${STANDBY_CLUSTER:-standby}
password=${REPLICATION_PASSWORD:-replication}
version=$(pg_lsclusters --no-header | awk -v port="$primary_port" '$3 == port {print $1; exit}')
[ -n "$version" ] || { echo "no PostgreSQL cluster listens on port $primary_port" >&2; exit 1; }

as_postgres() { runuser -u postgres -- "$@"; }
in_recovery() { as_postgres psql -p "$standby_port" -tAc "SELECT pg_is_in_recovery()" 2>/dev/null || true; }
wait_ready() { for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$standby_port" && return 0; sleep 0.5; done; return 1; }

# The replication role on the primary (kept in step with the password given here).
as_postgres psql -q -p "$primary_port" -v ON_ERROR_STOP=1 -v password="$password" <<'SQL'
SELECT format('CREATE ROLE repl REPLICATION LOGIN PASSWORD %L', :'password') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'repl') \gexec
SELECT format('ALTER ROLE repl PASSWORD %L', :'password') \gexec
SQL

if pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n {found=1} END {exit !found}'; then
  pg_ctlcluster "$version" "$name" start >/dev/null 2>&1 || true
  if wait_ready && [ "$(in_recovery)" = "t" ]; then
    echo "Host=127.0.0.1;Port=$standby_port;Username=registry;Password=registry;Database=postgres"
    exit 0
  fi
  echo "cluster $version/$name is not a running standby: rebuilding it" >&2
  pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
else
  pg_createcluster "$version" "$name" --port "$standby_port" >/dev/null
fi

data=$(pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n {print $6}')
find "$data" -mindepth 1 -delete
as_postgres env PGPASSWORD="$password" pg_basebackup -h 127.0.0.1 -p "$primary_port" -U repl -D "$data" -R -X stream -c fast
pg_ctlcluster "$version" "$name" start
wait_ready
[ "$(in_recovery)" = "t" ] || { echo "cluster $version/$name started but is not in recovery" >&2; exit 1; }
echo "Host=127.0.0.1;Port=$standby_port;Username=registry;Password=registry;Database=postgres"
