from django.db import migrations


def schedule_deadline_scan(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_15_minutes, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="投诉时限检查 complaint deadline scan",
        defaults={
            "task": "complaints.scan_deadlines",
            "interval": every_15_minutes,
            "enabled": True,
            "description": "Warns assignees before complaint deadlines, tells supervisors when they pass, "
            "the manager at 15 days. Safe to run twice.",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="complaints.scan_deadlines").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_role_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_deadline_scan, unschedule)]
