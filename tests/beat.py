"""The beat schedules, for the tests that read them.

A transactional test (`django_db(transaction=True)`) flushes the database when it ends; the flush
emits post_migrate, which syncs servicedesk/schedules.py again, so the rows are normally there.
A test that reads a schedule still calls `seed_beat_schedules()` first (idempotent), so it passes
in any order and never depends on what another test left behind.
"""

from servicedesk.schedules import sync_beat_schedules


def seed_beat_schedules():
    sync_beat_schedules()
