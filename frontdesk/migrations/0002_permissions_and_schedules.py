import json

from django.db import migrations

from servicedesk.role_sync import sync_role_groups

SCHEDULES = (
    # (name, task, crontab minute, crontab hour, description)
    (
        "播音漏播标记 missed broadcast slots",
        "frontdesk.flag_missed_broadcasts",
        "45",
        "23",
        "Nightly: mark today's broadcast slots that were not ticked as missed and tell the supervisor.",
    ),
    (
        "交接班未确认提醒 unconfirmed handovers",
        "frontdesk.flag_unconfirmed_handovers",
        "*/15",
        "*",
        "Every 15 minutes: flag handovers the incoming shift has not confirmed in time to the supervisor.",
    ),
)


def schedule_desk_scans(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": task,
                "crontab": crontab,
                "kwargs": json.dumps({}),
                "enabled": True,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("frontdesk", "0001_initial"),
        ("merchants", "0004_permissions_and_hold_scan"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(schedule_desk_scans, migrations.RunPython.noop),
    ]
