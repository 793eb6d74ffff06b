"""Import the unified cashier's sales (DOMAIN.md §6), set-based and streamed, for files of
millions of rows.

The file is read row by row and saved in batches: per batch one INSERT of new customers (found
again by normalised mobile), one SELECT of their ids, one SELECT of the orders already known
and one INSERT ... ON CONFLICT (mall, order number) DO UPDATE for the sales. A re-imported
order that is unchanged is not written at all (the update's WHERE); a corrected one (the
cashier filled in the delivery date later) is updated.

Good rows are imported and bad rows are reported by row number and column: a cashier's export
of a million rows should not be refused for one typo, and because the import is idempotent the
corrected rows can simply be uploaded again (in the same file or alone).
"""

import itertools
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from merchants.models import Booth, BoothTenancy, Merchant
from servicedesk.access import require_role
from servicedesk.enqueue import enqueue
from servicedesk.models import Customer
from servicedesk.roles import Role

from ..models import ImportStatus, Sale, SalesImport
from .reading import count_rows, read_rows
from .rows import RowError, parse_row

log = logging.getLogger(__name__)

BATCH_ROWS = 2000  # 13 parameters a row stays under PostgreSQL's 65,535 and SQLite's 32,766
MAX_PROBLEMS_KEPT = 1000
IMPORTERS = (Role.CLERK, Role.SUPERVISOR, Role.MANAGER)
SALE_COLUMNS = (
    "mall_id",
    "order_number",
    "paid_at",
    "customer_id",
    "merchant_id",
    "booth_id",
    "goods",
    "model",
    "quantity",
    "amount",
    "delivery_date",
    "warranty_months",
    "warranty_ends_on",
    "imported_by_run_id",
    "created_at",
)
# Compared to decide whether a re-imported order changed; the run and created_at are not data.
COMPARED = SALE_COLUMNS[2:13]


class MallDirectory:
    """The mall's booths, tenancies and merchants, loaded once per import (hundreds of rows),
    so "merchant or booth" is resolved in memory instead of one query per sale."""

    def __init__(self, mall):
        self.booths = {number.upper(): pk for pk, number in Booth.objects.filter(mall=mall).values_list("pk", "number")}
        self.tenancies = {}
        for booth_id, merchant_id, start, end in BoothTenancy.objects.filter(mall=mall).values_list(
            "booth_id", "merchant_id", "start_date", "end_date"
        ):
            self.tenancies.setdefault(booth_id, []).append((start, end, merchant_id))
        self.merchants = {}
        for pk, brand, company in Merchant.objects.filter(mall=mall).values_list("pk", "brand", "company_name"):
            self.merchants.setdefault(brand.strip().lower(), pk)
            self.merchants.setdefault(company.strip().lower(), pk)

    def resolve(self, value, day):
        """(merchant id, booth id) for "A-101", "A-101 顾家家居" or a brand; RowError if unknown."""
        candidates = [value.strip().upper(), value.split()[0].upper()]
        for number in candidates:
            booth_id = self.booths.get(number)
            if booth_id is not None:
                for start, end, merchant_id in self.tenancies.get(booth_id, ()):
                    if start <= day and (end is None or end >= day):
                        return merchant_id, booth_id
                raise RowError(
                    "merchant_or_booth",
                    _("Booth %(booth)s was not let to any merchant on %(day)s.") % {"booth": number, "day": day},
                )
        merchant_id = self.merchants.get(value.strip().lower())
        if merchant_id is not None:
            return merchant_id, None
        raise RowError("merchant_or_booth", _("No booth or merchant “%(value)s” in this mall.") % {"value": value})


@transaction.atomic
def sales_import_start(*, mall, upload, actor):
    """Keep the uploaded file and queue its import; the page then polls the run's progress."""
    require_role(actor, mall, *IMPORTERS)
    name = getattr(upload, "name", "") or "sales.csv"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": _("Upload the cashier's export as .csv or .xlsx.")})
    run = SalesImport(mall=mall, file_name=name[:200], created_by=actor)
    run.file.save(name, upload, save=False)
    run.save()
    from ..tasks import import_sales

    # The queued run is the record; if the broker is down, resume_queued_imports starts it later.
    transaction.on_commit(lambda: enqueue(import_sales, run.pk))
    return run


def sales_import_file(*, mall, path, actor=None):
    """Import a file on disk (the management command); returns the finished run."""
    if actor is not None:
        require_role(actor, mall, *IMPORTERS)
    run = SalesImport.objects.create(mall=mall, file_name=str(path)[-200:], created_by=actor)
    return sales_import_run(run=run, path=path)


