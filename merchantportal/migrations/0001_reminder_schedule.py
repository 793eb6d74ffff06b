from django.db import migrations


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_15_minutes, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="商户答复提醒 merchant reply reminders",
        defaults={
            "task": "merchantportal.remind_merchants",
            "interval": every_15_minutes,
            "enabled": True,
            "description": "Reminds merchant users (in the portal and by SMS) before their answer to a forwarded "
            "complaint is due. Safe to run twice.",
        },
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="merchantportal.remind_merchants").update(enabled=False)


class Migration(migrations.Migration):
    dependencies = [
        ("merchants", "0007_merchant_users"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
