#!/usr/bin/env bash
# The chain's database topology on one host, for the marked tests (`pytest -m topology`) and the
# replica benchmark: a PostgreSQL primary, a streaming hot standby made from it with
# `pg_basebackup -R`, and PgBouncer (Debian's package) in transaction mode in front of the
# primary. Everything lives in var/topology/ (TOPOLOGY_DIR); nothing touches the machine's own
# PostgreSQL cluster.
#
#   bench/topology.sh start            create (first time) or start the three, wait until ready
#   bench/topology.sh env              print the variables that point the app at them
#   bench/topology.sh test [ARGS]      fresh topology, the marked tests through it, then remove it
#   bench/topology.sh replica-stop     stop the standby (the fallback tests call this)
#   bench/topology.sh replica-start    start it again and wait until it has caught up
#   bench/topology.sh status | stop | clean
#
# Ports (TOPOLOGY_PRIMARY_PORT, TOPOLOGY_REPLICA_PORT, TOPOLOGY_PGBOUNCER_PORT) default to
# 5461, 5462 and 6461. Readiness is waited for (pg_isready, pg_stat_replication, replay LSN),
# never assumed after a fixed sleep.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${TOPOLOGY_DIR:-$ROOT/var/topology}
PRIMARY_PORT=${TOPOLOGY_PRIMARY_PORT:-5461}
REPLICA_PORT=${TOPOLOGY_REPLICA_PORT:-5462}
BOUNCER_PORT=${TOPOLOGY_PGBOUNCER_PORT:-6461}
DATABASE=${TOPOLOGY_DATABASE:-servicedesk}
HOST=127.0.0.1
PGBIN=${PGBIN:-$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
PGBOUNCER=${PGBOUNCER:-$(command -v pgbouncer || echo /usr/sbin/pgbouncer)}
TIMEOUT=${TOPOLOGY_TIMEOUT:-90}

log() { echo "topology: $*" >&2; }
die() { log "$*"; exit 1; }

# PostgreSQL and PgBouncer refuse to run as root: as root, run them as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

sql() {  # sql PORT QUERY: one value, no decoration
  as_pg "$PGBIN/psql" -X -h "$HOST" -p "$1" -U postgres -d postgres -Atqc "$2"
}

wait_until() {  # wait_until WHAT COMMAND...: poll until the command succeeds
  local what=$1; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what not ready after ${TIMEOUT}s (logs in $DIR)"
    sleep 0.2
  done
}

port_free() {
  ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

running() {  # running DATADIR
  [ -f "$1/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

bouncer_running() {
  [ -f "$DIR/pgbouncer.pid" ] && kill -0 "$(cat "$DIR/pgbouncer.pid")" 2>/dev/null
}

streaming() {
  [ "$(sql "$PRIMARY_PORT" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ]
}

caught_up() {  # the standby has replayed everything the primary had written when asked
  local lsn
  lsn=$(sql "$PRIMARY_PORT" "SELECT pg_current_wal_lsn()")
  [ "$(sql "$REPLICA_PORT" "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ]
}

create() {
  [ -x "$PGBOUNCER" ] || die "PgBouncer is missing: apt-get install -y --no-install-recommends pgbouncer"
  for port in "$PRIMARY_PORT" "$REPLICA_PORT" "$BOUNCER_PORT"; do
    port_free "$port" || die "port $port is taken; set TOPOLOGY_PRIMARY_PORT/REPLICA_PORT/PGBOUNCER_PORT"
  done
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  log "primary: initdb on port $PRIMARY_PORT"
  as_pg "$PGBIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log"
  cat >>"$DIR/primary/postgresql.conf" <<EOF
# bench/topology.sh
listen_addresses = '$HOST'
port = $PRIMARY_PORT
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 5
hot_standby = on
hot_standby_feedback = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
max_connections = 150
${TOPOLOGY_PG_SETTINGS:-}
EOF
  as_pg "$PGBIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w -t "$TIMEOUT" start >/dev/null
  # Django sets the session's time zone to UTC unless it already is: set it on the role so no
  # connection needs a SET (PgBouncer would have to replay it on every server connection).
  sql "$PRIMARY_PORT" "ALTER ROLE postgres SET timezone TO 'UTC'"
  # Every database made later (the test database too) gets pg_stat_statements from template1.
  as_pg "$PGBIN/psql" -X -h "$HOST" -p "$PRIMARY_PORT" -U postgres -d template1 -qc "CREATE EXTENSION pg_stat_statements" >/dev/null
  sql "$PRIMARY_PORT" "CREATE DATABASE $DATABASE"
  log "replica: pg_basebackup -R on port $REPLICA_PORT"
  as_pg "$PGBIN/pg_basebackup" -d "host=$HOST port=$PRIMARY_PORT user=postgres" -D "$DIR/replica" -R -X stream \
    --checkpoint=fast --no-sync
  cat >>"$DIR/replica/postgresql.conf" <<EOF
port = $REPLICA_PORT
EOF
  log "pgbouncer: transaction pooling on port $BOUNCER_PORT"
  cat >"$DIR/pgbouncer.ini" <<EOF
[databases]
* = host=$HOST port=$PRIMARY_PORT

[pgbouncer]
listen_addr = $HOST
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
admin_users = postgres
stats_users = postgres
pool_mode = transaction
default_pool_size = 20
max_client_conn = 300
ignore_startup_parameters = extra_float_digits
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
EOF
  echo '"postgres" ""' >"$DIR/userlist.txt"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR/pgbouncer.ini" "$DIR/userlist.txt"
  return 0
}

start_replica() {
  running "$DIR/replica" || as_pg "$PGBIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w -t "$TIMEOUT" start >/dev/null
  wait_until "the standby's stream" streaming
  wait_until "the standby's replay" caught_up
}

start() {
  [ -d "$DIR/primary" ] || create
  running "$DIR/primary" || as_pg "$PGBIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w -t "$TIMEOUT" start >/dev/null
  start_replica
  bouncer_running || as_pg "$PGBOUNCER" -d -q "$DIR/pgbouncer.ini"
  wait_until "PgBouncer" "$PGBIN/pg_isready" -q -h "$HOST" -p "$BOUNCER_PORT"
  env_file >"$DIR/env"
  log "ready: primary $PRIMARY_PORT, standby $REPLICA_PORT (streaming, caught up), pgbouncer $BOUNCER_PORT"
}

env_file() {
  cat <<EOF
DATABASE_URL=postgres://postgres@$HOST:$BOUNCER_PORT/$DATABASE
DATABASE_REPLICA_URL=postgres://postgres@$HOST:$REPLICA_PORT/$DATABASE
DATABASE_PGBOUNCER=true
TOPOLOGY_PRIMARY_URL=postgres://postgres@$HOST:$PRIMARY_PORT/$DATABASE
TOPOLOGY_PGBOUNCER_PORT=$BOUNCER_PORT
TOPOLOGY_SCRIPT=$ROOT/bench/topology.sh
TOPOLOGY_DIR=$DIR
EOF
}

stop() {
  if bouncer_running; then
    kill "$(cat "$DIR/pgbouncer.pid")"
    wait_until "PgBouncer to stop" test ! -f "$DIR/pgbouncer.pid"
  fi
  for node in replica primary; do
    if [ -d "$DIR/$node" ] && running "$DIR/$node"; then
      as_pg "$PGBIN/pg_ctl" -D "$DIR/$node" -m fast -w -t "$TIMEOUT" stop >/dev/null
    fi
  done
  return 0
}

status() {
  for node in primary replica; do
    if [ -d "$DIR/$node" ] && running "$DIR/$node"; then echo "$node: running"; else echo "$node: stopped"; fi
  done
  if bouncer_running; then echo "pgbouncer: running"; else echo "pgbouncer: stopped"; fi
  if running "$DIR/primary"; then
    sql "$PRIMARY_PORT" "SELECT 'replication: ' || application_name || ' ' || state || ', replay lag ' || COALESCE(replay_lag::text, '0') FROM pg_stat_replication"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  clean) stop; rm -rf "$DIR" ;;
  status) status ;;
  env) env_file ;;
  replica-stop) as_pg "$PGBIN/pg_ctl" -D "$DIR/replica" -m fast -w -t "$TIMEOUT" stop >/dev/null ;;
  replica-start) start_replica ;;
  test)
    shift
    stop; rm -rf "$DIR"
    # Throwaway clusters: durability is not what is tested, and CI's minutes count. (Commits stay
    # synchronous: the tests wait for the standby to replay up to pg_current_wal_lsn(), which an
    # asynchronous commit may not have reached yet.)
    TOPOLOGY_PG_SETTINGS=${TOPOLOGY_PG_SETTINGS:-fsync = off}
    trap 'stop; rm -rf "$DIR"' EXIT
    start
    set -a
    # shellcheck disable=SC1091
    . "$DIR/env"
    set +a
    # Serial (-n 0): the tests stop the standby and pause its replay. --reuse-db: the test
    # database dies with the cluster, so it need not be dropped through PgBouncer.
    .venv/bin/python -m pytest -m "topology or concurrency" -n 0 --reuse-db "$@"
    ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