def sales_import_run(*, run, path=None):
    """Do the import of `run` (queued by the browser or the command). Safe to run again: a
    finished run is left alone, and a re-run of an interrupted one writes each order once."""
    run = SalesImport.objects.select_related("mall").get(pk=run.pk)
    if run.finished:
        return run
    path = path or run.file.path
    try:
        total = count_rows(path)
        SalesImport.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING, total_rows=total)
        directory = MallDirectory(run.mall)
        problems, rejected = [], 0
        rows = read_rows(path)
        while batch := list(itertools.islice(rows, BATCH_ROWS)):
            bad = _import_batch(run, batch, directory)
            rejected += len(bad)
            problems.extend(bad[: max(0, MAX_PROBLEMS_KEPT - len(problems))])
        SalesImport.objects.filter(pk=run.pk).update(
            status=ImportStatus.DONE, problems=problems, rejected=rejected, finished_at=timezone.now()
        )
    except ValidationError as error:
        SalesImport.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, error=" ".join(error.messages), finished_at=timezone.now()
        )
    except Exception as error:
        log.exception("sales import %s failed", run.pk)
        SalesImport.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def _import_batch(run, batch, directory):
    """Check and save one batch; returns its problems. One transaction per batch: a crash
    halfway keeps the batches already saved, and importing the file again completes it."""
    now = timezone.now()
    today = timezone.localdate()
    good, problems = {}, []
    for number, raw in batch:
        try:
            row = parse_row(raw, today=today, now=now)
            row["merchant_id"], row["booth_id"] = directory.resolve(
                row["merchant_or_booth"], timezone.localdate(row["paid_at"])
            )
        except RowError as error:
            problems.append({"row": number, "column": error.column, "message": error.message})
            continue
        # The same order twice in one file: the later row wins (one statement cannot write a
        # row twice).
        good[row["order_number"]] = row
    with transaction.atomic():
        customers = _customers_for(run.mall, good.values())
        created, updated, unchanged = _upsert_sales(run, good.values(), customers, now)
    SalesImport.objects.filter(pk=run.pk).update(
        rows_done=F("rows_done") + len(batch),
        created=F("created") + created,
        updated=F("updated") + updated,
        unchanged=F("unchanged") + unchanged,
        rejected=F("rejected") + len(problems),
    )
    return problems


def _customers_for(mall, rows):
    """{mobile: customer id}: new mobiles become customers; known ones keep their record."""
    names = {}
    for row in rows:
        names.setdefault(row["mobile"], row["customer_name"])
    if not names:
        return {}
    Customer.objects.bulk_create(
        [Customer(mall=mall, mobile=mobile, name=name) for mobile, name in names.items()],
        ignore_conflicts=True,
        batch_size=BATCH_ROWS,
    )
    return dict(Customer.objects.filter(mall=mall, mobile__in=list(names)).values_list("mobile", "pk"))


def _upsert_sales(run, rows, customers, now):
    rows = list(rows)
    if not rows:
        return 0, 0, 0
    order_numbers = [row["order_number"] for row in rows]
    known = Sale.objects.filter(mall=run.mall, order_number__in=order_numbers).count()
    fields = [Sale._meta.get_field(column.removesuffix("_id")) for column in SALE_COLUMNS]
    params = []
    for row in rows:
        values = {
            **row,
            "mall_id": run.mall_id,
            "customer_id": customers[row["mobile"]],
            "imported_by_run_id": run.pk,
            "created_at": now,
        }
        params.extend(
            field.get_db_prep_save(values[column], connection)
            for field, column in zip(fields, SALE_COLUMNS, strict=True)
        )
    table = connection.ops.quote_name(Sale._meta.db_table)
    placeholders = "(" + ", ".join(["%s"] * len(SALE_COLUMNS)) + ")"
    # Only column names and placeholders are formatted in; every value is a parameter.
    values = ", ".join([placeholders] * len(rows))
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*COMPARED, "imported_by_run_id"))
    changed = " OR ".join(f"{table}.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in COMPARED)
    sql = (
        f"INSERT INTO {table} ({', '.join(SALE_COLUMNS)}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (mall_id, order_number) DO UPDATE SET {assignments} WHERE {changed}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount
    created = len(rows) - known
    updated = max(0, written - created)
    return created, updated, known - updated


# A run still "queued" after this long lost its message (broker down when it was queued).
RESUME_AFTER = timedelta(minutes=5)


def resume_queued_imports(now=None):
    """Run the imports whose message never reached a worker; sales_import_run is safe to repeat."""
    cutoff = (now or timezone.now()) - RESUME_AFTER
    runs = SalesImport.objects.filter(status=ImportStatus.QUEUED, created_at__lte=cutoff).order_by("pk")
    return [sales_import_run(run=run).pk for run in runs]
