"""Every periodic task of the product, in one list, and the step that puts it into
django-celery-beat (issue #17: a schedule change is not a migration).

Tasks are named by their Celery names (strings), so this module imports no app. Times are
Asia/Shanghai. `sync_beat_schedules()` runs after every `migrate` (post_migrate, so `make run`,
a deploy and the test database all get it) and from `manage.py sync_beat`:

- a schedule missing from the database is created;
- a schedule whose definition here changed since the last sync is updated to it (the change in
  code wins, once);
- otherwise the row is left as it is, so an administrator's edit in the admin (a time, the
  "enabled" tick) stays until the definition here changes;
- a schedule that was synced before and is no longer listed is disabled, never deleted.

What was synced is remembered per name in `servicedesk.BeatScheduleSync` (a digest of the
definition). The data migrations that wrote the first schedules stay as history; new schedules
are added here only.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field

TIME_ZONE = "Asia/Shanghai"
RETIRED = "retired"  # the digest of a schedule no longer listed (disabled once)


@dataclass(frozen=True)
class Every:
    """An interval: every `every` `period` (seconds, minutes, hours, days)."""

    every: int
    period: str


@dataclass(frozen=True)
class Cron:
    """A crontab in Asia/Shanghai."""

    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"


@dataclass(frozen=True)
class Schedule:
    name: str  # what the admin shows (Chinese, then English); the key in the database
    task: str  # the Celery task name
    when: Every | Cron
    description: str
    kwargs: dict = field(default_factory=dict)

    def digest(self):
        data = asdict(self) | {"when": [type(self.when).__name__, asdict(self.when)]}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# fmt: off
SCHEDULES = (
    # --- health and outboxes (rows the broker lost are sent from the database) ----------------
    Schedule("心跳 heartbeat", "servicedesk.heartbeat", Every(30, "seconds"),
             "Shows on /status/ that beat fires and a worker runs tasks.", {"source": "beat"}),
    Schedule("发送未发出的通知 send unsent notifications", "servicedesk.send_unsent_notifications",
             Every(5, "minutes"), "E-mails notifications whose task never ran (Redis down, worker killed)."),
    Schedule("发送到期的短信 send due SMS", "sms.sweep", Every(1, "minutes"),
             "Sends queued SMS whose task never ran, after a backoff or the quiet hours."),
    Schedule("发送到期的 webhook send due webhooks", "api.sweep_webhooks", Every(1, "minutes"),
             "Sends webhook deliveries that are due: retries after backoff, and deliveries whose task message "
             "was lost (Redis down, worker killed). Safe alongside the tasks (rows are claimed)."),
    Schedule("继续未开始的销售导入 resume queued sales imports", "followups.resume_queued_imports",
             Every(5, "minutes"), "Runs sales imports whose task message was lost."),
    Schedule("导出补发 lost export messages", "reports.resume_queued_exports", Every(5, "minutes"),
             "Exports still queued after 2 minutes (their broker message was lost) go to a worker again; exports "
             "still running after REPORT_EXPORT_TIMEOUT (the worker died) are queued again or failed. Safe to run "
             "twice."),
    # --- complaints, compensations, returns ---------------------------------------------------
    Schedule("投诉时限检查 complaint deadline scan", "complaints.scan_deadlines", Every(15, "minutes"),
             "Warns assignees before complaint deadlines, tells supervisors when they pass, the manager at 15 days. "
             "Safe to run twice."),
    Schedule("先行赔偿付款与追偿提醒 compensation reminders", "compensations.remind", Every(1, "hours"),
             "Hourly: payment due and overdue (3 working days after approval), approvals waiting more than a "
             "working day, receivables overdue. Safe to run twice."),
    Schedule("退货退款提醒 refund reminders", "returns.refund_reminder_scan", Cron("0", "8"),
             "Daily: refunds due soon, overdue, and past the deliberate-delay line."),
    Schedule("换货拖延检查 exchange delay scan", "exchanges.delay_scan", Cron("5", "8"),
             "Daily: flags exchanges not delivered or refused within the mall's line (15 days by default) and "
             "tells the supervisor and the manager once. Safe to run twice."),
    # --- merchants, callbacks -----------------------------------------------------------------
    Schedule("保证金扣留期到期提醒 deposit hold scan", "merchants.deposit_hold_scan", Cron("30", "7"),
             "Daily: tell clerk and manager when an exited merchant's deposit hold has ended."),
    Schedule("回访计划生成 daily callback scheduling", "followups.schedule_callbacks", Cron("10", "6"),
             "Daily, all malls: creates the callbacks that became due (after-sale, warranty ending, service, home "
             "visit) and assigns them to the least-loaded callback staff. Safe to run twice; a skipped day is "
             "caught up on the next run."),
    Schedule("回访逾期检查 overdue callback scan", "followups.scan_overdue_callbacks", Cron("20", "*"),
             "Hourly: marks callbacks past their deadline overdue and tells the supervisor once."),
    # --- front desk ---------------------------------------------------------------------------
    Schedule("播音程序生成 draw up the day's broadcast programme", "frontdesk.draw_up_programmes", Cron("1", "*"),
             "Hourly (first run just after midnight): today's broadcast programme of every mall; the pages only "
             "read it. Safe to run twice."),
    Schedule("播音漏播标记 missed broadcast slots", "frontdesk.flag_missed_broadcasts", Cron("45", "23"),
             "Nightly: mark today's broadcast slots that were not ticked as missed and tell the supervisor."),
    Schedule("交接班未确认提醒 unconfirmed handovers", "frontdesk.flag_unconfirmed_handovers", Cron("*/15", "*"),
             "Every 15 minutes: flag handovers the incoming shift has not confirmed in time to the supervisor."),
    Schedule("接待及突发事件超期提醒 overdue receptions and incidents", "frontdesk.flag_overdue_incidents",
             Cron("*/15", "*"),
             "Every 15 minutes: tell the supervisor and the recorder of entries past their deadline."),
    # --- the merchant portal ------------------------------------------------------------------
    Schedule("商户答复提醒 merchant reply reminders", "merchantportal.remind_merchants", Every(15, "minutes"),
             "Reminds merchant users (in the portal and by SMS) before their answer to a forwarded complaint is "
             "due. Safe to run twice."),
    # --- reports ------------------------------------------------------------------------------
    Schedule("周报表 weekly reports", "reports.weekly_reports", Cron("0", "8", day_of_week="1"),
             "Mondays 08:00: last week's report for every mall and the head-office rollup, stored and e-mailed."),
)
# fmt: on


def _schedule_row(when):
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule

    if isinstance(when, Every):
        interval, _ = IntervalSchedule.objects.get_or_create(every=when.every, period=when.period)
        return {"interval": interval, "crontab": None}
    crontab, _ = CrontabSchedule.objects.get_or_create(**asdict(when), timezone=TIME_ZONE)
    return {"interval": None, "crontab": crontab}


def sync_beat_schedules(schedules=SCHEDULES):
    """Put `schedules` into django-celery-beat (see the module's docstring). Idempotent; returns
    {"created": [...], "updated": [...], "disabled": [...]} (names)."""
    from django.db import transaction
    from django_celery_beat.models import PeriodicTask, PeriodicTasks

    from .models import BeatScheduleSync

    done = {"created": [], "updated": [], "disabled": []}
    with transaction.atomic():
        synced = {row.name: row for row in BeatScheduleSync.objects.select_for_update(of=("self",), no_key=True)}
        for schedule in schedules:
            digest = schedule.digest()
            record = synced.pop(schedule.name, None)
            task = PeriodicTask.objects.filter(name=schedule.name).first()
            if task is not None and record is not None and record.digest == digest:
                continue  # unchanged here: what the admin set stays
            values = {
                "task": schedule.task,
                "kwargs": json.dumps(schedule.kwargs),
                "description": schedule.description,
                **_schedule_row(schedule.when),
            }
            if task is None:
                PeriodicTask.objects.create(name=schedule.name, enabled=True, **values)
                done["created"].append(schedule.name)
            elif record is not None:  # changed in code since the last sync: the code wins, once
                PeriodicTask.objects.filter(pk=task.pk).update(**values)
                done["updated"].append(schedule.name)
            # else: a row a migration made before syncing existed, kept as the admin left it
            BeatScheduleSync.objects.update_or_create(name=schedule.name, defaults={"digest": digest})
        for name, record in synced.items():  # no longer listed here: disabled once, never deleted
            if record.digest == RETIRED:
                continue
            if PeriodicTask.objects.filter(name=name, enabled=True).update(enabled=False):
                done["disabled"].append(name)
            BeatScheduleSync.objects.filter(pk=record.pk).update(digest=RETIRED)
        if any(done.values()):
            PeriodicTasks.update_changed()  # beat reloads its schedule
    return done


def sync_after_migrate(sender, using="default", plan=None, **kwargs):
    """post_migrate: sync once the beat tables exist (not while migrating backwards to zero)."""
    from django.db import connections

    tables = connections[using].introspection.table_names()
    if "django_celery_beat_periodictask" in tables and "servicedesk_beatschedulesync" in tables:
        sync_beat_schedules()
