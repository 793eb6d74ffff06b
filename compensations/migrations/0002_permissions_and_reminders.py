from django.db import migrations

from servicedesk.role_sync import sync_role_groups


def schedule_reminders(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.update_or_create(
        name="先行赔偿付款与追偿提醒 compensation reminders",
        defaults={
            "task": "compensations.remind",
            "interval": every_hour,
            "enabled": True,
            "description": "Hourly: payment due and overdue (3 working days after approval), approvals waiting "
            "more than a working day, receivables overdue. Safe to run twice.",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="compensations.remind").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compensations", "0001_initial"),
        ("servicedesk", "0004_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(schedule_reminders, unschedule),
    ]
