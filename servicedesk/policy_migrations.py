"""Used by the migrations that turned each app's one-row-per-mall settings into dated versions."""

from django.db import migrations


def in_force_since_the_start(app_label, model_name):
    """The rows that existed before versioning were the rules for the whole history the desk
    holds, so they take effect from POLICY_EPOCH rather than from the day of the migration."""

    def forwards(apps, schema_editor):
        from servicedesk.models import POLICY_EPOCH

        for name in (model_name, f"historical{model_name}"):
            apps.get_model(app_label, name).objects.update(effective_from=POLICY_EPOCH)

    # Only rows that already existed are touched: a squashed migration (a fresh database) skips it.
    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
