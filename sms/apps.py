from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "sms"
    verbose_name = _("SMS to customers")

    def ready(self):
        from . import events  # noqa: F401  (registers the built-in events)
