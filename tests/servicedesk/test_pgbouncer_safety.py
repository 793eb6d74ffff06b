"""Under PgBouncer's transaction pooling a client gets whichever server connection is free for
each transaction, so nothing may rely on session state: no session-level advisory locks, no
SET outside a transaction, no LISTEN, prepared statements, WITH HOLD cursors or temporary tables
that outlive their transaction (ON COMMIT DROP is fine).
This scan fails when such SQL appears in the desk's code. (Transaction-level forms are fine:
pg_advisory_xact_lock, SET LOCAL, SET CONSTRAINTS. Row locks, select_for_update, are taken in a
transaction and hold through PgBouncer: tests/topology runs the concurrency tests through it.)"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]
# Every app of the project (a folder with an apps.py), the new ones included.
APPS = tuple(sorted(path.parent.name for path in ROOT.glob("*/apps.py")))
# The chain generator is a bench tool that refuses to run through PgBouncer (tested below).
EXEMPT = ("demo/chaingen/",)
SESSION_STATE = re.compile(
    r"pg_(try_)?advisory_(un)?lock(_shared)?\s*\("  # session-level advisory locks
    r"|[\"']\s*(?-i:SET)\s+(?!LOCAL\b|CONSTRAINTS\b)\w"  # SET at the start of a statement (SQL's capitals: not prose)
    r"|\bset_config\s*\([^)]*,\s*false\s*\)"  # set_config(..., is_local => false)
    r"|[\"']\s*(LISTEN|PREPARE|DEALLOCATE)\b"
    r"|\bWITH\s+HOLD\b"
    # A temporary table lives past its transaction unless it is dropped at commit.
    r"|\bCREATE\s+(TEMP|TEMPORARY)\s+TABLE\b(?!.*\bON\s+COMMIT\s+DROP\b)",
    re.IGNORECASE,
)


def test_the_pattern_catches_session_state_and_lets_transaction_state_pass():
    for bad in (
        'cursor.execute("SELECT pg_advisory_lock(42)")',
        "cursor.execute('SET statement_timeout = 0')",
        "cursor.execute(\"SELECT set_config('search_path', 'x', false)\")",
        'cursor.execute("LISTEN events")',
        'cursor.execute("DECLARE c CURSOR WITH HOLD FOR SELECT 1")',
        'cursor.execute("CREATE TEMP TABLE t (id int)")',
    ):
        assert SESSION_STATE.search(bad), bad
    for fine in (
        'cursor.execute("SELECT pg_advisory_xact_lock(42)")',
        'cursor.execute("SET LOCAL statement_timeout = 0")',
        'cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")',
        "ON CONFLICT (prefix, mall_id, day) DO UPDATE SET last = last + 1",
        'cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} ({columns}) ON COMMIT DROP")',
    ):
        assert not SESSION_STATE.search(fine), fine


def test_no_session_state_in_the_desks_code():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(EXEMPT):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if SESSION_STATE.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "session state that PgBouncer's transaction pooling would break:\n" + "\n".join(found)


def test_the_chain_generator_refuses_pgbouncer(settings):
    settings.DATABASE_PGBOUNCER = True
    settings.DEBUG = True
    with pytest.raises(CommandError, match="PgBouncer"):
        call_command("generate_chain", "--small")


def test_the_application_connections_run_without_jit(postgres, settings):
    # Issue 22: JIT compilation cost more than the short queries it compiled.
    with postgres.cursor() as cursor:
        cursor.execute("SHOW jit")
        (jit,) = cursor.fetchone()
    if settings.DATABASE_PGBOUNCER:
        return  # through PgBouncer the database carries the setting (docs/operations.md)
    assert jit == "off"
