"""`make bench`: time the desk's pages through gunicorn and the daily jobs in-process, against
the chain in DATABASE_URL (made by `manage.py generate_chain`). Not part of `make test`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_chain .venv/bin/python -m bench.run
    ... -m bench.run --smoke          # 3 runs per page: checks the scripts work (CI, tests/bench)

Each page: median and p95 of repeated requests through gunicorn (2 workers, 127.0.0.1), its
query count (the same request in-process under CaptureQueriesContext), the time of its own SQL
(those statements each run alone, one round after each block of requests, the median of the
rounds) and the page's median over it (page/SQL: how much of the page is Python, ORM and
templates), the workers' peak RSS.
Results: printed, and written to var/bench/results.json and .md.
"""

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

OUT = Path(__file__).resolve().parent.parent / "var" / "bench"


def count_queries(case, sample, user_model):
    """The page's query count, from the same request made in-process, its status, and its
    statements to time alone (None for a POST: its statements write)."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from .pages import intake_data

    client = Client()
    if case.who:
        client.force_login(user_model.objects.get(username=case.who))
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            if case.method == "POST":
                response = client.post(case.path, intake_data(sample, 0))
            else:
                response = client.get(case.path)
        transaction.set_rollback(True)  # the counted intake leaves nothing behind
    own = None if case.method == "POST" else queries.captured_queries
    return len(queries), response.status_code, own


def sql_alone_ms(captured):
    """One round of the statements, each run alone on one connection: the sum of their times in
    ms (SAVEPOINTs and writes at their captured time)."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                total += float(query["time"]) * 1000
                continue
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            total += (time.perf_counter() - started) * 1000
    return total


