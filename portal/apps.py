from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The customer's side: a status link per case (/c/<token>/), no account needed."""

    name = "portal"
    verbose_name = _("Customer links")

    def ready(self):
        from servicedesk import customer_links

        from .models import LinkPolicy
        from .notify import case_sms
        from .qr import printed_link
        from .services import case_messages, message_to_customer

        def valid_days_after_end(mall):
            return LinkPolicy.for_mall(mall).valid_days_after_end

        customer_links.provide(
            case_sms=case_sms,
            printed_link=printed_link,
            valid_days_after_end=valid_days_after_end,
            conversation=case_messages,
            message_to_customer=message_to_customer,
        )
