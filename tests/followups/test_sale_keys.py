"""A sale never points at a missing mall, customer, merchant, booth or import run (issue 22,
followups migration 0011): on PostgreSQL the five keys are checked by statement-level triggers
instead of foreign keys, set-based, and the referenced rows cannot be deleted, renumbered or
truncated while a sale points at them. The errors are PostgreSQL's foreign-key error (SQLSTATE
23503), naming the column."""

import threading
import time
from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test import override_settings

from followups.models import ImportStatus, Sale, SalesImport
from followups.services import sales_import as importer
from followups.services import sales_import_file
from merchants.models import Booth, Merchant
from servicedesk.models import Customer, Mall
from tests.factories import CustomerFactory, MallFactory
from tests.followups.factories import SaleFactory, sale_row, write_csv
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db
MISSING = 9_000_000_000_000  # no row has this id
KEYS = ("mall", "customer", "merchant", "booth", "imported_by_run")


@pytest.fixture
def sale(postgres, mall):
    booth = BoothFactory(merchant__mall=mall)
    run = SalesImport.objects.create(mall=mall, file_name="a.csv", status=ImportStatus.DONE)
    return SaleFactory(mall=mall, merchant=booth.merchant, booth=booth, imported_by_run=run)


def refused(error, column):
    """The database's foreign-key error for `column` of followups_sale (not another table's)."""
    cause = error.value.__cause__
    assert cause.pgcode == "23503", cause
    assert cause.diag.column_name == column and cause.diag.table_name == "followups_sale"
    assert column in str(cause)
    return True


def new_sale(sale, **values):
    """An unsaved copy of `sale` under another order number, with `values` set."""
    copy = Sale(
        **{field.attname: getattr(sale, field.attname) for field in Sale._meta.concrete_fields if field.name != "id"}
    )
    copy.order_number = f"{sale.order_number}-2"
    for name, value in values.items():
        setattr(copy, name, value)
    return copy


@pytest.mark.parametrize("key", KEYS)
def test_a_sale_with_a_missing_reference_is_refused_on_create(sale, key):
    column = f"{key}_id"
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        new_sale(sale, **{column: MISSING}).save()
    assert refused(error, column)
    assert Sale.objects.count() == 1


@pytest.mark.parametrize("key", KEYS)
def test_a_bulk_create_with_one_missing_reference_is_refused_whole(sale, key):
    column = f"{key}_id"
    good = new_sale(sale)
    bad = new_sale(sale, order_number="XS-BAD", **{column: MISSING})
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Sale.objects.bulk_create([good, bad])
    assert refused(error, column)
    assert Sale.objects.count() == 1


@pytest.mark.parametrize("key", KEYS)
def test_an_update_to_a_missing_reference_is_refused(sale, key):
    column = f"{key}_id"
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Sale.objects.filter(pk=sale.pk).update(**{column: MISSING})
    assert refused(error, column)
    setattr(sale, column, MISSING)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        sale.save()
    assert refused(error, column)
    assert getattr(Sale.objects.get(pk=sale.pk), column) != MISSING


def test_the_nullable_references_may_be_empty_and_the_good_ones_pass(sale):
    plain = new_sale(sale, merchant_id=None, booth_id=None, imported_by_run_id=None)
    plain.save()
    Sale.objects.bulk_create([new_sale(sale, order_number="XS-3"), new_sale(sale, order_number="XS-4", booth=None)])
    Sale.objects.filter(pk=sale.pk).update(booth=None, merchant=None)
    assert Sale.objects.count() == 4
    with pytest.raises(IntegrityError), transaction.atomic():
        Sale.objects.filter(pk=sale.pk).update(customer_id=None)  # NOT NULL, as before


def referenced_rows(sale):
    return {
        "mall": (Mall, sale.mall_id),
        "customer": (Customer, sale.customer_id),
        "merchant": (Merchant, sale.merchant_id),
        "booth": (Booth, sale.booth_id),
        "imported_by_run": (SalesImport, sale.imported_by_run_id),
    }


def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("key", KEYS)
def test_deleting_a_referenced_row_is_refused_by_the_database(sale, key):
    model, pk = referenced_rows(sale)[key]
    table = model._meta.db_table
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608 (the ORM would stop first)
    assert refused(error, f"{key}_id")
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        execute(f"UPDATE {table} SET id = %s WHERE id = %s", [MISSING, pk])  # noqa: S608
    assert refused(error, f"{key}_id")
    assert model.objects.filter(pk=pk).exists()
    # And through the ORM, as before: PROTECT.
    with pytest.raises(ProtectedError), transaction.atomic():
        model.objects.filter(pk=pk).delete()


def test_rows_no_sale_references_can_still_be_deleted_and_referenced_ones_changed(sale, mall):
    spare = CustomerFactory(mall=mall)
    execute("DELETE FROM servicedesk_customer WHERE id = %s", [spare.pk])
    assert not Customer.objects.filter(pk=spare.pk).exists()
    Customer.objects.filter(pk=sale.customer_id).update(name="改过名")  # not the id: no check
    # The sale first, then its customer: allowed in one transaction.
    with transaction.atomic():
        execute("DELETE FROM followups_sale WHERE id = %s", [sale.pk])
        execute("DELETE FROM followups_salesimport WHERE id = %s", [sale.imported_by_run_id])
    assert not SalesImport.objects.exists()


