from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FrontdeskConfig(AppConfig):
    name = "frontdesk"
    verbose_name = pgettext_lazy("desk section", "Front desk")

    def ready(self):
        from servicedesk.customer_records import register_action, register_records
        from servicedesk.navigation import register_section, section_roles
        from servicedesk.roles import Role

        from .customer_records import LABEL, enquiry_records
        from .services.common import DESK_ROLES

        register_records("enquiries", LABEL, enquiry_records, section="frontdesk", order=50)

        register_section(
            "frontdesk",
            pgettext_lazy("desk section", "Front desk"),
            "frontdesk:index",
            roles=section_roles("frontdesk.models", "frontdesk.services", readers=(Role.HEAD_OFFICE,)),
            summary=_(
                "Duty roster, handover, broadcast programme, enquiries, receptions and incidents, service spot checks."
            ),
            order=70,
        )
        register_action(
            "enquiry", _("New enquiry"), "frontdesk:enquiries", roles=DESK_ROLES, order=30, anchor="enquiry-entry"
        )
