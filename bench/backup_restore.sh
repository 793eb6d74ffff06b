#!/usr/bin/env bash
# Backup and restore drill: build a scratch database with the demo data set, pg_dump it (custom
# format, as docs/operations.md prescribes), pg_restore into a second scratch database and compare
# the row count of every table. Exit 1 if any table differs. Touches only its own two databases.
#   bench/backup_restore.sh            # uses postgres@127.0.0.1:5432
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${PGHOST:-127.0.0.1}; PORT=${PGPORT:-5432}; USER_=${PGUSER:-postgres}
SOURCE="backup_drill_src_$$"; TARGET="backup_drill_dst_$$"
DUMP=$(mktemp --suffix=.dump)
PSQL=(psql -h "$HOST" -p "$PORT" -U "$USER_" -v ON_ERROR_STOP=1 -qAt)
cleanup() {
  dropdb -h "$HOST" -p "$PORT" -U "$USER_" --if-exists "$SOURCE" || true
  dropdb -h "$HOST" -p "$PORT" -U "$USER_" --if-exists "$TARGET" || true
  rm -f "$DUMP"
}
trap cleanup EXIT

createdb -h "$HOST" -p "$PORT" -U "$USER_" "$SOURCE"
export DATABASE_URL="postgres://$USER_@$HOST:$PORT/$SOURCE" DEBUG=true
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py demo_data >/dev/null

start=$(date +%s.%N)
pg_dump -h "$HOST" -p "$PORT" -U "$USER_" -Fc -f "$DUMP" "$SOURCE"
createdb -h "$HOST" -p "$PORT" -U "$USER_" "$TARGET"
pg_restore -h "$HOST" -p "$PORT" -U "$USER_" --no-owner -d "$TARGET" "$DUMP"
seconds=$(echo "$(date +%s.%N) - $start" | bc)

counts() {  # exact row count of every table in schema public, "table count" per line
  "${PSQL[@]}" -d "$1" -c "SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE' ORDER BY 1" |
    while read -r table; do echo "$table $("${PSQL[@]}" -d "$1" -c "SELECT count(*) FROM \"$table\"")"; done
}
counts "$SOURCE" >"$DUMP.src"; counts "$TARGET" >"$DUMP.dst"
tables=$(wc -l <"$DUMP.src"); rows=$(awk '{s+=$2} END {print s}' "$DUMP.src")
if diff -u "$DUMP.src" "$DUMP.dst"; then
  echo "backup/restore: $tables tables, $rows rows, equal after restore; dump $(du -h "$DUMP" | cut -f1), dump+restore ${seconds}s"
  rm -f "$DUMP.src" "$DUMP.dst"
else
  echo "backup/restore: counts differ" >&2; rm -f "$DUMP.src" "$DUMP.dst"; exit 1
fi
