"""The periodic tasks are one list in code (servicedesk/schedules.py), synced into
django-celery-beat after every migrate by one idempotent step (issue #17)."""

import dataclasses

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from servicedesk import schedules
from servicedesk.celery import app
from servicedesk.models import BeatScheduleSync
from servicedesk.schedules import SCHEDULES, Cron, Every, sync_beat_schedules

pytestmark = pytest.mark.django_db

# Written out by hand (DOMAIN.md, docs/operations.md): task -> when, Asia/Shanghai.
EXPECTED = {
    "servicedesk.heartbeat": ("every", 30, "seconds"),
    "servicedesk.send_unsent_notifications": ("every", 5, "minutes"),
    "sms.sweep": ("every", 1, "minutes"),
    "api.sweep_webhooks": ("every", 1, "minutes"),
    "followups.resume_queued_imports": ("every", 5, "minutes"),
    "reports.resume_queued_exports": ("every", 5, "minutes"),
    "complaints.scan_deadlines": ("every", 15, "minutes"),
    "compensations.remind": ("every", 1, "hours"),
    "returns.refund_reminder_scan": ("cron", "0", "8", "*"),
    "exchanges.delay_scan": ("cron", "5", "8", "*"),
    "merchants.deposit_hold_scan": ("cron", "30", "7", "*"),
    "followups.schedule_callbacks": ("cron", "10", "6", "*"),
    "followups.scan_overdue_callbacks": ("cron", "20", "*", "*"),
    "frontdesk.draw_up_programmes": ("cron", "1", "*", "*"),
    "frontdesk.flag_missed_broadcasts": ("cron", "45", "23", "*"),
    "frontdesk.flag_unconfirmed_handovers": ("cron", "*/15", "*", "*"),
    "frontdesk.flag_overdue_incidents": ("cron", "*/15", "*", "*"),
    "merchantportal.remind_merchants": ("every", 15, "minutes"),
    "reports.weekly_reports": ("cron", "0", "8", "1"),  # Mondays 08:00
}


def when_of(task):
    if task.interval_id:
        return ("every", task.interval.every, task.interval.period)
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    return ("cron", task.crontab.minute, task.crontab.hour, task.crontab.day_of_week)


def test_the_database_holds_the_list_after_migrate():
    sync_beat_schedules()  # a flush by an earlier transactional test syncs too; never rely on it
    rows = {t.task: t for t in PeriodicTask.objects.select_related("interval", "crontab")}
    assert {task: when_of(row) for task, row in rows.items()} == EXPECTED
    assert all(row.enabled for row in rows.values())
    assert rows["servicedesk.heartbeat"].kwargs == '{"source": "beat"}'


def test_every_scheduled_task_exists_and_names_are_unique():
    app.loader.import_default_modules()
    assert {s.task for s in SCHEDULES} <= set(app.tasks)
    assert len({s.name for s in SCHEDULES}) == len(SCHEDULES)
    assert len({s.task for s in SCHEDULES}) == len(SCHEDULES)


def test_syncing_twice_changes_nothing():
    sync_beat_schedules()
    before = list(PeriodicTask.objects.order_by("pk").values())
    assert sync_beat_schedules() == {"created": [], "updated": [], "disabled": []}
    assert list(PeriodicTask.objects.order_by("pk").values()) == before
    call_command("sync_beat")


def test_a_missing_schedule_is_created():
    sync_beat_schedules()
    PeriodicTask.objects.filter(task="frontdesk.draw_up_programmes").update(name="renamed by hand")
    done = sync_beat_schedules()
    assert done["created"] == ["播音程序生成 draw up the day's broadcast programme"]
    assert PeriodicTask.objects.filter(task="frontdesk.draw_up_programmes").count() == 2


def test_an_admins_edit_stays_until_the_code_changes(monkeypatch):
    sync_beat_schedules()
    name = "周报表 weekly reports"
    nine, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="1", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.filter(name=name).update(crontab=nine, enabled=False)  # the admin's edit
    sync_beat_schedules()
    row = PeriodicTask.objects.get(name=name)
    assert (row.crontab.hour, row.enabled) == ("9", False)

    # The code moves the report to 07:30: that change is applied, once.
    changed = tuple(
        dataclasses.replace(s, when=Cron("30", "7", day_of_week="1")) if s.name == name else s for s in SCHEDULES
    )
    assert sync_beat_schedules(changed)["updated"] == [name]
    row = PeriodicTask.objects.get(name=name)
    assert (row.crontab.minute, row.crontab.hour, row.crontab.day_of_week) == ("30", "7", "1")
    assert row.enabled is False  # the admin's "enabled" tick is theirs


def test_a_schedule_dropped_from_the_list_is_disabled_not_deleted():
    sync_beat_schedules()
    name = "心跳 heartbeat"
    fewer = tuple(s for s in SCHEDULES if s.name != name)
    assert sync_beat_schedules(fewer)["disabled"] == [name]
    assert PeriodicTask.objects.get(name=name).enabled is False
    # The admin turns it back on: a later sync leaves it alone.
    PeriodicTask.objects.filter(name=name).update(enabled=True)
    assert sync_beat_schedules(fewer) == {"created": [], "updated": [], "disabled": []}
    assert PeriodicTask.objects.get(name=name).enabled is True
    # Listed again: the code's definition is applied.
    assert sync_beat_schedules()["updated"] == [name]


def test_a_new_schedule_needs_no_migration():
    sync_beat_schedules()
    extra = (*SCHEDULES, schedules.Schedule("测试 test", "servicedesk.heartbeat", Every(7, "minutes"), "A test."))
    assert sync_beat_schedules(extra)["created"] == ["测试 test"]
    assert BeatScheduleSync.objects.filter(name="测试 test").exists()
