from django.db import migrations

ROLE_GROUPS = (
    "front_desk",
    "complaint_officer",
    "price_tag_officer",
    "clerk",
    "supervisor",
    "manager",
    "head_office",
    "admin",
    "api_client",
)


def drop_role_groups(apps, schema_editor):
    # The groups held a second table of model permissions that only the admin read, and that
    # granted what the admin's own classes refuse. Roles live in StaffMembership (kept, with its
    # history); the groups were a derived copy, so dropping them loses no record.
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0014_beat_schedule_sync"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(drop_role_groups, migrations.RunPython.noop)]
