from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CompensationsConfig(AppConfig):
    name = "compensations"
    verbose_name = _("Advance compensation")

    def ready(self):
        from merchants.open_cases import register_open_cases
        from servicedesk.navigation import register_section, section_roles
        from servicedesk.roles import Role

        from .open_cases import LABEL, open_compensations_of

        register_open_cases("compensations", LABEL, open_compensations_of)

        from servicedesk.customer_records import register_records

        from .customer_records import LABEL as RECORD_LABEL
        from .customer_records import compensation_records

        register_records("compensations", RECORD_LABEL, compensation_records, section="compensations", order=30)

        register_section(
            "compensations",
            _("Advance compensation"),
            "compensations:index",
            roles=section_roles("compensations.models", "compensations.services", readers=(Role.HEAD_OFFICE,)),
            summary=_("Propose, approve and pay advance compensation; recover it from the merchant's deposit."),
            nav_label=pgettext_lazy("navbar", "Compensation"),
            order=30,
        )
