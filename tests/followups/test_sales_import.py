from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followups.models import ImportStatus, Sale
from followups.services import sales_import_file
from knowledge.models import WarrantyPolicy
from servicedesk.models import Customer
from tests.factories import CustomerFactory
from tests.followups.factories import sale_row, write_csv, write_xlsx
from tests.merchants.factories import BoothFactory

# Every test on both ways of saving (PostgreSQL: COPY and batched INSERTs), same expectations.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("save_path")]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        yield


@pytest.fixture
def booth(mall):
    return BoothFactory(merchant__mall=mall, number="2F-A-001", merchant__brand="顾家家居")


def test_good_csv_imports_every_row_and_matches_customers_by_mobile(mall, booth, tmp_path):
    known = CustomerFactory(mall=mall, mobile="13900000001", name="老顾客")
    rows = [sale_row(1, 手机="139 0000 0001"), sale_row(2), sale_row(3, 商户或展位="顾家家居")]
    run = sales_import_file(mall=mall, path=write_csv(tmp_path / "sales.csv", rows))

    assert run.status == ImportStatus.DONE
    assert (run.created, run.updated, run.unchanged, run.rejected) == (3, 0, 0, 0)
    first = Sale.objects.get(order_number="XS00000001")
    assert first.customer == known, "matched by normalised mobile"
    assert Customer.objects.get(pk=known.pk).name == "老顾客", "an existing customer is not renamed"
    assert first.booth == booth and first.merchant == booth.merchant
    assert first.amount == Decimal("6800.00")
    assert first.delivery_date == date(2026, 3, 5)
    assert first.warranty_ends_on == date(2027, 3, 5)
    by_brand = Sale.objects.get(order_number="XS00000003")
    assert by_brand.merchant == booth.merchant and by_brand.booth is None
    assert Customer.objects.filter(mall=mall).count() == 3


def test_a_row_without_warranty_months_gets_the_malls_furniture_warranty(mall, other_mall, tmp_path):
    # DOMAIN §1: "Furniture warranty: at least 12 months by default [default]": a mall's setting
    # (knowledge.WarrantyPolicy), not a constant of the import.
    WarrantyPolicy.objects.create(mall=mall, effective_from=date(2026, 1, 1), warranty_months=24)
    BoothFactory(merchant__mall=mall, number="2F-A-001")
    BoothFactory(merchant__mall=other_mall, number="2F-A-001")
    for where in (mall, other_mall):
        run = sales_import_file(mall=where, path=write_csv(tmp_path / f"{where.code}.csv", [sale_row(1, 保修月数="")]))
        assert run.created == 1
    assert Sale.objects.get(mall=mall).warranty_ends_on == date(2028, 3, 5)
    assert Sale.objects.get(mall=other_mall).warranty_ends_on == date(2027, 3, 5)  # the default, 12


def test_xlsx_and_gb18030_csv_import_too(mall, booth, tmp_path):
    run = sales_import_file(mall=mall, path=write_xlsx(tmp_path / "sales.xlsx", [sale_row(1), sale_row(2)]))
    assert run.created == 2
    run = sales_import_file(mall=mall, path=write_csv(tmp_path / "gbk.csv", [sale_row(3)], encoding="gb18030"))
    assert run.created == 1
    assert Sale.objects.get(order_number="XS00000003").customer.name == "顾客3"


def test_bad_rows_are_reported_with_row_numbers_and_good_rows_still_import(mall, booth, tmp_path):
    rows = [
        sale_row(1),
        sale_row(2, 手机="12345"),
        sale_row(3, 金额="-5"),
        sale_row(4, 送货日期="2026-02-01"),  # before payment
        sale_row(5, 商户或展位="9F-Z-999"),
        sale_row(6, 付款时间="2026-04-01 10:00"),  # future
        sale_row(7, 订单号=""),
        sale_row(8),
    ]
    run = sales_import_file(mall=mall, path=write_csv(tmp_path / "sales.csv", rows))

    assert run.created == 2 and run.rejected == 6
    problems = {(p["row"], p["column"]) for p in run.problems}
    assert problems == {(3, "手机"), (4, "金额"), (5, "送货日期"), (6, "商户或展位"), (7, "付款时间"), (8, "订单号")}
    assert set(Sale.objects.values_list("order_number", flat=True)) == {"XS00000001", "XS00000008"}


def test_a_file_without_the_required_headers_imports_nothing(mall, booth, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("订单号,金额\nXS1,100\n", encoding="utf-8")
    run = sales_import_file(mall=mall, path=path)
    assert run.status == ImportStatus.FAILED
    assert "手机" in run.error
    assert not Sale.objects.exists()


def test_reimport_changes_nothing_and_a_correction_updates(mall, booth, tmp_path):
    rows = [sale_row(n) for n in range(1, 6)]
    path = write_csv(tmp_path / "sales.csv", rows)
    sales_import_file(mall=mall, path=path)
    before = list(Sale.objects.order_by("pk").values())

    again = sales_import_file(mall=mall, path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert list(Sale.objects.order_by("pk").values()) == before, "not even the import run changes"

    rows[0]["送货日期"] = "2026-03-06"
    fixed = sales_import_file(mall=mall, path=write_csv(tmp_path / "fixed.csv", rows))
    assert (fixed.created, fixed.updated, fixed.unchanged) == (0, 1, 4)
    assert Sale.objects.get(order_number="XS00000001").delivery_date == date(2026, 3, 6)
    assert Sale.objects.count() == 5


def test_the_same_order_number_in_two_malls_is_two_sales(mall, other_mall, booth, tmp_path):
    BoothFactory(merchant__mall=other_mall, number="2F-A-001")
    path = write_csv(tmp_path / "sales.csv", [sale_row(1)])
    sales_import_file(mall=mall, path=path)
    sales_import_file(mall=other_mall, path=path)
    assert Sale.objects.filter(order_number="XS00000001").count() == 2
    assert Sale.objects.get(mall=other_mall).customer.mall == other_mall


def test_ten_thousand_rows_import_with_a_fixed_number_of_queries_per_batch(mall, booth, tmp_path):
    rows = [sale_row(n, 手机=f"139{n % 4000:08d}") for n in range(10_000)]
    path = write_csv(tmp_path / "sales.csv", rows)
    with CaptureQueriesContext(connection) as queries:
        run = sales_import_file(mall=mall, path=path)
    assert run.created == 10_000 and run.rejected == 0
    assert Sale.objects.filter(mall=mall).count() == 10_000
    assert Customer.objects.filter(mall=mall).count() == 4000
    # 5 batches of 2,000 rows, each a handful of statements (about 50 in all on PostgreSQL;
    # SQLite splits the customer insert into smaller chunks): never one query per row.
    assert len(queries) < 150, len(queries)

    again = sales_import_file(mall=mall, path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10_000)


def test_management_command(mall, booth, tmp_path, capsys):
    path = write_csv(tmp_path / "sales.csv", [sale_row(1), sale_row(2, 手机="x")])
    call_command("import_sales", str(path), "--mall", "SH01")
    out = capsys.readouterr().out
    assert "1 sales added" in out and "row 3 手机" in out
    assert Sale.objects.count() == 1
