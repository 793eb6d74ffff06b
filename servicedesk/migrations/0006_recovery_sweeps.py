"""Beat schedules for the recovery sweeps: what a lost broker message would have done, done from
the database (unsent notifications, sales imports still queued)."""

from django.db import migrations

SWEEPS = {
    "发送未发出的通知 send unsent notifications": (
        "servicedesk.send_unsent_notifications",
        "E-mails notifications whose task never ran (Redis down, worker killed).",
    ),
    "继续未开始的销售导入 resume queued sales imports": (
        "followups.resume_queued_imports",
        "Runs sales imports whose task message was lost.",
    ),
}


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    for name, (task, description) in SWEEPS.items():
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "interval": every_five_minutes, "enabled": True, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0005_phone_view_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
