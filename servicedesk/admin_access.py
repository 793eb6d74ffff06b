"""Who may use the Django admin: the administrator role (DESIGN.md: malls, users, thresholds,
schedules, API clients), and a superuser.

The role is the only record of it: no `is_staff` tick to keep in step, no group of model
permissions beside the services' tables. An active user holding `Role.ADMIN` opens the admin
and holds every model permission there; what the admin may not do (add or change a desk
record, delete anything) is refused by the ModelAdmin classes themselves, for the superuser too,
so a desk record still changes only through its app's service.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import BaseBackend

from .access import has_role
from .roles import Role


def administers(user):
    if not (user and user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or has_role(user, None, Role.ADMIN)


class AdministratorBackend(BaseBackend):
    """Model permissions for the administrator role (authenticates nobody)."""

    def has_perm(self, user_obj, perm, obj=None):
        return administers(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return administers(user_obj)


class AdministratorLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        if not administers(user):
            raise self.get_invalid_login_error()


class DeskAdminSite(admin.AdminSite):
    login_form = AdministratorLoginForm

    def has_permission(self, request):
        return administers(request.user)
