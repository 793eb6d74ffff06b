from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data and the synthetic chain generator: above every app (they use all of them), so
    the base package `servicedesk` imports none (docs/architecture.md)."""

    name = "demo"
    verbose_name = _("Demo data")
