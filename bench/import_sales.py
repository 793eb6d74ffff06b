"""Time the sales import against PostgreSQL: generate a cashier export, import it twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/servicedesk_bench \
        .venv/bin/python bench/import_sales.py --rows 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_chain \
        .venv/bin/python bench/import_sales.py --rows 1000000 --mall sh01

Without --mall it migrates the database and creates a mall BENCH with one booth (kept). With
--mall it imports into that existing mall (a generated chain's), at one of its booths let in
June 2025, and migrates nothing. Either way the rows the bench wrote are deleted afterwards
unless --keep: the sales its runs wrote, the customers it added (customers already there, whose
mobiles the file shares, stay as they were) and its runs; then VACUUM ANALYZE of the two
tables, so the database is as before. Prints the load average, a CPU yardstick, rows per
second for the first import and for the re-import (which must change nothing), the CPU seconds
of the process and of its PostgreSQL backend, where the import's wall time went (COPY, each
statement, the commits: a new customer's foreign key to its mall is checked there; a sale's five
keys are checked by the statement's own trigger since followups 0011, docs/benchmarks.md §22),
and the peak memory of the process. Not part of `make test`.

    ... bench/import_sales.py --rows 20000 --mall sh01 --explain

--explain instead saves one batch (the file's first --rows rows) inside a transaction that is
rolled back, and prints EXPLAIN (ANALYZE, BUFFERS, WAL) of each of its statements, run with the
foreign keys checked at once so that their triggers' time shows (docs/benchmarks.md §18; the
sale's key check is the statement-level trigger `sale_keys_on_insert`, §22).
"""

import argparse
import collections
import contextlib
import csv
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")


def generate(path, rows, booth="BENCH-001"):
    headers = [
        "订单号",
        "付款时间",
        "顾客姓名",
        "手机",
        "商户或展位",
        "商品",
        "型号",
        "数量",
        "金额",
        "送货日期",
        "保修月数",
    ]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for n in range(rows):
            day = 1 + n % 28
            buyer = [f"BX{n:09d}", f"2025-06-{day:02d} 14:30:00", f"顾客{n % 50000}", f"139{n % 400000:08d}"]
            goods = [booth, "布艺沙发", "FS-3", 1, f"{1000 + n % 9000}.00", f"2025-07-{day:02d}", 12]
            writer.writerow([*buyer, *goods])


def yardstick():
    started = time.perf_counter()
    sum(range(10**7))
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    return f"load average {load}, sum(range(10**7)) {time.perf_counter() - started:.2f} s"


