"""The beat schedules that data migrations write, written again for the tests that read them.

A transactional test (`django_db(transaction=True)`) flushes the database when it ends, and with
it the rows the migrations seeded; under `--reuse-db` a later test would find no schedule. A test
that reads a schedule calls `seed_beat_schedules()` first (idempotent: the migrations' own
functions, which update_or_create), so it passes in any order.
"""

import importlib

from django.apps import apps

SEEDS = (
    ("complaints.migrations.0003_deadline_scan_schedule", "schedule_deadline_scan"),
    ("followups.migrations.0002_roles_and_schedules", "schedule_callbacks"),
    ("merchants.migrations.0004_permissions_and_hold_scan", "schedule_hold_scan"),
    ("reports.migrations.0002_permissions_and_schedule", "schedule_weekly_reports"),
    ("merchantportal.migrations.0001_reminder_schedule", "schedule"),
)


def seed_beat_schedules():
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
