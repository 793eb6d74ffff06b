"""The read replica under work (docs/benchmarks.md §9): which copy the head-office rollup and its
400-mall export put their queries on, and the desk's p95 while rollup exports run.

Needs the topology and a generated chain in it:

    bench/topology.sh start
    DATABASE_URL=postgres://postgres@127.0.0.1:5461/servicedesk .venv/bin/python manage.py migrate
    DATABASE_URL=... DEBUG=true .venv/bin/python manage.py generate_chain --malls 400 ...   # the primary itself
    set -a; . var/topology/env; set +a                                                    # app through PgBouncer
    .venv/bin/python -m bench.replica statements [--no-replica]
    .venv/bin/python -m bench.replica load [--no-replica] [--exports] [--users 40 --time 2m --wait 1,4]

`statements` resets pg_stat_statements on both copies, requests the rollup page through gunicorn
--repeat times as head office and builds one rollup export in-process (what the heavy worker
runs), then prints each copy's statements: calls and execution time, all and the grouped report
queries. `load` runs bench.load (locust against gunicorn) and, with --exports, a second process
that builds 400-mall rollup exports back to back for the whole run, as a heavy worker would.
--no-replica leaves DATABASE_REPLICA_URL out, so everything reads the primary: the comparison.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
HEAD_OFFICE = "hq-headoffice"
STATEMENTS_SQL = """
SELECT count(*), COALESCE(sum(calls), 0), COALESCE(sum(total_exec_time), 0),
       COALESCE(sum(calls) FILTER (WHERE query ILIKE '%%GROUP BY%%'), 0),
       COALESCE(sum(total_exec_time) FILTER (WHERE query ILIKE '%%GROUP BY%%'), 0)
FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = %s)
"""


def _direct(url):
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def _copies():
    copies = {"primary": os.environ["TOPOLOGY_PRIMARY_URL"]}
    if os.environ.get("DATABASE_REPLICA_URL"):
        copies["replica"] = os.environ["DATABASE_REPLICA_URL"]
    return copies


def _week():
    from reports.periods import last_full_week

    return last_full_week()


def build_export():
    """One rollup export for head office, as the heavy worker builds it; returns seconds."""
    from django.contrib.auth import get_user_model

    from reports.models import ReportExport
    from reports.services import export_build

    user = get_user_model().objects.get(username=HEAD_OFFICE)
    started = time.monotonic()
    export = ReportExport.objects.create(requested_by=user, period_key=_week().key)
    export = export_build(export.pk)
    seconds = time.monotonic() - started
    export.file.delete(save=False)
    return seconds


def statements(args):
    import django

    django.setup()
    from demo.chaingen.generate import PASSWORD

    from .harness import Gunicorn, login, summarise, time_calls

    database = os.environ["TOPOLOGY_PRIMARY_URL"].rsplit("/", 1)[1]
    copies = {name: _direct(url) for name, url in _copies().items()}
    for conn in copies.values():
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_stat_statements_reset()")
    with Gunicorn(workers=2) as server:
        session = login(server.url, HEAD_OFFICE, PASSWORD)
        # The login was a write: read-your-writes would keep this browser on the primary for 10 s.
        # Measure head office as it reads on a Monday, long after logging in.
        session.cookies.pop("sd_primary_until", None)
        url = f"{server.url}/reports/rollup/?week={_week().key}"
        timings = time_calls(lambda: session.get(url, timeout=300).raise_for_status(), args.repeat, 1)
    export_seconds = build_export()
    result = {
        "with_replica": "replica" in copies,
        "rollup_page": summarise(timings),
        "export_s": round(export_seconds, 1),
    }
    for name, conn in copies.items():
        with conn.cursor() as cursor:
            cursor.execute(STATEMENTS_SQL, [database])
            kinds, calls, ms, grouped_calls, grouped_ms = cursor.fetchone()
        result[name] = {
            "statements": kinds,
            "calls": int(calls),
            "exec_ms": round(float(ms)),
            "grouped_calls": int(grouped_calls),
            "grouped_ms": round(float(grouped_ms)),
        }
    OUT.mkdir(parents=True, exist_ok=True)
    name = "statements-replica.json" if result["with_replica"] else "statements-primary-only.json"
    (OUT / name).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def export_loop(args):
    import django

    django.setup()
    deadline = time.monotonic() + args.seconds
    durations = []
    while time.monotonic() < deadline:
        durations.append(round(build_export(), 1))
    (OUT / "export-loop.json").write_text(json.dumps({"exports": len(durations), "seconds": durations}))


def load(args):
    from . import load as locust_run

    seconds = _seconds(args.time)
    loop = None
    if args.exports:
        env = dict(os.environ, MEDIA_ROOT=str(OUT / "media"))
        command = [sys.executable, "-m", "bench.replica", "export-loop", "--seconds", str(seconds + 20)]
        if args.no_replica:
            command.append("--no-replica")
        loop = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own command line
    try:
        code = locust_run.main(["--users", str(args.users), "--time", args.time, "--wait", args.wait])
    finally:
        if loop is not None:
            loop.wait(timeout=seconds + 600)
    result = json.loads((OUT / "load.json").read_text())
    result["replica"] = not args.no_replica
    if loop is not None:
        result["export_loop"] = json.loads((OUT / "export-loop.json").read_text())
    tag = ("replica" if not args.no_replica else "primary-only") + ("-exports" if args.exports else "")
    (OUT / f"load-{tag}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(
        f"{tag}: desk p95 {result['total']['p95_ms']} ms, median {result['total']['median_ms']} ms, "
        f"{result['total']['rps']} rps, failures {result['total']['failures']}, "
        f"exports {result.get('export_loop', {}).get('seconds')}"
    )
    return code


def _seconds(text):
    units = {"s": 1, "m": 60, "h": 3600}
    return int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["statements", "load", "export-loop"])
    parser.add_argument("--no-replica", action="store_true", help="leave DATABASE_REPLICA_URL out: all on the primary")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exports", action="store_true", help="build rollup exports for the whole load run")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--time", default="2m")
    parser.add_argument("--wait", default="1,4")
    args = parser.parse_args(argv)
    if args.no_replica:
        os.environ.pop("DATABASE_REPLICA_URL", None)
    if "TOPOLOGY_PRIMARY_URL" not in os.environ:
        sys.exit("bench.replica: start the topology and load its variables: set -a; . var/topology/env; set +a")
    OUT.mkdir(parents=True, exist_ok=True)
    return {"statements": statements, "load": load, "export-loop": export_loop}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
