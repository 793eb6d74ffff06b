"""The administrator's permissions on the API's models, and beat's webhook sweep (every minute)."""

from django.db import migrations

from servicedesk.role_sync import sync_role_groups


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="发送到期的 webhook send due webhooks",
        defaults={
            "task": "api.sweep_webhooks",
            "interval": every_minute,
            "enabled": True,
            "description": "Sends webhook deliveries that are due: retries after backoff, and deliveries whose "
            "task message was lost (Redis down, worker killed). Safe alongside the tasks (rows are claimed).",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(schedule, migrations.RunPython.noop),
    ]
