from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    """django.contrib.admin with the administrator role's site (servicedesk.admin_access)."""

    default_site = "servicedesk.admin_access.DeskAdminSite"
