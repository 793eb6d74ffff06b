from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from .celery import ensure_broker_folders

        ensure_broker_folders()
        lock_admin_deletes()


def _no_delete(request, obj=None):
    return False


def lock_admin_deletes():
    """No delete anywhere in the admin, not even for a superuser: the apps' own admins refuse it,
    and so (set here, after the admin has found every app's admin) do those of the libraries:
    users and role groups (made inactive / left unused instead), Celery beat's schedules (disabled
    with their "enabled" tick), the login records and lockouts of django-axes, two-factor devices.
    Every change made in the admin stays in its history (Django's admin log, "History" button)."""
    from django.contrib import admin

    if "delete_selected" in dict(admin.site.actions):
        admin.site.disable_action("delete_selected")
    for model_admin in admin.site._registry.values():
        model_admin.has_delete_permission = _no_delete
