"""The slowest queries of a benchmarked page, with their plans: what docs/benchmarks.md quotes.

DATABASE_URL=... .venv/bin/python -m bench.explain "register, first page (head office"
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")


def slowest(case, sample, top=3):
    """[(ms, sql)] of the page's `top` slowest queries, from the request made in-process."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from .pages import intake_data

    client = Client()
    client.force_login(get_user_model().objects.get(username=case.who))
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        if case.method == "POST":
            client.post(case.path, intake_data(sample, 0))
        else:
            client.get(case.path)
        transaction.set_rollback(True)
    timed = sorted(((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True)
    return timed[:top]


def explain(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    import django

    django.setup()
    from .pages import cases, pick_sample

    sample = pick_sample()
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    for case in cases(sample):
        if wanted not in case.name or case.method != "GET":
            continue
        print(f"== {case.name}: {case.path}")
        for rank, (ms, sql) in enumerate(slowest(case, sample)):
            print(f"-- {ms:.1f} ms: {sql[:600]}")
            if rank == 0 or ms > 20:  # the slowest always, others when they matter
                print(explain(sql.split(" FOR ", 1)[1] if sql.startswith("DECLARE") else sql))


if __name__ == "__main__":
    main()
