"""What PostgreSQL spends planning, and what its JIT would spend, on each benchmarked page.

    DATABASE_URL=... .venv/bin/python -m bench.plans            # every GET page
    DATABASE_URL=... .venv/bin/python -m bench.plans "register"  # pages whose name contains it

Each page's statements are captured from the request made in-process, then each SELECT is run
under `EXPLAIN (ANALYZE, FORMAT JSON)` twice: as the application runs it (JIT off, settings'
`-c jit=off`) and with PostgreSQL's own default (`jit = on`), so the table shows what turning it
off saves. Per page: statements, planning and execution ms (sums over the statements, median of
`--rounds`), the slowest single plan, and the JIT's own ms when on. Results: printed as a
Markdown table and written to var/bench/plans.json.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

OUT = Path(__file__).resolve().parent.parent / "var" / "bench"


def captured_selects(case):
    """The SELECTs the page runs, from the request made in-process (rolled back)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if case.who:
        client.force_login(get_user_model().objects.get(username=case.who))
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        client.get(case.path)
        transaction.set_rollback(True)
    selects = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("DECLARE"):  # a server-side cursor's statement
            sql = sql.split(" FOR ", 1)[1]
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            selects.append(sql)
    return selects


def explained(cursor, sql):
    """(planning ms, execution ms, JIT ms) of one run of the statement."""
    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
    plan = cursor.fetchone()[0][0]
    jit = plan.get("JIT", {}).get("Timing", {}).get("Total", 0.0)
    return plan["Planning Time"], plan["Execution Time"], jit


def page_plans(selects, rounds):
    from django.db import connection

    figures = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        figures["application_jit"] = cursor.fetchone()[0]
        for mode in ("off", "on"):
            cursor.execute(f"SET jit = {mode}")
            runs = []
            for _ in range(rounds):
                runs.append([explained(cursor, sql) for sql in selects])
            per_statement = [
                [statistics.median(run[i][k] for run in runs) for k in range(3)] for i in range(len(selects))
            ]
            figures[mode] = {
                "planning_ms": round(sum(s[0] for s in per_statement), 1),
                "execution_ms": round(sum(s[1] for s in per_statement), 1),
                "jit_ms": round(sum(s[2] for s in per_statement), 1),
                "slowest_planning_ms": round(max((s[0] for s in per_statement), default=0.0), 1),
            }
        cursor.execute("RESET jit")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="?", default="", help="pages whose name contains this")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=OUT, help="folder for plans.json")
    args = parser.parse_args()

    import django

    django.setup()
    from .pages import cases, pick_sample

    sample = pick_sample()
    rows = []
    for case in cases(sample):
        if args.only not in case.name or case.method != "GET":
            continue
        selects = captured_selects(case)
        rows.append({"page": case.name, "statements": len(selects), **page_plans(selects, args.rounds)})

    print(f"JIT on the application's connections: {rows[0]['application_jit'] if rows else '-'}")
    print("| page | SELECTs | planning ms | execution ms | slowest plan ms | with JIT on: execution ms | JIT ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        off, on = row["off"], row["on"]
        print(
            f"| {row['page']} | {row['statements']} | {off['planning_ms']} | {off['execution_ms']} "
            f"| {off['slowest_planning_ms']} | {on['execution_ms']} | {on['jit_ms']} |"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "plans.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
