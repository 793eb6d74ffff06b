"""Time the sales import against PostgreSQL: generate a cashier export, import it twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/servicedesk_bench \
        .venv/bin/python bench/import_sales.py --rows 100000

Uses (and migrates) the database DATABASE_URL names; creates a mall BENCH and one booth. Prints
rows per second for the first import and for the re-import (which must change nothing), and
the peak memory of the process. Not part of `make test`.
"""

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")


def generate(path, rows):
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
            goods = ["BENCH-001", "布艺沙发", "FS-3", 1, f"{1000 + n % 9000}.00", f"2025-07-{day:02d}", 12]
            writer.writerow([*buyer, *goods])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command

    from followups.services import sales_import_file
    from merchants.credit_code import with_check_character
    from merchants.models import Booth, BoothTenancy, Merchant
    from servicedesk.models import Mall

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

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sales.csv"
        started = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        for label in ("first import", "re-import"):
            started = time.perf_counter()
            run = sales_import_file(mall=mall, path=path)
            seconds = time.perf_counter() - started
            print(
                f"{label}: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s "
                f"(added {run.created:,}, corrected {run.updated:,}, "
                f"unchanged {run.unchanged:,}, rejected {run.rejected:,})"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
