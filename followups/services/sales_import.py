"""Import the unified cashier's sales (DOMAIN.md §6), set-based and streamed, for files of
millions of rows.

The file is read row by row and saved in batches of IMPORT_BATCH_ROWS, each checked in Python
(rows.parse_row, MallDirectory) by a reading thread one batch ahead of the saving. On PostgreSQL
a batch is saved by COPY into a temporary table and two set-based statements (sales_copy.py; the
reading thread also makes the COPY text, so the saving thread only sends it);
elsewhere (SQLite), or when PostgreSQL refuses the batch, by chunks of BATCH_ROWS: one INSERT of
new customers (found again by normalised mobile), one SELECT of their ids, one SELECT of the
orders already known and one INSERT ... ON CONFLICT (mall, order number) DO UPDATE for the
sales. Both give the same results. A re-imported order that is unchanged is not written at all;
a corrected one (the cashier filled in the delivery date later) is updated.

Good rows are imported and bad rows are reported by row number and column: a cashier's export
of a million rows should not be refused for one typo, and because the import is idempotent the
corrected rows can simply be uploaded again (in the same file or alone).

A run is resumable (issue #14): each batch commits its sales together with the run's progress
(`rows_done` is the checkpoint, `heartbeat_at` says the run is alive), so a run whose worker
died is picked up by the `resume_stalled_imports` sweep and continues after its last committed
batch, counting every row once. A batch the database refuses (a byte PostgreSQL cannot store)
is saved row by row, so one bad row is reported and the others are imported.
"""

import contextlib
import itertools
import logging
import queue
import threading
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from merchants.models import Booth, BoothTenancy, Merchant
from servicedesk import mall_settings
from servicedesk.access import require_role
from servicedesk.enqueue import enqueue
from servicedesk.models import Customer
from servicedesk.roles import Role

from ..models import ImportStatus, Sale, SalesImport
from .reading import count_rows, read_rows
from .rows import RowError, parse_row
from .sales_copy import copy_path, save_by_copy, staged_rows

log = logging.getLogger(__name__)

BATCH_ROWS = 2000  # 13 parameters a row stays under PostgreSQL's 65,535 and SQLite's 32,766
# Rows of a file checked and saved together, with one checkpoint. On PostgreSQL one COPY and a few
# statements whatever the size, so a big batch spreads their fixed cost; elsewhere the batch is
# written in BATCH_ROWS chunks. The same on both paths, so both give the same counts (an order
# twice within one batch: the later row wins and the earlier is "superseded").
IMPORT_BATCH_ROWS = 20_000
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
    limit = settings.SALES_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is %(size)s; the limit for an upload is %(limit)s. Split the export by date, "
                    "or ask the administrator to import it on the server (manage.py import_sales)."
                )
                % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    run = SalesImport(mall=mall, file_name=name[:200], created_by=actor)
    run.file.save(name, upload, save=False)
    run.save()
    from ..tasks import import_sales

    # The queued run is the record; if the broker is down, resume_queued_imports starts it later.
    transaction.on_commit(lambda: enqueue(import_sales, run.pk))
    return run


def sales_import_file(*, mall, path, actor=None):
    """Import a file on disk (the management command); returns the finished run. The run
    records the file's path, so a command killed halfway is resumed by the sweep."""
    if actor is not None:
        require_role(actor, mall, *IMPORTERS)
    path = Path(path).resolve()
    run = SalesImport.objects.create(
        mall=mall, file_name=str(path)[-200:], source_path=str(path), created_by=actor, heartbeat_at=timezone.now()
    )
    return sales_import_run(run=run)


def stale_after():
    return timedelta(seconds=settings.SALES_IMPORT_STALE_SECONDS)


