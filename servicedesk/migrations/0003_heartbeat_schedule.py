import json

from django.db import migrations


def schedule_heartbeat(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=30, period="seconds")
    PeriodicTask.objects.update_or_create(
        name="心跳 heartbeat",
        defaults={
            "task": "servicedesk.heartbeat",
            "interval": every_minute,
            "kwargs": json.dumps({"source": "beat"}),
            "enabled": True,
            "description": "Shows on /status/ that beat fires and a worker runs tasks.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0002_role_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_heartbeat, migrations.RunPython.noop)]
