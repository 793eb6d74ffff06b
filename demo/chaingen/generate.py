"""Generate a whole chain: malls one after another, each in its own transaction.

Deterministic for a given --seed and --until: every mall draws from its own random stream, so
the same flags give the same rows. No HistoricalRecords rows are written (the generated records
have no edit history; their pages show the handling log instead).
"""

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from compensations.models import Compensation

from . import cases, people, sales, words
from .plan import plan_malls
from .tables import open_tables

PASSWORD = "bench-pass-2026"  # noqa: S105 - the generated (demo-like) chain's one login password
ANALYZE = (
    "servicedesk_customer",
    "complaints_complaint",
    "complaints_complaintdeadline",
    "complaints_handlingentry",
    "compensations_compensation",
    "compensations_compensationapproval",
    "merchants_depositentry",
    "merchants_merchant",
    "merchants_booth",
    "returns_returnrequest",
    "followups_sale",
    "followups_callback",
    "followups_callbackattempt",
    "auth_user",
    "servicedesk_staffmembership",
    "servicedesk_numbersequence",
)


# Tables of millions of rows, loaded without their secondary indexes (rebuilt at the end).
BULK_TABLES = (
    "servicedesk_customer",
    "complaints_complaint",
    "complaints_complaintdeadline",
    "complaints_handlingentry",
    "followups_sale",
    "followups_callback",
    "followups_callbackattempt",
)


@dataclass
class MallState:
    id: int
    code: str
    staff: dict
    merchants: list = field(default_factory=list)
    balances: dict = field(default_factory=dict)
    last_deduction: dict = field(default_factory=dict)
    customers: tuple = (0, 0)
    numbers: Counter = field(default_factory=Counter)


@dataclass
class Context:
    tables: dict
    start: datetime
    horizon: datetime
    password_hash: str
    compensation_type_id: int
    chain_staff: dict = field(default_factory=dict)

    def next_number(self, prefix, mall, day):
        key = (prefix, day)
        mall.numbers[key] += 1
        return f"{prefix}-{mall.code}-{day:%Y%m%d}-{mall.numbers[key]:04d}"


def generate(sizes, *, seed, until, log=print):
    """Write the chain; returns {table: rows written}."""
    horizon = datetime.combine(until, datetime.min.time())
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg2's own cursor, for copy_expert
        cursor.execute("SET synchronous_commit = off")
        tables = open_tables(cursor)
        ctx = Context(
            tables=tables,
            start=horizon - timedelta(days=365 * sizes.years),
            horizon=horizon,
            password_hash=make_password(PASSWORD),
            compensation_type_id=ContentType.objects.get_for_model(Compensation).pk,
        )
        with transaction.atomic():
            ctx.chain_staff = people.add_chain_staff(ctx)
            _flush(tables)
        started = time.monotonic()
        dropped = _drop_secondary_indexes(cursor) + _drop_foreign_keys(cursor)
        try:
            for plan in plan_malls(sizes, seed, words.CITIES):
                with transaction.atomic():
                    _one_mall(ctx, plan, random.Random(f"{seed}-{plan.index}"))
                    _flush(tables)
                if plan.index % 10 == 9 or plan.index == sizes.malls - 1:
                    done = plan.index + 1
                    log(
                        f"  {done}/{sizes.malls} malls, {time.monotonic() - started:.0f} s, "
                        f"{tables['followups_sale'].written:,} sales"
                    )
        finally:
            log(f"rebuilding {len(dropped)} indexes and foreign keys")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            # Inside an outer transaction (the tests) the deferred key checks must run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, definition in dropped:
                cursor.execute(definition)
        for table in tables.values():
            table.finish()
        # VACUUM too when it can run (not inside the tests' transaction): freshly loaded pages have
        # no visibility map, so every index-only scan visits the heap and the register's statements
        # ran 3-8x slower until autovacuum came round (docs/benchmarks.md §24).
        vacuum = not connection.in_atomic_block
        log("vacuuming and analyzing tables" if vacuum else "analyzing tables")
        for name in ANALYZE:
            cursor.execute(f"VACUUM (ANALYZE) {name}" if vacuum else f"ANALYZE {name}")
    return {name: table.written for name, table in tables.items()}


def _drop_secondary_indexes(cursor):
    """Drop the big tables' plain (non-unique) indexes for the load and give back their
    definitions: one CREATE INDEX over millions of rows is much cheaper than keeping a dozen
    indexes up to date row by row. Keys and unique constraints stay (they check the data)."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary",
        [list(BULK_TABLES)],
    )
    dropped = cursor.fetchall()
    for name, _definition in dropped:
        cursor.execute(f'DROP INDEX "{name}"')
    return dropped


def _drop_foreign_keys(cursor):
    """Drop the big tables' foreign keys for the load, as pg_dump's restore does, and give back
    the statements that add them again. Adding a key checks every row in one pass, where the
    deferred per-row triggers would check (and lock the parent of) each row at every commit."""
    cursor.execute(
        "SELECT c.conname, t.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid WHERE c.contype = 'f' AND t.relname = ANY(%s)",
        [list(BULK_TABLES)],
    )
    dropped = []
    for name, table, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        dropped.append((name, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'))
    return dropped


def _one_mall(ctx, plan, rng):
    mall_id, staff = people.add_mall(ctx, plan)
    mall = MallState(id=mall_id, code=plan.code, staff=staff)
    mall.merchants, mall.balances = people.add_merchants(ctx, plan, mall_id, staff, rng)
    mall.customers = people.add_customers(
        ctx, plan, mall_id, max(50, int(plan.sales * 0.35) + plan.complaints // 2), rng
    )
    cases.add_complaints(
        ctx, plan, mall, rng, lambda complaint, when: cases.add_compensation(ctx, mall, complaint, when, rng)
    )
    cases.add_returns(ctx, plan, mall, rng)
    sales.add_sales(ctx, plan, mall, rng)
    people.release_deposits(ctx, mall_id, mall.merchants, mall.balances, staff, mall.last_deduction)
    numbers = ctx.tables["servicedesk_numbersequence"]
    for (prefix, day), last in sorted(mall.numbers.items()):
        numbers.add(numbers.new_id(), prefix, day, last, mall_id)


def _flush(tables):
    # Dict order is parent-before-child (tables.COLUMNS); foreign keys are checked at commit.
    for table in tables.values():
        table.flush()
