from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReturnsConfig(AppConfig):
    name = "returns"
    verbose_name = _("No-reason returns")

    def ready(self):
        from merchants.open_cases import register_open_cases
        from servicedesk.navigation import register_section, section_roles
        from servicedesk.roles import Role

        from .open_cases import LABEL, open_returns_of

        register_open_cases("returns", LABEL, open_returns_of)

        # The complaint intake reads a refused return and the customer's returns (complaints, below).
        from complaints import return_requests
        from servicedesk import mall_settings

        from .for_complaints import return_for, returns_of
        from .models import ReturnPolicy

        return_requests.provide(return_for=return_for, returns_of=returns_of)

        # The no-reason return window, which a complaint's receipt promises (complaints, below).
        mall_settings.register(
            "return_window_days", lambda mall, on=None: ReturnPolicy.for_mall(mall, on=on).window_days
        )

        from servicedesk.customer_records import register_action, register_records

        from .customer_records import LABEL as RECORD_LABEL
        from .customer_records import return_records
        from .models import DESK

        register_records("returns", RECORD_LABEL, return_records, section="returns", order=20)

        register_section(
            "returns",
            _("No-reason returns"),
            "returns:index",
            # The driver receives the goods on its run's page (drivers), not on the desk's returns.
            roles=section_roles("returns.models", "returns.services", readers=(Role.HEAD_OFFICE,)) - {Role.DRIVER},
            summary=_("No-reason returns: eligibility, return slip, refund."),
            nav_label=pgettext_lazy("navbar", "Returns"),
            order=40,
        )
        register_action(
            "return", _("New return"), "returns:new", roles=DESK, sale_label=_("Return this sale"), order=20
        )
