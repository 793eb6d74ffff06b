"""The topology these tests run through. `bench/topology.sh test` starts a PostgreSQL primary, a
streaming hot standby made with `pg_basebackup -R`, and PgBouncer in transaction mode in front of
the primary; it points DATABASE_URL at PgBouncer, DATABASE_REPLICA_URL at the standby, and runs
`pytest -m "topology or concurrency"`. Elsewhere these tests skip with that reason (and fail in CI).

The test database is created on the primary through PgBouncer and reaches the standby the way
everything does: by streaming replication.
"""

import os
import subprocess
import time
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.conf import settings
from django.db import connections

from servicedesk import replica
from tests.conftest import missing_service

REASON = (
    "needs the replica topology (a primary, a streaming standby and PgBouncer on this machine): "
    "run `bench/topology.sh test`"
)


class Topology:
    """Direct handles on the three parts, beside the app's own connections."""

    def __init__(self):
        primary = urlsplit(os.environ["TOPOLOGY_PRIMARY_URL"])
        self.script = os.environ["TOPOLOGY_SCRIPT"]
        self.host = primary.hostname
        self.primary_port = primary.port
        self.replica_port = int(settings.DATABASES["replica"]["PORT"])
        self.bouncer_port = int(os.environ["TOPOLOGY_PGBOUNCER_PORT"])
        self.database = connections["default"].settings_dict["NAME"]  # the test database

    def _query(self, port, sql, params=(), dbname=None):
        conn = psycopg2.connect(
            host=self.host, port=port, user="postgres", dbname=dbname or self.database, connect_timeout=5
        )
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()

    def on_primary(self, sql, params=()):
        return self._query(self.primary_port, sql, params)

    def on_replica(self, sql, params=()):
        return self._query(self.replica_port, sql, params)

    def wait(self, what, condition, seconds=30):
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
            time.sleep(0.1)

    def caught_up(self):
        """The standby has replayed everything the primary has written so far."""
        (lsn,) = self.on_primary("SELECT pg_current_wal_lsn()::text")[0]
        return self.on_replica("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])[0][0]

    def wait_caught_up(self):
        (lsn,) = self.on_primary("SELECT pg_current_wal_lsn()::text")[0]
        self.wait("replay", lambda: self.on_replica("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])[0][0])

    def pause_replay(self):
        self.wait_caught_up()
        self.on_replica("SELECT pg_wal_replay_pause()")
        self.wait("pause", lambda: self.on_replica("SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused")

    def resume_replay(self):
        self.on_replica("SELECT pg_wal_replay_resume()")
        self.wait_caught_up()

    def replica_running(self):
        try:
            self.on_replica("SELECT 1")
        except psycopg2.OperationalError:
            return False
        return True

    def stop_replica(self):
        subprocess.run([self.script, "replica-stop"], check=True, timeout=120)

    def start_replica(self):
        subprocess.run([self.script, "replica-start"], check=True, timeout=120)

    def bouncer_transactions(self):
        """PgBouncer's own count of transactions it carried to the test database."""
        conn = psycopg2.connect(host=self.host, port=self.bouncer_port, user="postgres", dbname="pgbouncer")
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute("SHOW STATS")
                names = [column.name for column in cursor.description]
                rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            conn.close()
        return sum(row["total_xact_count"] for row in rows if row["database"] == self.database)


@pytest.fixture
def topology():
    if not os.environ.get("TOPOLOGY_SCRIPT") or "replica" not in settings.DATABASES:
        missing_service(REASON)
    parts = Topology()
    try:
        streaming = parts.on_primary("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")[0][0]
    except psycopg2.Error as exc:
        missing_service(f"{REASON}; the primary does not answer: {exc}")
    if not streaming and not parts.replica_running():
        parts.start_replica()  # a test before this one left it stopped
    parts.wait_caught_up()
    replica.health.reset()
    yield parts
    if parts.replica_running():
        if parts.on_replica("SELECT pg_get_wal_replay_pause_state()")[0][0] != "not paused":
            parts.resume_replay()
    else:
        parts.start_replica()
    replica.health.reset()