def time_page_and_sql(server, sessions, case, sample, repeat, warmup, statements):
    """The page's samples through gunicorn and the time of its own SQL, taken in turns: a block of
    requests, then one round of its statements alone, and again. The ratio of the two compares
    them at the same moments: measured minutes apart, a shared machine's drift alone moved it by
    a third (issue 22, docs/benchmarks.md §26). Own SQL: the median of the rounds, in ms."""
    import statistics

    blocks = min(repeat, max(5, repeat // 10)) if statements else 1
    samples, errors, rounds = [], [], []
    for block in range(blocks):
        size = repeat // blocks + (1 if block < repeat % blocks else 0)
        timed, failed = time_page(server, sessions, case, sample, size, warmup if block == 0 else 0)
        samples += timed
        errors += failed
        if statements:
            rounds.append(sql_alone_ms(statements))
    return samples, errors, (round(statistics.median(rounds), 1) if rounds else None)


def time_page(server, sessions, case, sample, repeat, warmup):
    from .harness import login, time_calls

    if case.who not in sessions and not case.who:
        import requests

        sessions[case.who] = requests.Session()
    if case.who not in sessions:
        from demo.chaingen.generate import PASSWORD

        sessions[case.who] = login(server.url, case.who, PASSWORD)
    session = sessions[case.who]
    url = server.url + case.path
    errors, counter = [], iter(range(1, 10**9))
    expected = 302 if case.method == "POST" else 200

    def call():
        if case.method == "POST":
            from .pages import intake_data

            data = {**intake_data(sample, next(counter)), "csrfmiddlewaretoken": session.cookies["csrftoken"]}
            response = session.post(url, data=data, allow_redirects=False, timeout=120)
        else:
            response = session.get(url, timeout=120)
        if response.status_code != expected:
            errors.append(response.status_code)

    return time_calls(call, repeat, warmup), errors


def schedule_callbacks(repeat):
    """The daily scheduling for tomorrow, over every sale; rolled back so it can run again."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from followups.services.scheduling import callbacks_schedule

    samples, created, queries = [], None, 0
    for _ in range(repeat):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                created = callbacks_schedule(today=timezone.localdate() + timedelta(days=1))
                samples.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
            transaction.set_rollback(True)
    return samples, {str(k): v for k, v in created.items()}, queries


def chain_size():
    from django.db import connection

    tables = (
        "servicedesk_mall",
        "complaints_complaint",
        "returns_returnrequest",
        "compensations_compensation",
        "merchants_merchant",
        "followups_sale",
        "followups_callback",
    )
    with connection.cursor() as cursor:
        sizes = {}
        for table in tables:
            # The planner's estimate (ANALYZE keeps it close): exact counts of 10M rows cost seconds.
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            sizes[table] = cursor.fetchone()[0]
            if sizes[table] < 0:  # never analyzed: small enough to count
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our table names
                sizes[table] = cursor.fetchone()[0]
    return sizes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="3 runs per page: proves the scripts, not the speed")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", help="run the cases whose name contains this text")
    parser.add_argument("--skip-jobs", action="store_true", help="pages only (no callback scheduling)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    repeat, warmup = (3, 1) if args.smoke else (args.repeat, 2)

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from .harness import Gunicorn, own_peak_mb, require_postgres, summarise
    from .pages import cases, pick_sample

    require_postgres()
    sample = pick_sample()
    results = {"mode": "smoke" if args.smoke else "full", "sizes": chain_size(), "sample": str(sample), "pages": []}
    chosen = [c for c in cases(sample) if not args.only or args.only in c.name]
    users = get_user_model()
    counts = {case.name: count_queries(case, sample, users) for case in chosen}
    sessions = {}
    with Gunicorn(workers=2) as server:
        for case in chosen:
            queries, status, statements = counts[case.name]
            samples, errors, own_sql = time_page_and_sql(server, sessions, case, sample, repeat, warmup, statements)
            summary = summarise(samples)
            row = {
                "page": case.name,
                "path": case.path,
                **summary,
                "goal_p95_ms": case.goal_ms,
                "queries": queries,
                "own_sql_ms": own_sql,
                "page_to_sql": round(summary["median_ms"] / own_sql, 1) if own_sql else None,
                "goal_queries": case.goal_queries,
                "in_process_status": status,
                "errors": len(errors),
                "worker_peak_mb": server.worker_peak_mb(),
            }
            results["pages"].append(row)
            print(_line(row), flush=True)
    if not args.skip_jobs and not args.only:
        samples, created, queries = schedule_callbacks(1 if args.smoke else 3)
        row = {
            "job": "daily callback scheduling (all malls)",
            **summarise(samples),
            "goal_p95_ms": 60_000,
            "queries": queries,
            "created": created,
            "peak_mb": own_peak_mb(),
        }
        results["jobs"] = [row]
        print(f"{row['job']}: median {row['median_ms']:.0f} ms, {queries} queries, created {created}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    (args.out / "results.md").write_text(markdown(results))
    failed = [r for r in results["pages"] if r["errors"] or r["in_process_status"] not in (200, 302)]
    return 1 if failed else 0


def _line(row):
    verdict = "ok" if row["p95_ms"] <= row["goal_p95_ms"] else "MISSES GOAL"
    return (
        f"{row['page']}: median {row['median_ms']} ms, p95 {row['p95_ms']} ms (goal {row['goal_p95_ms']}) "
        f"{verdict}; {row['queries']} queries; own SQL {row['own_sql_ms']} ms (page/SQL {row['page_to_sql']}); "
        f"errors {row['errors']}; worker peak {row['worker_peak_mb']} MB"
    )


def markdown(results):
    lines = [
        f"Mode: {results['mode']}; sizes: {results['sizes']}",
        "",
        "| page | median ms | p95 ms | goal p95 | queries | goal | own SQL ms | page/SQL | errors | worker peak MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results["pages"]:
        lines.append(
            f"| {r['page']} | {r['median_ms']} | {r['p95_ms']} | {r['goal_p95_ms']} | {r['queries']} | "
            f"{r['goal_queries'] or '-'} | {r['own_sql_ms'] or '-'} | {r['page_to_sql'] or '-'} | {r['errors']} | "
            f"{r['worker_peak_mb']} |"
        )
    for r in results.get("jobs", []):
        lines.append(
            f"\n{r['job']}: median {r['median_ms']} ms over {r['runs']} runs, {r['queries']} queries, "
            f"created {r['created']}, peak {r['peak_mb']} MB"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
