import json

from django.db import migrations

from servicedesk.role_sync import sync_role_groups


def schedule_hold_scan(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name="保证金扣留期到期提醒 deposit hold scan",
        defaults={
            "task": "merchants.deposit_hold_scan",
            "crontab": every_morning,
            "kwargs": json.dumps({}),
            "enabled": True,
            "description": "Daily: tell clerk and manager when an exited merchant's deposit hold has ended.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("merchants", "0003_backfill_tenancies"),
        ("servicedesk", "0004_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(schedule_hold_scan, migrations.RunPython.noop),
    ]
