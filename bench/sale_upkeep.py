# ruff: noqa: S608  (SQL made from this file's own names; no outside input)
"""What one batch of new sales (and of new customers) costs PostgreSQL, part by part: each key
check and each index's upkeep (issue 22, docs/benchmarks.md §22). Nothing is kept: every
measurement is one transaction that is rolled back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_chain \
        .venv/bin/python bench/sale_upkeep.py --mall SH01 --repeat 3

Per variant, in its own transaction: a run row, 20,000 sales rows made in a temporary table (the
mall's newest customers, one of its booths, 28 delivery days, as bench/import_sales.py makes
them), the variant's DDL (drop an index, drop foreign keys, add the statement-level check), then
one timed INSERT ... SELECT of the rows with every constraint checked at once (SET CONSTRAINTS ALL
IMMEDIATE), so a foreign key's checks fall inside the statement. Prints the median wall time and
CPU of the backend (from /proc) over --repeat rounds, the variants interleaved. The index and key
variants take locks on followups_sale and the tables it references for the length of a
statement: run it on a database of your own, or when nobody reads the chain.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg2

ROWS = 20_000
SALE_FKS = ("mall_id", "customer_id", "merchant_id", "booth_id", "imported_by_run_id")
REFERENCED = {
    "mall_id": "servicedesk_mall",
    "customer_id": "servicedesk_customer",
    "merchant_id": "merchants_merchant",
    "booth_id": "merchants_booth",
    "imported_by_run_id": "followups_salesimport",
}


def connect():
    url = urlparse(os.environ["DATABASE_URL"])
    return psycopg2.connect(
        dbname=url.path.lstrip("/"), user=url.username, host=url.hostname, port=url.port or 5432, password=url.password
    )


def backend_cpu(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sale_fk_names(cur):
    cur.execute(
        "SELECT a.attname, c.conname FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.conrelid = 'followups_sale'::regclass AND c.contype = 'f'"
    )
    return dict(cur.fetchall())


def check_function(lock_customers, lock_others):
    """The statement-level check of followups migration 0011, with or without the row locks."""
    parts = []
    for column in SALE_FKS:
        lock = lock_customers if column == "customer_id" else lock_others
        parts.append(
            f"SELECT k.id INTO missing FROM (SELECT DISTINCT n.{column} AS id FROM new_sales n "
            f"WHERE n.{column} IS NOT NULL) k WHERE (SELECT t.id FROM {REFERENCED[column]} t WHERE t.id = k.id"
            f"{' FOR KEY SHARE' if lock else ''}) IS NULL LIMIT 1; "
            f"IF FOUND THEN RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', MESSAGE = '{column}'; END IF;"
        )
    return (
        "CREATE OR REPLACE FUNCTION pg_temp.sale_keys() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"DECLARE missing bigint; BEGIN {' '.join(parts)} RETURN NULL; END $$"
    )


def variants(cur, only):
    fks = sale_fk_names(cur)
    drop_all = [f'ALTER TABLE followups_sale DROP CONSTRAINT "{name}"' for name in fks.values()]
    cur.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'followups_sale'::regclass AND tgname = 'sale_keys_on_insert'"
    )
    if cur.fetchone():  # after followups 0011: the keys are checked by its trigger
        drop_all.append("ALTER TABLE followups_sale DISABLE TRIGGER sale_keys_on_insert")
    cur.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'followups_sale' ORDER BY indexname",
    )
    indexes = [name for (name,) in cur.fetchall()]
    cur.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'followups_sale'::regclass AND contype IN ('p', 'u')"
    )
    constraints = {name for (name,) in cur.fetchall()}
    out = {"sales: as the database is": []}
    out["sales: no key check"] = drop_all
    for column, name in fks.items():
        out[f"sales: only the {column} foreign key"] = [d for d in drop_all if name not in d]
    trigger = (
        "CREATE TRIGGER sale_keys_test AFTER INSERT ON followups_sale REFERENCING NEW TABLE AS new_sales "
        "FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.sale_keys()"
    )
    for label, locks in (
        ("locks all", (True, True)),
        ("locks none", (False, False)),
        ("locks all but customers", (False, True)),
    ):
        out[f"sales: statement check, {label}"] = [*drop_all, check_function(*locks), trigger]
    for index in indexes:
        if index in constraints:
            drop = f'ALTER TABLE followups_sale DROP CONSTRAINT "{index}" CASCADE'
        else:
            drop = f'DROP INDEX "{index}"'
        out[f"sales: no key check, without {index}"] = [*drop_all, drop]
    cur.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'servicedesk_customer' ORDER BY indexname",
    )
    customer_indexes = [name for (name,) in cur.fetchall()]
    cur.execute(
        "SELECT conname, contype FROM pg_constraint WHERE conrelid = 'servicedesk_customer'::regclass "
        "AND contype IN ('p', 'u', 'f')"
    )
    customer_constraints = dict(cur.fetchall())
    customer_fk = [
        f'ALTER TABLE servicedesk_customer DROP CONSTRAINT "{n}"' for n, t in customer_constraints.items() if t == "f"
    ]
    out["customers: as the database is"] = []
    out["customers: no key check"] = customer_fk
    for index in customer_indexes:
        if index in customer_constraints:
            drop = f'ALTER TABLE servicedesk_customer DROP CONSTRAINT "{index}" CASCADE'
        else:
            drop = f'DROP INDEX "{index}"'
        out[f"customers: no key check, without {index}"] = [*customer_fk, drop]
    if only:
        out = {label: ddl for label, ddl in out.items() if any(word in label for word in only)}
    return out


SALE_INSERT = """
INSERT INTO followups_sale (mall_id, order_number, paid_at, customer_id, merchant_id, booth_id, goods, model,
    quantity, amount, delivery_date, warranty_months, warranty_ends_on, imported_by_run_id, created_at)
