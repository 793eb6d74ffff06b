from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from .celery import ensure_broker_folders
        from .schedules import sync_after_migrate
        from .session_users import hand_over_session

        ensure_broker_folders()
        register_own_sections()
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="servicedesk.sync_beat_schedules")
        lock_admin_deletes()
        name_people_by_their_names()
        user_logged_in.connect(hand_over_session, dispatch_uid="servicedesk.session_users.hand_over_session")


def register_own_sections():
    from .navigation import register_section
    from .roles import Role
    from .services import CUSTOMER_EDITORS

    register_section(
        "customers",
        _("Customers"),
        "customers:list",
        roles=(*CUSTOMER_EDITORS, Role.HEAD_OFFICE),
        summary=_("Find a customer by mobile number; their details and history."),
        order=10,
    )
    register_section(
        "status",
        _("System status"),
        "status",
        roles=(Role.ADMIN,),
        summary=_("Database, task queue, worker and scheduler health."),
        order=100,
    )


def person_name(user):
    """李专员, not "officer": a person is named by their name wherever the product names them
    (pages, prints, texts, pickers); the username only when no name is on file."""
    return user.get_full_name() or user.get_username()


def name_people_by_their_names():
    """Every `{{ user }}`, "%s" % user and user picker shows the person's name."""
    from django.contrib.auth import get_user_model

    get_user_model().__str__ = person_name


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