def cpu_seconds():
    """(CPU seconds of this process, of its PostgreSQL backend): what the import costs whatever
    else the machine runs. The backend's from /proc (PostgreSQL on this host), else None."""
    from django.db import connection

    mine = resource.getrusage(resource.RUSAGE_SELF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        backend = None
    return mine.ru_utime + mine.ru_stime, backend


@contextlib.contextmanager
def time_spent():
    """Where the wall time of the import's thread goes: {what: [seconds, count]} for the COPY, each
    kind of statement (by its first words) and the commits. The rest is Python (the reading
    thread's checks overlap with all of these)."""
    from django.db import connection

    from followups.services import sales_copy, sales_import

    spent = collections.defaultdict(lambda: [0.0, 0])

    def add(what, started):
        spent[what][0] += time.perf_counter() - started
        spent[what][1] += 1

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = sql.split()
            what = " ".join(words[:3]) if words[0].upper() != "INSERT" else f"INSERT INTO {words[2]}"
            add(what, started)

    copy, commit, read_ahead = sales_copy._copy, connection._commit, sales_import._read_ahead

    def timed_read_ahead(batches):
        # The saving thread's wait for the reading thread's next checked batch.
        ahead = read_ahead(batches)
        try:
            while True:
                started = time.perf_counter()
                try:
                    batch = next(ahead)
                except StopIteration:
                    return
                finally:
                    add("waiting for the reading thread", started)
                yield batch
        finally:
            ahead.close()

    def timed_copy(*args):
        started = time.perf_counter()
        try:
            return copy(*args)
        finally:
            add("COPY", started)

    def timed_commit():
        started = time.perf_counter()
        try:
            return commit()
        finally:
            add("COMMIT", started)

    sales_copy._copy, connection._commit = timed_copy, timed_commit
    sales_import._read_ahead = timed_read_ahead
    try:
        with connection.execute_wrapper(timed):
            yield spent
    finally:
        sales_copy._copy, connection._commit, sales_import._read_ahead = copy, commit, read_ahead


def show_spent(spent, seconds):
    for what, (took, count) in sorted(spent.items(), key=lambda item: -item[1][0]):
        if took >= 0.05:
            print(f"    {took:6.1f} s {took * 100 / seconds:3.0f}%  {count:5d}x  {what}")


def explain(mall, path, rows):
    """EXPLAIN (ANALYZE, BUFFERS, WAL) of each statement of one batch of the COPY path, in a
    transaction rolled back at the end. Each statement is explained in a savepoint with the
    foreign keys checked at once (their trigger times show), rolled back, then run for real."""
    from django.db import connection, transaction
    from django.utils import timezone

    from followups.models import SalesImport
    from followups.services import sales_import as importer
    from followups.services.reading import read_rows
    from followups.services.sales_copy import save_by_copy
    from servicedesk import mall_settings

    tz = timezone.get_current_timezone()
    now = timezone.now()
    months = mall_settings.value("warranty_months", mall.pk, on=timezone.localdate(now, tz))
    directory = importer.MallDirectory(mall)
    batch = list(itertools.islice(read_rows(path), rows))
    checked = importer.sales_rows_check(batch, directory=directory, now=now, warranty_months=months, tz=tz)

    def explained(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            cursor = context["cursor"]
            cursor.execute("SAVEPOINT bench_explain")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            backend = cpu_seconds()[1]
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, WAL, VERBOSE false) {sql}", params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
            if backend is not None:
                plan += f"\nCPU of the backend: {cpu_seconds()[1] - backend:.2f} s"
            cursor.execute("ROLLBACK TO SAVEPOINT bench_explain")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            print(f"--- {' '.join(sql.split()[:3])} ...\n{plan}\n")
        return execute(sql, params, many, context)

    with transaction.atomic():
        run = SalesImport.objects.create(mall=mall, file_name="explain", status="running")
        with connection.execute_wrapper(explained):
            outcome = save_by_copy(run, [row for _n, row in checked.good.values()], now, importer.COMPARED)
        print(f"{len(outcome):,} rows: {collections.Counter(outcome.values())}; rolled back")
        transaction.set_rollback(True)


def experiment(batch, settings):
    """--batch and --set: another batch size, session settings of the bench's own connection
    (the import runs on it, in this thread)."""
    from django.db import connection

    from followups.services import sales_import

    if batch:
        sales_import.IMPORT_BATCH_ROWS = batch
    with connection.cursor() as cursor:
        for setting in settings:
            name, value = setting.split("=", 1)
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    print(f"batch {sales_import.IMPORT_BATCH_ROWS:,} rows" + "".join(f"; {setting}" for setting in settings))


def bench_mall(code):
    """(mall, booth number): the existing mall `code` and a booth let all June 2025, or BENCH."""
    from datetime import date

    from django.core.management import call_command
    from django.db.models import Q

    from merchants.credit_code import with_check_character
    from merchants.models import Booth, BoothTenancy, Merchant
    from servicedesk.models import Mall

    if code:
        mall = Mall.objects.get(code=code)
        tenancy = (
            BoothTenancy.objects.filter(mall=mall, start_date__lte=date(2025, 6, 1))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=date(2025, 6, 28)))
            .select_related("booth")
            .order_by("pk")
            .first()
        )
        return mall, tenancy.booth.number
    call_command("migrate", verbosity=0)
    mall, _ = Mall.objects.get_or_create(code="BENCH", defaults={"name": "基准测试商场", "city": "上海"})
    merchant, _ = Merchant.objects.get_or_create(
        mall=mall,
        brand="基准品牌",
        defaults={"company_name": "基准家居有限公司", "credit_code": with_check_character("91310107000000001")},
    )
    booth, created = Booth.objects.get_or_create(
        mall=mall, number="BENCH-001", defaults={"floor": "1F", "merchant": merchant}
    )
    if created:
        BoothTenancy.objects.create(mall=mall, booth=booth, merchant=merchant, start_date=date(2020, 1, 1))
    return mall, booth.number