SELECT %(mall)s, 'UPKEEP' || lpad(r.n::text, 9, '0'),
    timestamptz '2025-06-01 14:30+08' + (r.n %% 28) * interval '1 day', r.customer_id, %(merchant)s, %(booth)s,
    '布艺沙发', 'FS-3', 1, 1000 + r.n %% 9000,
    date '2025-07-01' + (r.n %% 28)::int, 12, date '2026-07-01' + (r.n %% 28)::int, %(run)s, now()
FROM upkeep_rows r ORDER BY r.n
"""
CUSTOMER_INSERT = """
INSERT INTO servicedesk_customer (mall_id, name, mobile, other_phone, address, notes, created_at)
SELECT %(mall)s, '顾客' || (r.n %% 50000), '199' || lpad(r.n::text, 8, '0'), '', '', '', now()
FROM upkeep_rows r ORDER BY r.n
"""


def measure(conn, pid, label, ddl, refs):
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO followups_salesimport (mall_id, file_name, file, status, total_rows, rows_done, created, "
            "updated, unchanged, rejected, problems, error, created_at, source_path) "
            "VALUES (%s, 'upkeep', '', 'running', 0, 0, 0, 0, 0, 0, '[]', '', now(), '') RETURNING id",
            [refs["mall"]],
        )
        (run,) = cur.fetchone()
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the run's own check, before any ALTER TABLE
        cur.execute(
            "CREATE TEMPORARY TABLE upkeep_rows ON COMMIT DROP AS SELECT n, customer_id FROM "
            "(SELECT row_number() OVER (ORDER BY id DESC) AS n, id AS customer_id FROM servicedesk_customer "
            "WHERE mall_id = %s ORDER BY id DESC LIMIT %s) c",
            [refs["mall"], ROWS],
        )
        for statement in ddl:
            cur.execute(statement)
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sql = CUSTOMER_INSERT if label.startswith("customers") else SALE_INSERT
        cpu, started = backend_cpu(pid), time.perf_counter()
        cur.execute(sql, {**refs, "run": run})
        wall, cpu = time.perf_counter() - started, backend_cpu(pid) - cpu
        if cur.rowcount != ROWS:
            raise RuntimeError(f"{label}: {cur.rowcount} rows")
    conn.rollback()
    return wall, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mall", default="SH01")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", default=[], help="only the variants whose label has this")
    args = parser.parse_args()
    conn = connect()
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        (pid,) = cur.fetchone()
        cur.execute("SELECT id FROM servicedesk_mall WHERE code = %s", [args.mall])
        (mall,) = cur.fetchone()
        cur.execute(
            "SELECT id, merchant_id FROM merchants_booth WHERE mall_id = %s AND merchant_id IS NOT NULL "
            "ORDER BY id LIMIT 1",
            [mall],
        )
        booth, merchant = cur.fetchone()
        todo = variants(cur, args.only)
    conn.rollback()
    refs = {"mall": mall, "booth": booth, "merchant": merchant}
    results = {label: [] for label in todo}
    for _round in range(args.repeat):
        for label, ddl in todo.items():
            results[label].append(measure(conn, pid, label, ddl, refs))
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"{ROWS:,} rows a statement, median of {args.repeat}; load average {load}")
    print(f"{'variant':<75} {'wall ms':>8} {'CPU ms':>7}")
    for label, runs in results.items():
        wall = statistics.median(w for w, _c in runs) * 1000
        cpu = statistics.median(c for _w, c in runs) * 1000
        print(f"{label:<75} {wall:8.0f} {cpu:7.0f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
