from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "returns"
    verbose_name = _("No-reason returns")

    def ready(self):
        from merchants.open_cases import register_open_cases

        from .open_cases import LABEL, open_returns_of

        register_open_cases("returns", LABEL, open_returns_of)
