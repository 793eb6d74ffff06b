from django.db import migrations

from servicedesk.role_sync import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("sms", "0002_sweep_schedule"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
