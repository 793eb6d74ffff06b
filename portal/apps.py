from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The customer's side: a status link per case (/c/<token>/), no account needed."""

    name = "portal"
    verbose_name = _("Customer links")

    def ready(self):
        from servicedesk import customer_links

        from .notify import case_sms
        from .qr import printed_link

        customer_links.provide(case_sms=case_sms, printed_link=printed_link)
