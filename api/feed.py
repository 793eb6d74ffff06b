"""The change feed behind `?since=<cursor>`: stable and gap-free.

Each save writes a Change row carrying its transaction's id (txid). Row ids are handed out when
the row is written, not when its transaction commits, so "id > last seen" could skip a row that
committed after a later one. The feed therefore reads in (txid, id) order and only rows whose
transaction is older than the oldest one still running (`pg_snapshot_xmin`): those can no longer
change, and every transaction that commits later has a larger txid, so it lands after the
cursor. A long transaction holds the feed back for its duration; it never makes it skip.
"""

import base64
import binascii

from django.db import connection
from django.db.models import Q

from .models import Change

PAGE_MAX = 500


class BadCursor(ValueError):
    pass


def encode_cursor(txid, pk):
    return base64.urlsafe_b64encode(f"{txid}.{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    if not cursor:
        return (0, 0)
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        txid, pk = (int(part) for part in text.split("."))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadCursor(cursor) from None
    if txid < 0 or pk < 0 or txid >= 2**63 or pk >= 2**63:
        raise BadCursor(cursor)
    return txid, pk


# The oldest transaction of *this* database still running, as a 64-bit id: the in-progress ids of
# the current snapshot (cluster-wide) that belong to a session of this database
# (pg_stat_activity.backend_xid is the 32-bit form); with none, the snapshot's xmax. Transactions
# of other databases on the same server never write this feed, so they do not hold it back.
HORIZON_SQL = """
SELECT COALESCE(
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
      WHERE x::text::bigint % 4294967296 IN (
          SELECT backend_xid::text::bigint FROM pg_stat_activity
           WHERE datname = current_database() AND backend_xid IS NOT NULL)),
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
"""


def _horizon():
    """Every txid below this is settled (committed or rolled back); None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(HORIZON_SQL)
        return cursor.fetchone()[0]


def changes_since(kinds, mall_ids, cursor, limit):
    """([(kind, object id)] in feed order, the next cursor, whether more may follow). The same
    record changed several times in the page appears once, at its last change."""
    txid, pk = decode_cursor(cursor)
    rows = Change.objects.filter(kind__in=kinds, mall_id__in=mall_ids).filter(
        Q(txid__gt=txid) | Q(txid=txid, pk__gt=pk)
    )
    horizon = _horizon()
    if horizon is not None:
        rows = rows.filter(txid__lt=horizon)
    page = list(rows.order_by("txid", "pk").values_list("txid", "pk", "kind", "object_id")[:limit])
    if not page:
        return [], encode_cursor(txid, pk), False
    last = {}
    for position, (_txid, _pk, kind, object_id) in enumerate(page):
        last[(kind, object_id)] = position
    ordered = sorted(last, key=last.get)
    return ordered, encode_cursor(page[-1][0], page[-1][1]), len(page) == limit
