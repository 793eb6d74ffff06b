from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The customer's side: a status link per case (/c/<token>/), no account needed."""

    name = "portal"
    verbose_name = _("Customer links")
