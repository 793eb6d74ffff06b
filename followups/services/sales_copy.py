"""The sales import's fast path on PostgreSQL: COPY the checked rows into a temporary table, then
write customers and sales with two set-based statements (issue 22: a million rows in under 45 s).

The rows arrive already checked by rows.parse_row and MallDirectory (the same Python checks as on
every other path, so the per-row report is the same); only the saving differs from
sales_import._save, which stays the path of SQLite and the fallback for a batch PostgreSQL
refuses. What the statements keep from that path:

- a new mobile becomes a customer named as in its first row of the batch, a known customer
  keeps its record (and no id of the sequence is spent on it);
- an order already imported and unchanged is not written at all; a changed one is updated with
  the run that changed it; `created_at` stays the first import's;
- both statements take their rows in key order (mobile, order number), so two imports of
  overlapping files at once wait for each other's rows instead of deadlocking, and the unique
  keys make the later one find the earlier one's rows.

The temporary table lives for one transaction (ON COMMIT DROP, and dropped at the end): nothing
stays on the connection, so it is safe behind PgBouncer in transaction mode and two imports on
two connections never see each other's rows.
"""

import csv
import io

from django.conf import settings
from django.db import connection

from servicedesk.models import Customer

from ..models import Sale

STAGING = "followups_sale_import_rows"
# Column, type in the temporary table, key in the row dict parse_row makes. `n` is the row's
# place in the batch: the first row of a new mobile names its customer.
STAGED = (
    ("n", "integer", None),
    ("order_number", "text", "order_number"),
    ("paid_at", "timestamptz", "paid_at"),
    ("customer_name", "text", "customer_name"),
    ("mobile", "text", "mobile"),
    ("merchant_id", "bigint", "merchant_id"),
    ("booth_id", "bigint", "booth_id"),
    ("goods", "text", "goods"),
    ("model", "text", "model"),
    ("quantity", "integer", "quantity"),
    ("amount", "numeric(10, 2)", "amount"),
    ("delivery_date", "date", "delivery_date"),
    ("warranty_months", "integer", "warranty_months"),
    ("warranty_ends_on", "date", "warranty_ends_on"),
)
# Sale columns taken from the staged row as they are.
FROM_ROW = (
    "order_number",
    "paid_at",
    "merchant_id",
    "booth_id",
    "goods",
    "model",
    "quantity",
    "amount",
    "delivery_date",
    "warranty_months",
    "warranty_ends_on",
)


def copy_path():
    """True where the COPY path runs: PostgreSQL, unless SALES_IMPORT_COPY=false (the tests
    use that to compare both paths on the same database)."""
    return connection.vendor == "postgresql" and settings.SALES_IMPORT_COPY


