from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompensationsConfig(AppConfig):
    name = "compensations"
    verbose_name = _("Advance compensation")

    def ready(self):
        from merchants.open_cases import register_open_cases

        from .open_cases import LABEL, open_compensations_of

        register_open_cases("compensations", LABEL, open_compensations_of)

        from servicedesk.customer_records import register_records

        from .customer_records import LABEL as RECORD_LABEL
        from .customer_records import compensation_records

        register_records("compensations", RECORD_LABEL, compensation_records, section="compensations", order=30)
