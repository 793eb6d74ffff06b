from django.db import migrations

from servicedesk.role_sync import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("servicedesk", "0004_notifications"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
