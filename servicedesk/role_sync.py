"""Create one Django group per role and give it the model permissions of ROLE_PERMISSIONS.

Called from data migrations (servicedesk 0002, and again by any later migration that adds
models named in the table). Models not yet present in the migration state are skipped, so the
function is safe to call at any point in the migration history and is idempotent.
"""

from django.contrib.auth.management import create_permissions

from .roles import ROLE_PERMISSIONS


def sync_role_groups(apps, schema_editor=None):
    # Permissions are normally created after migrate finishes; create them now so the
    # groups can be filled on a fresh database.
    for app_config in apps.get_app_configs():
        if getattr(app_config, "models_module", None) is None:  # a migration's historical registry
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
        else:
            create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for model_label, actions in grants.items():
            app_label, model_name = model_label.split(".")
            codenames = [f"{action}_{model_name}" for action in actions]
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        group.permissions.set(wanted)


def ensure_role_groups():
    """The same, against the live app registry (tests that flush the database call this)."""
    from django.apps import apps

    sync_role_groups(apps)
