# ruff: noqa: S608  (SQL built from this file's own constants; no outside input)
"""A sale's five references (mall, customer, merchant, booth, import run) checked once per
statement instead of once per row (issue 22, docs/benchmarks.md §22).

Django's foreign keys are checked by PostgreSQL one row at a time: for each new or changed sale,
five queries (one per key, each taking a FOR KEY SHARE lock on the referenced row), run at commit
because they are deferred. An import of a million sales ran five million of them: a third of its
time. Here the same guarantee is kept by the database, set-based:

- on followups_sale, a statement-level AFTER INSERT and AFTER UPDATE trigger with the statement's
  new rows as a transition table: per key, the distinct values of the statement (one mall, one
  run, a few booths and merchants and up to a batch of customers) are probed against the
  referenced table's primary key, taking the same FOR KEY SHARE lock a foreign key takes, and a
  missing one raises foreign_key_violation (SQLSTATE 23503) naming the column;
- on each referenced table, deleting a row a sale references (AFTER DELETE, statement-level, the
  deleted rows as a transition table, probed through an index of followups_sale that leads by
  that column), changing such a row's id (a row trigger whose WHEN clause is false for every
  update that keeps the id, so other updates pay nothing) and TRUNCATE while sales remain are
  refused the same way.

The lock makes the two sides wait for each other as a foreign key does: a delete of a referenced
row waits for the transaction that locked it and then sees its sales (the trigger's query takes a
new snapshot under READ COMMITTED), and a sale whose referenced row is being deleted waits for the
delete and then finds the row gone. What differs from a foreign key: the check runs at the end of
each statement, not deferred to commit, so a sale cannot be written before its customer within
one transaction (nothing in the app does).

On SQLite (the zero-setup `make run`) there is no constraint at all any more: AlterField rebuilds
the table without its REFERENCES clauses, and the ORM's PROTECT and the import's own checks are
what is left.

The old constraints were checked when they were made, so the existing rows are known to be good
and are not checked again. Reversed, the triggers go and Django re-adds the foreign keys, which
checks every sale (minutes at ten million).
"""

from django.db import migrations, models

# (column of the sale, referenced table); a null key is not checked (merchant, booth and run may
# be empty; mall and customer are NOT NULL columns).
SALE_KEYS = (
    ("mall_id", "servicedesk_mall"),
    ("customer_id", "servicedesk_customer"),
    ("merchant_id", "merchants_merchant"),
    ("booth_id", "merchants_booth"),
    ("imported_by_run_id", "followups_salesimport"),
)
SALES = "followups_sale"


def _missing_check(column, table):
    """The part of the sale trigger that checks one key: its distinct values in the statement's
    new rows, each probed (a scalar subquery: always one index probe per value, whatever the
    planner thinks of the transition table) and locked as a foreign key would lock it."""
    return f"""
    SELECT k.id INTO missing
      FROM (SELECT DISTINCT n.{column} AS id FROM new_sales n WHERE n.{column} IS NOT NULL) k
     WHERE (SELECT t.id FROM {table} t WHERE t.id = k.id FOR KEY SHARE) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            MESSAGE = 'insert or update on table "{SALES}" violates foreign key "sale_{column}_exists"',
            DETAIL = format('Key ({column})=(%s) is not present in table "{table}".', missing),
            TABLE = '{SALES}',
            COLUMN = '{column}',
            CONSTRAINT = 'sale_{column}_exists';
    END IF;"""


SALE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION followups_sale_keys_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing bigint;
BEGIN{"".join(_missing_check(column, table) for column, table in SALE_KEYS)}
    RETURN NULL;
END
$$"""


def _kept_function(column, table):
    """The trigger function of a referenced table: refuse to delete, truncate or renumber a row a
    sale references."""
    raise_referenced = f"""
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            MESSAGE = 'update or delete on table "{table}" violates foreign key "sale_{column}_exists" '
                      'on table "{SALES}"',
            DETAIL = format('Key (id)=(%s) is still referenced from table "{SALES}" ({column}).', referenced),
            TABLE = '{SALES}',
            COLUMN = '{column}',
            CONSTRAINT = 'sale_{column}_exists';"""
    return f"""
