import json

from django.db import migrations

MARK = "\u2063ev:"


def _stored(code, **params):
    payload = {"c": code}
    if params:
        payload["p"] = params
    return MARK + json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def name_the_days(apps, schema_editor):
    """Notices stored before the deliberate-delay line was a setting said "15 days" in their
    text; they were written when every mall's line was the default 15, so they now carry the
    number as a parameter like every later notice, and the fixed text goes."""
    Notification = apps.get_model("servicedesk", "Notification")
    Notification.objects.filter(body=_stored("notice.open_too_long_body")).update(
        body=_stored("notice.open_too_long_days_body", days=15)
    )


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0015_drop_role_groups")]

    operations = [migrations.RunPython(name_the_days, migrations.RunPython.noop)]
