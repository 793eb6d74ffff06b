#!/usr/bin/env bash
# From a fresh clone to the first page of `make run`, timed (issue 15's goal: <= 3 minutes on a
# fresh machine). Clones this repository into a temporary folder, runs `make run` there with
# nothing configured (SQLite + the embedded broker) on a free port, and notes when each step is
# done: .venv installed, migrated, demo data loaded, first page (the sign-in page) answered.
#   bench/first_run.sh            # pip as configured (its cache warm if this machine has one)
#   bench/first_run.sh --cold     # PIP_NO_CACHE_DIR=1: pip's own cache is not used
# Prints one line per step and a JSON summary; stops `make run` and removes the clone after.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cold=""
if [ "${1:-}" = "--cold" ]; then cold=1; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/servicedesk-first-run.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_pid=""
cleanup() {
  if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
    kill -INT -- "-$run_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$run_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s.%N)
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.1f}')" "$(date +%s.%N)" "$started"; }

git clone -q "$src" "$work/clone"
cd "$work/clone"
env_args=(-u DATABASE_URL -u REDIS_URL -u DATABASE_REPLICA_URL PORT="$port" HOST=127.0.0.1)
if [ -n "$cold" ]; then env_args+=(PIP_NO_CACHE_DIR=1); fi
setsid env "${env_args[@]}" make run >"$work/run.log" 2>&1 &
run_pid=$!

installed="" migrated="" demo="" page=""
while [ -z "$page" ]; do
  if ! kill -0 "$run_pid" 2>/dev/null; then
    echo "first_run: make run stopped before the first page:" >&2
    tail -40 "$work/run.log" >&2
    exit 1
  fi
  if [ -z "$installed" ] && [ -e .venv/.installed-run ]; then installed=$(elapsed); echo "installed:  ${installed}s"; fi
  if [ -z "$migrated" ] && grep -q "manage.py demo_data" "$work/run.log" 2>/dev/null; then migrated=$(elapsed); echo "migrated:   ${migrated}s"; fi
  if [ -z "$demo" ] && grep -q "Demo data ready" "$work/run.log" 2>/dev/null; then demo=$(elapsed); echo "demo data:  ${demo}s"; fi
  if curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/accounts/login/" 2>/dev/null; then
    page=$(elapsed)
    echo "first page: ${page}s"
  else
    sleep 0.5
  fi
done
printf '{"cold": %s, "installed_s": %s, "migrated_s": %s, "demo_data_s": %s, "first_page_s": %s}\n' \
  "${cold:-0}" "$installed" "$migrated" "$demo" "$page"
