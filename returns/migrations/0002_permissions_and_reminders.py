import json

from django.db import migrations

from servicedesk.role_sync import sync_role_groups


def schedule_reminders(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name="退货退款提醒 refund reminders",
        defaults={
            "task": "returns.refund_reminder_scan",
            "crontab": every_morning,
            "kwargs": json.dumps({}),
            "enabled": True,
            "description": "Daily: refunds due soon, overdue, and past the deliberate-delay line.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0001_initial"),
        ("merchants", "0004_permissions_and_hold_scan"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(schedule_reminders, migrations.RunPython.noop),
    ]