def clean_up(mall, runs, last_customer):
    """Delete what the bench's runs wrote: their sales, the customers added after
    `last_customer` in the mall, the runs; then VACUUM ANALYZE the two big tables."""
    from django.db import connection

    from followups.models import Sale, SalesImport
    from servicedesk.models import Customer

    started = time.perf_counter()
    sales = Sale.objects.filter(mall=mall, imported_by_run__in=runs)._raw_delete(Sale.objects.db)
    customers = Customer.objects.filter(mall=mall, pk__gt=last_customer)._raw_delete(Customer.objects.db)
    SalesImport.objects.filter(pk__in=runs)._raw_delete(SalesImport.objects.db)
    with connection.cursor() as cursor:
        for model in (Sale, Customer):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    print(
        f"cleaned up: {sales:,} sales, {customers:,} customers, {len(runs)} runs deleted, "
        f"tables vacuumed, in {time.perf_counter() - started:.0f} s"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--mall", default="", help="an existing mall's code (a generated chain's)")
    parser.add_argument("--keep", action="store_true", help="keep the imported rows")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE one batch of --rows rows")
    parser.add_argument("--batch", type=int, default=0, help="rows per batch (default: IMPORT_BATCH_ROWS)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the bench's connection, e.g. synchronous_commit=off (experiments)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Max

    from followups.models import SalesImport
    from followups.services import sales_import_file
    from servicedesk.models import Customer

    mall, booth = bench_mall(args.mall)
    print(f"{yardstick()}; mall {mall.code}, booth {booth}")
    experiment(args.batch, args.set)
    if args.explain:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "sales.csv"
            generate(path, args.rows, booth)
            explain(mall, path, args.rows)
        return
    last_customer = Customer.objects.aggregate(last=Max("pk"))["last"] or 0
    last_run = SalesImport.objects.aggregate(last=Max("pk"))["last"] or 0
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "sales.csv"
            started = time.perf_counter()
            generate(path, args.rows, booth)
            print(
                f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
                f"in {time.perf_counter() - started:.1f} s"
            )
            for label in ("first import", "re-import"):
                started, (cpu, backend) = time.perf_counter(), cpu_seconds()
                saving = time.thread_time()
                with time_spent() as spent:
                    run = sales_import_file(mall=mall, path=path)
                seconds = time.perf_counter() - started
                saving = time.thread_time() - saving
                cpu_after, backend_after = cpu_seconds()
                used = f"CPU: this process {cpu_after - cpu:.1f} s (the saving thread {saving:.1f} s)"
                if backend is not None:
                    used += f", its PostgreSQL backend {backend_after - backend:.1f} s"
                print(
                    f"{label}: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s "
                    f"(added {run.created:,}, corrected {run.updated:,}, "
                    f"unchanged {run.unchanged:,}, rejected {run.rejected:,}; {run.status} {run.error}); {used}"
                )
                show_spent(spent, seconds)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory {peak:.0f} MB; {yardstick()}")
    finally:
        if not args.keep:
            runs = list(SalesImport.objects.filter(mall=mall, pk__gt=last_run).values_list("pk", flat=True))
            clean_up(mall, runs, last_customer)


if __name__ == "__main__":
    main()
