from django.db import migrations


def schedule_export_sweep(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_5_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="导出补发 lost export messages",
        defaults={
            "task": "reports.resume_queued_exports",
            "interval": every_5_minutes,
            "enabled": True,
            "description": "Exports still queued after 2 minutes (their broker message was lost) go to a "
            "worker again. Safe to run twice.",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="reports.resume_queued_exports").update(enabled=False)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_archive_figures"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_export_sweep, unschedule)]