def save_by_copy(run, rows, now, compared):
    """Save `rows` (checked, order numbers unique) for the run's mall; returns
    {order number: "created" | "updated" | "unchanged"}. Call inside a transaction.

    Every look-up of a customer or a sale is a probe of its unique index, one per staged row
    (a scalar subquery), with the mall as a query parameter ("(SELECT %s)") rather than a
    constant: the planner then cannot pick the mall's whole index from statistics taken before
    this import added thousands of rows to the mall (it did, and probed every staged row
    against all of the mall's customers: minutes), nor hash all of a big mall's rows for each
    batch. The time per batch is proportional to the batch, whatever the mall's size.
    """
    customers = connection.ops.quote_name(Customer._meta.db_table)
    sales = connection.ops.quote_name(Sale._meta.db_table)
    mall = {"mall": run.mall_id}
    customer_of = f"(SELECT c.id FROM {customers} c WHERE c.mall_id = (SELECT %(mall)s) AND c.mobile = s.mobile)"  # noqa: S608
    with connection.cursor() as cursor:
        columns = ", ".join(f"{column} {kind}" for column, kind, _key in STAGED)
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} ({columns}) ON COMMIT DROP")
        _copy(cursor, rows)
        # New mobiles become customers, named by their first row. ON CONFLICT: another import
        # added the mobile since this statement began (its row is found by the next statement).
        cursor.execute(
            f"INSERT INTO {customers} (mall_id, name, mobile, other_phone, address, notes, created_at) "  # noqa: S608
            f"SELECT DISTINCT ON (s.mobile) %(mall)s, s.customer_name, s.mobile, '', '', '', %(now)s FROM {STAGING} s "
            f"WHERE {customer_of} IS NULL ORDER BY s.mobile, s.n ON CONFLICT (mall_id, mobile) DO NOTHING",
            {**mall, "now": now},
        )
        # The sales. An order already there with the same values is left out before the insert
        # (no row lock, nothing written); ON CONFLICT still decides for an order another import
        # wrote meanwhile. A customer still missing is a NOT NULL error (the batch then goes the
        # slow way), never a dropped row. xmax = 0 on a returned row: inserted, else updated.
        same = " OR ".join(f"x.{c} IS DISTINCT FROM s.{c}" for c in compared)
        assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*compared, "imported_by_run_id"))
        changed = " OR ".join(f"{sales}.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in compared)
        cursor.execute(
            f"INSERT INTO {sales} (mall_id, customer_id, imported_by_run_id, created_at, {', '.join(FROM_ROW)}) "  # noqa: S608
            f"SELECT %(mall)s, s.customer_id, %(run)s, %(now)s, {', '.join(f's.{c}' for c in FROM_ROW)} "
            f"FROM (SELECT s.*, {customer_of} AS customer_id FROM {STAGING} s OFFSET 0) s "  # OFFSET 0: probed once
            f"WHERE NOT COALESCE((SELECT NOT ({same}) FROM {sales} x "
            "WHERE x.mall_id = (SELECT %(mall)s) AND x.order_number = s.order_number), false) "
            "ORDER BY s.order_number "
            f"ON CONFLICT (mall_id, order_number) DO UPDATE SET {assignments} WHERE {changed} "
            f"RETURNING {sales}.order_number, ({sales}.xmax = 0)",
            {**mall, "run": run.pk, "now": now},
        )
        written = dict(cursor.fetchall())
        cursor.execute(f"DROP TABLE {STAGING}")
    outcome = {}
    for row in rows:
        inserted = written.get(row["order_number"])
        outcome[row["order_number"]] = "unchanged" if inserted is None else "created" if inserted else "updated"
    return outcome


class StagedRows(list):
    """Checked rows with their COPY text already made (`staged_rows`): the file import's reading
    thread makes it while the saving thread waits on PostgreSQL, so the saving thread only sends
    it (issue 22, docs/benchmarks.md §18)."""

    __slots__ = ("text",)


def staged_rows(rows):
    """`rows` as StagedRows, with the CSV text _copy would send. Pure Python, no database."""
    staged = StagedRows(rows)
    staged.text = _csv_text(staged)
    return staged


def _csv_text(rows):
    """The rows in CSV form: csv.writer quotes what needs quoting (a tab or a line break in a
    cell) at C speed. An empty unquoted field is NULL (no delivery date, no booth); the model's
    empty text stays text (FORCE_NOT_NULL in the COPY)."""
    keys = [key for _c, _t, key in STAGED[1:]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows((n, *[row[key] for key in keys]) for n, row in enumerate(rows))
    return buffer.getvalue()


def _copy(cursor, rows):
    """COPY the rows (their text made ahead if they are StagedRows) into the temporary table."""
    text = rows.text if isinstance(rows, StagedRows) else _csv_text(rows)
    buffer = io.StringIO(text)
    columns = ", ".join(column for column, _t, _k in STAGED)
    sql = f"COPY {STAGING} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (model))"
    # The driver's COPY is not behind Django's cursor wrapper: its errors are made Django's
    # DatabaseError here, which the caller catches to save the batch the slow way.
    with connection.wrap_database_errors:
        if hasattr(cursor, "copy_expert"):  # psycopg2
            # The batch in one read: psycopg2 reads 8 KB at a time by default, and takes the GIL
            # back for each read while the reading thread holds it checking the next batch. The
            # size goes by position: Django's debug cursor (captured queries) passes only *args.
            cursor.copy_expert(sql, buffer, max(len(text), 8192))
        else:  # psycopg 3
            with cursor.copy(sql) as copy:
                copy.write(text)
