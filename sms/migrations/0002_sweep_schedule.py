"""The administrator's permissions on the SMS models, and beat: the SMS outbox sweep every minute (due rows whose task message was lost, ended backoffs
and quiet hours, rows stuck mid-send)."""

from django.db import migrations

from servicedesk.role_sync import sync_role_groups

NAME = "发送到期的短信 send due SMS"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "sms.sweep",
            "interval": every_minute,
            "enabled": True,
            "description": "Sends queued SMS whose task never ran, after a backoff or the quiet hours.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sms", "0001_initial"),
        ("servicedesk", "0010_mall_deactivated_on"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(schedule, migrations.RunPython.noop),
    ]
