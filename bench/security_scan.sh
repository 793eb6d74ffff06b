#!/usr/bin/env bash
# External scan of the local server only: sqlmap (Debian package) against the search and filter
# parameters of the list pages, logged in as the demo manager. Never points at another address.
#   bench/security_scan.sh      # needs: apt-get install -y --no-install-recommends sqlmap
# Exit 1 if sqlmap reports any parameter as injectable.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlmap >/dev/null || { echo "sqlmap is not installed (apt-get install sqlmap)" >&2; exit 2; }

HOST=${PGHOST:-127.0.0.1}; PORT=${PGPORT:-5432}; DB="security_scan_$$"
WEB_PORT=$(.venv/bin/python -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
BASE="http://127.0.0.1:$WEB_PORT"
WORK=$(mktemp -d)
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  wait "${SERVER:-}" 2>/dev/null || true
  dropdb -h "$HOST" -p "$PORT" -U postgres --if-exists "$DB" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

createdb -h "$HOST" -p "$PORT" -U postgres "$DB"
export DATABASE_URL="postgres://postgres@$HOST:$PORT/$DB"
DEBUG=true .venv/bin/python manage.py migrate --noinput -v 0
DEBUG=true .venv/bin/python manage.py demo_data >/dev/null
# Production-like server (DEBUG off); lockout raised so the scanner's own requests cannot lock it.
DEBUG=false AXES_FAILURE_LIMIT=1000 .venv/bin/gunicorn servicedesk.wsgi -b "127.0.0.1:$WEB_PORT" -w 2 \
  --access-logfile /dev/null --error-logfile "$WORK/gunicorn.log" &
SERVER=$!
for _ in $(seq 1 50); do curl -fs "$BASE/accounts/login/" >/dev/null && break; sleep 0.2; done

JAR="$WORK/cookies"
token=$(curl -fs -c "$JAR" "$BASE/accounts/login/" | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -b "$JAR" -c "$JAR" -o /dev/null -H "Referer: $BASE/accounts/login/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=manager" \
  --data-urlencode "password=demo-pass-2026" "$BASE/accounts/login/"
session=$(awk '$6 == "sessionid" {print $7}' "$JAR")
[ -n "$session" ] || { echo "could not log in as the demo manager" >&2; exit 2; }
# The scan must see the pages, not the login redirect.
code=$(curl -s -o /dev/null -w "%{http_code}" -b "sessionid=$session" "$BASE/complaints/?q=x")
[ "$code" = 200 ] || { echo "logged-in page answered $code, not 200" >&2; exit 2; }

TARGETS=(
  "/complaints/?q=sofa&status=registered&category=Q"
  "/customers/?q=13812345678"
  "/merchants/?q=brand&status=active"
  "/returns/?q=TH&status=requested"
  "/followups/register/?q=x&status=open"
  "/frontdesk/enquiries/?q=x"
)
found=0
for target in "${TARGETS[@]}"; do
  out=$(sqlmap -u "$BASE$target" --cookie "sessionid=$session" --batch --level 1 --risk 1 \
    --flush-session --disable-coloring --output-dir "$WORK/sqlmap" --skip-waf --timeout 10 --retries 1 2>&1 || true)
  if grep -qiE "is vulnerable|injectable|sqlmap identified the following injection" <<<"$out" \
     && ! grep -qiE "all tested parameters do not appear to be injectable" <<<"$out"; then
    echo "FINDING  $target"; grep -iE "parameter|injectable|vulnerable" <<<"$out" | head -20; found=1
  else
    echo "clean    $target  ($(grep -oiE "all tested parameters do not appear to be injectable" <<<"$out" | head -1 || echo "see output"))"
  fi
done
if grep -q "Traceback\|Internal Server Error" "$WORK/gunicorn.log"; then
  echo "server errors during the scan:"; grep -B2 -A8 "Traceback" "$WORK/gunicorn.log" | head -40; found=1
fi
exit $found
