from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Callbacks")

    def ready(self):
        from servicedesk.customer_records import register_records
        from servicedesk.navigation import register_section, section_roles
        from servicedesk.roles import Role

        from .customer_records import CALLBACK_LABEL, PURCHASE_LABEL, callback_records, sale_records

        # Purchases are shown to every role that sees the customer (the desk picks the sale).
        register_records("purchases", PURCHASE_LABEL, sale_records, section="customers", order=5)
        register_records("callbacks", CALLBACK_LABEL, callback_records, section="followups", order=40)

        # The complaint's one callback record is the service callback: the complaint reads it and
        # records calls on it through complaints.callbacks; closing reads the attempts allowed.
        from complaints import callbacks
        from servicedesk import mall_settings, sales

        from .models import CallbackPolicy
        from .selectors import callback_note, complaint_callbacks, purchases_of, sale_for
        from .services import callback_record_for_complaint

        callbacks.provide(
            read=complaint_callbacks, record_call=callback_record_for_complaint, callback_note=callback_note
        )
        mall_settings.register(
            "callback_attempts", lambda mall, on=None: CallbackPolicy.for_mall(mall, on).max_attempts
        )

        # The sales, read by the complaint and return forms opened for one (`?sale=<id>`).
        sales.provide(sale_for=sale_for, purchases_of=purchases_of)

        register_section(
            "followups",
            _("Callbacks"),
            "followups:index",
            roles=section_roles("followups.models", "followups.services", readers=(Role.HEAD_OFFICE,)),
            summary=_("Sales imports, after-sale and warranty callbacks, home visits."),
            order=60,
        )
