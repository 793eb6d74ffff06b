from django.db import migrations

from servicedesk.role_sync import sync_role_groups


def schedule_callbacks(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    early_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="10", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="20", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name="回访计划生成 daily callback scheduling",
        defaults={
            "task": "followups.schedule_callbacks",
            "crontab": early_morning,
            "enabled": True,
            "description": "Daily, all malls: creates the callbacks that became due (after-sale, warranty ending, "
            "service, home visit) and assigns them to the least-loaded callback staff. Safe to run twice; a "
            "skipped day is caught up on the next run.",
        },
    )
    PeriodicTask.objects.update_or_create(
        name="回访逾期检查 overdue callback scan",
        defaults={
            "task": "followups.scan_overdue_callbacks",
            "crontab": hourly,
            "enabled": True,
            "description": "Hourly: marks callbacks past their deadline overdue and tells the supervisor once.",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=["followups.schedule_callbacks", "followups.scan_overdue_callbacks"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(schedule_callbacks, unschedule),
    ]
