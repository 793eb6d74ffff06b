from django.db import migrations, models


class Migration(migrations.Migration):
    """The weekly figures' returns line of every mall in one indexed statement (issue 22)."""

    dependencies = [
        ("returns", "0004_return_photos"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="returnrequest",
            index=models.Index(fields=["requested_on"], name="return_requested_on"),
        ),
        migrations.AddIndex(
            model_name="returnrequest",
            index=models.Index(fields=["decided_at"], name="return_decided_at"),
        ),
        migrations.AddIndex(
            model_name="returnrequest",
            index=models.Index(fields=["refunded_at"], name="return_refunded_at"),
        ),
    ]
