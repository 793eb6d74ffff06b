from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Exchanges")

    def ready(self):
        from servicedesk.customer_records import register_action, register_records

        from .customer_records import LABEL, exchange_records
        from .models import DESK

        register_records("exchanges", LABEL, exchange_records, section="returns", order=25)
        register_action(
            "exchange", _("New exchange"), "exchanges:new", roles=DESK, sale_label=_("Exchange this sale"), order=25
        )
