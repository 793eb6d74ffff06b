"""Numbers that people quote: TS-SH01-20261126-0007.

One row per (prefix, mall, day) holds the last number issued. A single
INSERT ... ON CONFLICT DO UPDATE ... RETURNING takes the next number atomically, so two requests
at the same instant never get the same number and a rolled-back transaction releases nothing
twice (the row lock is held until the caller's transaction ends).
"""

from django.db import connection
from django.utils import timezone

from .models import NumberSequence


def issue_number(prefix, mall, day=None):
    day = day or timezone.localdate()
    table = NumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (prefix, mall_id, day, last) VALUES (%s, %s, %s, 1)
            ON CONFLICT (prefix, mall_id, day) DO UPDATE SET last = {table}.last + 1
            RETURNING last
            """,  # noqa: S608 - the table name is ours, values are parameters
            [prefix, mall.pk, day],
        )
        (last,) = cursor.fetchone()
    return f"{prefix}-{mall.code}-{day:%Y%m%d}-{last:04d}"
