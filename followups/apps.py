from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Callbacks")

    def ready(self):
        from servicedesk.customer_records import register_records

        from .customer_records import CALLBACK_LABEL, PURCHASE_LABEL, callback_records, sale_records

        # Purchases are shown to every role that sees the customer (the desk picks the sale).
        register_records("purchases", PURCHASE_LABEL, sale_records, section="customers", order=5)
        register_records("callbacks", CALLBACK_LABEL, callback_records, section="followups", order=40)
