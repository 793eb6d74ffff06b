from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from merchants.open_cases import register_open_cases
        from servicedesk.navigation import register_section, section_roles
        from servicedesk.roles import Role

        from .open_cases import ALL_LABEL, LABEL, merchant_complaints_url, open_complaints_of

        register_open_cases(
            "complaints",
            LABEL,
            open_complaints_of,
            all_url=merchant_complaints_url,
            section="complaints",
            all_label=ALL_LABEL,
        )

        from servicedesk.customer_records import register_action, register_records

        from .customer_records import LABEL as RECORD_LABEL
        from .customer_records import complaint_records

        register_records("complaints", RECORD_LABEL, complaint_records, section="complaints", order=10)

        register_section(
            "complaints",
            _("Complaints"),
            "complaints:index",
            roles=section_roles("complaints.models", "complaints.services", readers=(Role.HEAD_OFFICE,)),
            summary=_("Register walk-in and phone complaints, work them with merchants, call customers back."),
            order=20,
        )
        register_action(
            "complaint",
            _("New complaint"),
            "complaints:intake",
            roles=(Role.FRONT_DESK, Role.COMPLAINT_OFFICER),
            sale_label=_("Complaint about this sale"),
            order=10,
            shortcut="F2",
        )
