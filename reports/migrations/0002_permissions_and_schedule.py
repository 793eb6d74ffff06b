import json

from django.db import migrations

from servicedesk.role_sync import sync_role_groups


def schedule_weekly_reports(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    monday_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="1", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name="周报表 weekly reports",
        defaults={
            "task": "reports.weekly_reports",
            "crontab": monday_morning,
            "kwargs": json.dumps({}),
            "enabled": True,
            "description": "Mondays 08:00: last week's report for every mall and the head-office rollup, stored and e-mailed.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("compensations", "0001_initial"),
        ("frontdesk", "0001_initial"),
    ]
    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(schedule_weekly_reports, migrations.RunPython.noop),
    ]