def test_truncating_a_referenced_table_is_refused_unless_the_sales_go_too(sale):
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own deferred checks, else no TRUNCATE at all
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        execute("TRUNCATE followups_salesimport")
    assert "imported_by_run_id" in str(error.value)
    with transaction.atomic():
        execute("TRUNCATE followups_salesimport, followups_sale CASCADE")
        assert not Sale.objects.exists()
        transaction.set_rollback(True)
    assert Sale.objects.exists()


PATHS = {"copy": True, "batched": False}


@pytest.mark.parametrize("path_name", PATHS)
@pytest.mark.parametrize("key", ["booth", "merchant"])
def test_an_import_row_whose_booth_or_merchant_vanished_is_reported_and_the_others_saved(
    postgres, mall, tmp_path, monkeypatch, path_name, key
):
    """The import resolves booths and merchants from the mall's directory, loaded once per run:
    a booth or merchant deleted after that (the app never deletes them) leaves the directory
    naming a row that is gone. The database refuses the batch; it is saved row by row, the row
    is reported and the others are imported, as for any row the database refuses."""
    with time_machine.travel("2025-01-01 10:00 +0800"):
        BoothFactory(merchant__mall=mall, number="2F-A-001")
    real_init = importer.MallDirectory.__init__

    def with_a_vanished_row(directory, mall):
        real_init(directory, mall)
        if key == "booth":
            directory.booths["9F-GONE"] = MISSING
            directory.tenancies[MISSING] = [(date(2025, 1, 1), None, next(iter(directory.merchants.values())))]
        else:
            directory.merchants["消失的品牌"] = MISSING

    copied = []
    real_copy = importer.save_by_copy
    monkeypatch.setattr(importer.MallDirectory, "__init__", with_a_vanished_row)
    monkeypatch.setattr(importer, "save_by_copy", lambda *args: copied.append(1) or real_copy(*args))
    gone = "9F-GONE" if key == "booth" else "消失的品牌"
    rows = [sale_row(1), sale_row(2), sale_row(3, booth=gone), sale_row(4)]
    with (
        override_settings(SALES_IMPORT_COPY=PATHS[path_name]),
        time_machine.travel("2026-03-20 10:00 +0800", tick=False),
    ):
        run = sales_import_file(mall=mall, path=write_csv(tmp_path / "s.csv", rows))
    assert bool(copied) == PATHS[path_name]
    assert (run.status, run.created, run.rejected) == (ImportStatus.DONE, 3, 1)
    assert run.problems[0]["row"] == 4 and "无法保存" in run.problems[0]["message"]
    assert set(Sale.objects.values_list("order_number", flat=True)) == {f"XS0000000{n}" for n in (1, 2, 4)}


def wait_for_a_waiting_lock(seconds=20):
    """Until another connection to this database waits for a row lock (polled, not slept on)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # A row lock is waited for as the holder's transaction id (no database in pg_locks);
            # the activity view is read afresh, not from this transaction's snapshot of it.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE NOT l.granted AND l.pid <> pg_backend_pid() AND a.datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise AssertionError("the other connection never waited for a lock")


def in_a_thread(work):
    """Run `work` on a connection of its own; returns (thread, outcome dict)."""
    outcome = {}

    def run():
        try:
            with transaction.atomic():
                work()
            outcome["done"] = True
        except IntegrityError as error:
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_delete_racing_a_new_sale_waits_for_it_and_is_then_refused(postgres):
    """The sale's check locks its customer as a foreign key would: a delete of that customer
    waits for the sale's transaction, then sees the sale and is refused."""
    mall = MallFactory(code="SH01")
    customer = CustomerFactory(mall=mall)
    with transaction.atomic():
        SaleFactory(mall=mall, customer=customer)
        thread, outcome = in_a_thread(lambda: execute("DELETE FROM servicedesk_customer WHERE id = %s", [customer.pk]))
        wait_for_a_waiting_lock()
    thread.join(30)
    assert not thread.is_alive()
    error = outcome["error"]
    assert error.__cause__.pgcode == "23503" and error.__cause__.diag.column_name == "customer_id"
    assert Customer.objects.filter(pk=customer.pk).exists() and Sale.objects.count() == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_new_sale_racing_a_delete_of_its_customer_waits_for_it_and_is_then_refused(postgres):
    mall = MallFactory(code="SH01")
    customer = CustomerFactory(mall=mall)
    with transaction.atomic():
        execute("DELETE FROM servicedesk_customer WHERE id = %s", [customer.pk])
        thread, outcome = in_a_thread(lambda: SaleFactory(mall=mall, customer=customer))
        wait_for_a_waiting_lock()
    thread.join(30)
    assert not thread.is_alive()
    error = outcome["error"]
    assert error.__cause__.pgcode == "23503" and error.__cause__.diag.column_name == "customer_id"
    assert not Sale.objects.exists()