CREATE OR REPLACE FUNCTION followups_sale_keeps_{column}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    referenced bigint;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- After a TRUNCATE of several tables, of them all: truncating the sales too is allowed.
        IF EXISTS (SELECT FROM {SALES}) THEN
            RAISE EXCEPTION USING
                ERRCODE = 'foreign_key_violation',
                MESSAGE = 'cannot truncate table "{table}": table "{SALES}" references it ({column})';
        END IF;
    ELSIF TG_LEVEL = 'ROW' THEN
        -- An UPDATE that changed the id (the trigger's WHEN clause).
        IF EXISTS (SELECT FROM {SALES} s WHERE s.{column} = OLD.id) THEN
            referenced := OLD.id;{raise_referenced}
        END IF;
    ELSE
        SELECT o.id INTO referenced FROM gone o
         WHERE (SELECT 1 FROM {SALES} s WHERE s.{column} = o.id LIMIT 1) IS NOT NULL
         LIMIT 1;
        IF FOUND THEN{raise_referenced}
        END IF;
    END IF;
    RETURN NULL;
END
$$"""


def _create_sql():
    statements = [
        SALE_FUNCTION,
        # Two triggers: a trigger with transition tables may have only one event.
        f"CREATE TRIGGER sale_keys_on_insert AFTER INSERT ON {SALES} REFERENCING NEW TABLE AS new_sales "
        "FOR EACH STATEMENT EXECUTE FUNCTION followups_sale_keys_exist()",
        f"CREATE TRIGGER sale_keys_on_update AFTER UPDATE ON {SALES} REFERENCING NEW TABLE AS new_sales "
        "FOR EACH STATEMENT EXECUTE FUNCTION followups_sale_keys_exist()",
    ]
    for column, table in SALE_KEYS:
        function = f"followups_sale_keeps_{column}()"
        statements += [
            _kept_function(column, table),
            f"CREATE TRIGGER sale_keeps_{column}_on_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS gone "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER sale_keeps_{column}_on_update AFTER UPDATE OF id ON {table} "
            f"FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION {function}",
            f"CREATE TRIGGER sale_keeps_{column}_on_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}",
        ]
    return statements


def _drop_sql():
    statements = [
        f"DROP TRIGGER IF EXISTS sale_keys_on_insert ON {SALES}",
        f"DROP TRIGGER IF EXISTS sale_keys_on_update ON {SALES}",
        "DROP FUNCTION IF EXISTS followups_sale_keys_exist()",
    ]
    for column, table in SALE_KEYS:
        statements += [
            *(
                f"DROP TRIGGER IF EXISTS sale_keeps_{column}_on_{event} ON {table}"
                for event in ("delete", "update", "truncate")
            ),
            f"DROP FUNCTION IF EXISTS followups_sale_keeps_{column}()",
        ]
    return statements


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _create_sql():
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in _drop_sql():
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0010_sale_mall_customer_without_own_indexes"),
        ("merchants", "0008_merchant_reports_price_tag_fix"),
        ("servicedesk", "0017_driver_role"),
    ]

    operations = [
        # On PostgreSQL each is an ALTER TABLE ... DROP CONSTRAINT (no scan); on SQLite a rebuild of
        # the table without the REFERENCES clause.
        migrations.AlterField(
            model_name="sale",
            name="mall",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=models.PROTECT,
                related_name="+",
                to="servicedesk.mall",
                verbose_name="mall",
            ),
        ),
        migrations.AlterField(
            model_name="sale",
            name="customer",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=models.PROTECT,
                related_name="sales",
                to="servicedesk.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AlterField(
            model_name="sale",
            name="merchant",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to="merchants.merchant",
                verbose_name="merchant",
            ),
        ),
        migrations.AlterField(
            model_name="sale",
            name="booth",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to="merchants.booth",
                verbose_name="booth",
            ),
        ),
        migrations.AlterField(
            model_name="sale",
            name="imported_by_run",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to="followups.salesimport",
                verbose_name="import",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