def _claim(run_id):
    """The run, marked running with a fresh heartbeat, or None if it is finished or another
    worker is working on it (its heartbeat is recent): a redelivered message does nothing.

    The claim is one conditional UPDATE: of two workers starting the same run at once, the
    second waits for the first's row lock, finds the row no longer claimable and gets 0 rows.
    """
    now = timezone.now()
    stale = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lte=now - stale_after())
    claimed = (
        SalesImport.objects.filter(pk=run_id)
        .filter(Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING) & stale)
        .update(status=ImportStatus.RUNNING, heartbeat_at=now)
    )
    if not claimed:
        return None
    return SalesImport.objects.select_related("mall").get(pk=run_id)


def _fail(run, message):
    SalesImport.objects.filter(pk=run.pk).update(
        status=ImportStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def sales_import_run(*, run):
    """Do the import of `run` (queued by the browser or the command), or go on with it after
    its last committed batch. Safe to run again: a finished run, or one another worker is
    alive on, is left alone; an interrupted one resumes and counts each row once."""
    claimed = _claim(run.pk)
    if claimed is None:
        return SalesImport.objects.get(pk=run.pk)
    run = claimed
    if run.source_path:
        path = Path(run.source_path)
    elif run.file:
        path = Path(run.file.path)
    else:
        path = None
    if path is None or not path.exists():
        _fail(run, _("The file of this import is no longer there; upload it again (the import is safe to repeat)."))
        return SalesImport.objects.get(pk=run.pk)
    try:
        if not run.total_rows:
            SalesImport.objects.filter(pk=run.pk).update(total_rows=count_rows(path))
        directory = MallDirectory(run.mall)
        tz = timezone.get_current_timezone()
        warranty_months = mall_settings.value("warranty_months", run.mall_id, on=timezone.localdate(timezone.now(), tz))
        staged = copy_path()  # decided here: the reading thread has no database connection

        def checked_batches():
            # Rows before the checkpoint were committed with it: skip them, count nothing twice.
            rows = itertools.islice(read_rows(path), run.rows_done, None)
            while batch := list(itertools.islice(rows, IMPORT_BATCH_ROWS)):
                now = timezone.now()
                yield sales_rows_check(
                    batch, directory=directory, now=now, warranty_months=warranty_months, tz=tz, staged=staged
                )

        with contextlib.closing(_read_ahead(checked_batches())) as batches:
            for batch in batches:
                _import_batch(run, batch, directory)
        SalesImport.objects.filter(pk=run.pk).update(status=ImportStatus.DONE, finished_at=timezone.now())
    except ValidationError as error:
        _fail(run, " ".join(error.messages))
    except UnicodeError:
        _fail(
            run, _("The file's characters cannot be read. Save it as CSV (UTF-8 or GB18030), Unicode text, or .xlsx.")
        )
    except Exception:
        log.exception("sales import %s failed", run.pk)
        _fail(
            run,
            _("The import stopped on an unexpected error after %(rows)s rows; the rows before it are saved.")
            % {"rows": SalesImport.objects.get(pk=run.pk).rows_done},
        )
    return SalesImport.objects.get(pk=run.pk)


def _read_ahead(batches):
    """Yield the items of the generator `batches`, made in a thread of their own one item ahead:
    the next batch of the file is read and checked (Python's work) while this thread waits on
    PostgreSQL saving the current one. The generator must not touch the database (the thread
    has no connection of its own, and in a test it would not see the test's rows); it runs in
    the caller's language, so its messages are the ones the caller would have made. At most
    three batches are alive (being saved, waiting, being read): memory stays flat. An error of
    the reader is raised here."""
    ahead = queue.Queue(maxsize=1)
    stop = threading.Event()
    language = translation.get_language()
    done = object()

    def read():
        try:
            with translation.override(language):
                for item in batches:
                    while not stop.is_set():
                        try:
                            ahead.put(item, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
                item = done
        except BaseException as error:  # handed to the caller, raised there
            item = error
        finally:
            batches.close()
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    reader = threading.Thread(target=read, name="sales-import-reader", daemon=True)
    reader.start()
    try:
        while (item := ahead.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()  # the caller stopped early (an error, the worker killed): the reader ends
        reader.join()


def _import_batch(run, batch, directory):
    """Save one checked batch (sales_rows_check), then the run's progress: a crash halfway
    keeps the batches already saved and the checkpoint that says so."""
    results = sales_rows_save(run=run, rows=None, directory=directory, checked=batch)
    counts = dict.fromkeys(RowResult.KINDS, 0)
    problems = []
    for result in results:
        counts[result.kind] += 1
        if result.kind == RowResult.REJECTED:
            problems.append({"row": result.row, "column": result.column, "message": result.message})
    with transaction.atomic():
        locked = SalesImport.objects.select_for_update(of=("self",), no_key=True).get(pk=run.pk)
        kept = locked.problems + problems[: max(0, MAX_PROBLEMS_KEPT - len(locked.problems))]
        SalesImport.objects.filter(pk=run.pk).update(
            rows_done=F("rows_done") + len(batch),
            created=F("created") + counts[RowResult.CREATED],
            updated=F("updated") + counts[RowResult.UPDATED],
            unchanged=F("unchanged") + counts[RowResult.UNCHANGED],
            rejected=F("rejected") + len(problems),
            problems=kept,
            heartbeat_at=timezone.now(),
        )
    return problems


class RowResult:
    """What became of one row of a batch: created, updated (a corrected order), unchanged (the
    same order again), rejected (with the column and the reason), or superseded (the same order
    number again later in the same batch, whose row was used)."""

    CREATED, UPDATED, UNCHANGED, REJECTED, SUPERSEDED = "created", "updated", "unchanged", "rejected", "superseded"
    KINDS = (CREATED, UPDATED, UNCHANGED, REJECTED, SUPERSEDED)
    __slots__ = ("column", "field", "kind", "message", "order_number", "row")

    def __init__(self, row, kind, order_number="", field="", column="", message=""):
        self.row, self.kind, self.order_number = row, kind, order_number
        self.field, self.column, self.message = field, column, message

    def __repr__(self):
        return f"RowResult({self.row!r}, {self.kind!r}, {self.order_number!r})"


class CheckedBatch:
    """A batch after sales_rows_check: its row numbers in order, a RowResult for each rejected
    or superseded row (None for the others), the good rows by order number (the later row of an
    order seen twice), the moment they were checked against, and the good rows' COPY text when
    it was made ahead (sales_copy.StagedRows, else None)."""

    __slots__ = ("good", "now", "numbers", "results", "staged")

    def __init__(self, numbers, results, good, now, staged=None):
        self.numbers, self.results, self.good, self.now, self.staged = numbers, results, good, now, staged

    def __len__(self):
        return len(self.numbers)


def sales_rows_check(rows, *, directory, now, warranty_months, tz, staged=False):
    """Check `rows` ([(row number, {field: raw value})]) with rows.parse_row and MallDirectory:
    pure Python, no database (the file import runs it in its reading thread). `staged`: also
    make the good rows' COPY text (the COPY path's; sales_copy.staged_rows)."""
    today = timezone.localdate(now, tz)
    results = {}
    good = {}
    for number, raw in rows:
        try:
            row = parse_row(raw, today=today, now=now, warranty_months=warranty_months, tz=tz)
            row["merchant_id"], row["booth_id"] = directory.resolve(row["merchant_or_booth"], row["paid_on"])
        except RowError as error:
            results[number] = RowResult(
                number,
                RowResult.REJECTED,
                order_number=str(raw.get("order_number") or "")[:40],
                field=error.field,
                column=error.column,
                message=error.message,
            )
            continue
        # The same order twice in one batch: the later row wins (one statement cannot write a
        # row twice).
        earlier = good.pop(row["order_number"], None)
        if earlier is not None:
            results[earlier[0]] = RowResult(earlier[0], RowResult.SUPERSEDED, order_number=row["order_number"])
        good[row["order_number"]] = (number, row)
        results[number] = None
    copy_rows = staged_rows([row for _number, row in good.values()]) if staged and good else None
    return CheckedBatch([number for number, _raw in rows], results, good, now, copy_rows)


def sales_rows_save(*, run, rows, directory=None, now=None, checked=None):
    """Check and save a batch of the cashier's sales for the run's mall: the one code path of the
    file import and of the API's sales push (api.services.sales_push), which records each pushed
    batch as a run of its own.

    `rows` is [(row number or index, {field: raw value})]; the rules are rows.parse_row's and
    MallDirectory's, so a file and a push refuse the same rows with the same messages. Set-based:
    on PostgreSQL one COPY and two statements (sales_copy.save_by_copy); else, or if PostgreSQL
    refuses the batch, one SELECT of the orders already known, one INSERT of new customers and
    one INSERT ... ON CONFLICT for the sales per BATCH_ROWS rows. The same (mall, order number)
    again changes nothing. Returns one RowResult per row, in order. `checked`: the rows already
    checked by sales_rows_check (the file import's reading thread); then `rows` is not used.
    """
    if checked is None:
        now = now or timezone.now()
        tz = timezone.get_current_timezone()
        warranty_months = mall_settings.value("warranty_months", run.mall_id, on=timezone.localdate(now, tz))
        directory = directory or MallDirectory(run.mall)
        checked = sales_rows_check(rows, directory=directory, now=now, warranty_months=warranty_months, tz=tz)
    results, now = checked.results, checked.now
    pending = list(checked.good.values())
    if pending and copy_path():
        try:
            with transaction.atomic():
                copy_rows = checked.staged if checked.staged is not None else [row for _, row in pending]
                outcome = save_by_copy(run, copy_rows, now, COMPARED)
        except (DatabaseError, ValueError):
            # A row the database refuses: the statement-by-statement path below finds it.
            log.warning("sales import %s: COPY batch refused, saving it in chunks", run.pk, exc_info=True)
        else:
            for number, row in pending:
                results[number] = RowResult(number, outcome[row["order_number"]], order_number=row["order_number"])
            pending = []
    for start in range(0, len(pending), BATCH_ROWS):
        chunk = pending[start : start + BATCH_ROWS]
        try:
            with transaction.atomic():
                outcome = _save(run, [row for _, row in chunk], now)
        except (DatabaseError, ValueError):  # psycopg2 refuses a NUL byte with ValueError
            # One row the database refuses must not sink the batch: save the rows one by one.
            outcome = {}
            for number, row in chunk:
                try:
                    with transaction.atomic():
                        outcome.update(_save(run, [row], now))
                except (DatabaseError, ValueError):
                    log.warning("sales import %s: row %s refused by the database", run.pk, number)
                    results[number] = RowResult(
                        number,
                        RowResult.REJECTED,
                        order_number=row["order_number"],
                        message=_("This row could not be saved."),
                    )
        for number, row in chunk:
            if row["order_number"] in outcome:
                results[number] = RowResult(number, outcome[row["order_number"]], order_number=row["order_number"])
    return [results[number] for number in checked.numbers]


def _save(run, rows, now):
    customers = _customers_for(run.mall, rows)
    return _upsert_sales(run, rows, customers, now)


def _customers_for(mall, rows):
    """{mobile: customer id}: new mobiles become customers; known ones keep their record.

    One SELECT of the known mobiles, then one INSERT ... ON CONFLICT DO NOTHING RETURNING of the
    new ones (a mobile another import added meanwhile is read back after)."""
    names = {}
    for row in rows:
        names.setdefault(row["mobile"], row["customer_name"])
    if not names:
        return {}
    ids = dict(Customer.objects.filter(mall=mall, mobile__in=list(names)).values_list("mobile", "pk"))
    new = [(mobile, name) for mobile, name in names.items() if mobile not in ids]
    if new:
        columns = ("mall_id", "name", "mobile", "other_phone", "address", "notes", "created_at")
        now = timezone.now()
        params = _db_values(Customer, columns, ((mall.pk, name, mobile, "", "", "", now) for mobile, name in new))
        table = connection.ops.quote_name(Customer._meta.db_table)
        placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(new))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "  # noqa: S608 names only
                "ON CONFLICT (mall_id, mobile) DO NOTHING RETURNING mobile, id",
                params,
            )
            ids.update(cursor.fetchall())
        raced = [mobile for mobile, _name in new if mobile not in ids]
        if raced:
            ids.update(Customer.objects.filter(mall=mall, mobile__in=raced).values_list("mobile", "pk"))
    return ids


def _db_values(model, columns, rows):
    """The flat parameter list for `rows` of `columns`. PostgreSQL's driver adapts the values
    parse_row makes (str, int, Decimal, date, aware datetime) as they are, so the per-value field
    preparation (a tenth of a push's time) is only done for the other databases (SQLite)."""
    if connection.vendor == "postgresql":
        return [value for row in rows for value in row]
    fields = [model._meta.get_field(column.removesuffix("_id")) for column in columns]
    return [field.get_db_prep_save(value, connection) for row in rows for field, value in zip(fields, row, strict=True)]


def _upsert_sales(run, rows, customers, now):
    """{order number: created | updated | unchanged} for `rows` (order numbers unique)."""
    rows = list(rows)
    if not rows:
        return {}
    order_numbers = [row["order_number"] for row in rows]
    known = set(
        Sale.objects.filter(mall=run.mall_id, order_number__in=order_numbers).values_list("order_number", flat=True)
    )
    extra = {"mall_id": run.mall_id, "imported_by_run_id": run.pk, "created_at": now}

    def sale_values(row):
        values = {**row, **extra, "customer_id": customers[row["mobile"]]}
        return tuple(values[column] for column in SALE_COLUMNS)

    params = _db_values(Sale, SALE_COLUMNS, map(sale_values, rows))
    table = connection.ops.quote_name(Sale._meta.db_table)
    placeholders = "(" + ", ".join(["%s"] * len(SALE_COLUMNS)) + ")"
    # Only column names and placeholders are formatted in; every value is a parameter.
    values = ", ".join([placeholders] * len(rows))
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*COMPARED, "imported_by_run_id"))
    changed = " OR ".join(f"{table}.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in COMPARED)
    sql = (
        f"INSERT INTO {table} ({', '.join(SALE_COLUMNS)}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (mall_id, order_number) DO UPDATE SET {assignments} WHERE {changed} "
        "RETURNING order_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = {order_number for (order_number,) in cursor.fetchall()}
    outcome = {}
    for order_number in order_numbers:
        if order_number not in known:
            outcome[order_number] = RowResult.CREATED
        elif order_number in written:
            outcome[order_number] = RowResult.UPDATED
        else:
            outcome[order_number] = RowResult.UNCHANGED
    return outcome


# A run still "queued" after this long lost its message (broker down when it was queued).
RESUME_AFTER = timedelta(minutes=5)


def resume_stalled_imports(now=None):
    """Every few minutes (beat): go on with the imports nobody is working on - still queued
    after RESUME_AFTER (the message was lost), or running with a heartbeat older than
    SALES_IMPORT_STALE_SECONDS (the worker or the command died). Each is resumed on its own, so
    one bad run (its file gone, an error) is marked failed and never blocks the others."""
    now = now or timezone.now()
    runs = SalesImport.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lte=now - RESUME_AFTER)
        | Q(status=ImportStatus.RUNNING, heartbeat_at__lte=now - stale_after())
        | Q(status=ImportStatus.RUNNING, heartbeat_at__isnull=True, created_at__lte=now - stale_after())
    ).order_by("pk")
    resumed = []
    for run in runs:
        try:
            sales_import_run(run=run)
        except Exception:  # a broken run is logged and left; the next one still goes
            log.exception("sales import %s could not be resumed", run.pk)
        resumed.append(run.pk)
    return resumed


resume_queued_imports = resume_stalled_imports  # the beat task's earlier name
