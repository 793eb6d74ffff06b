from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def warranty_months(mall, on=None):
    from .models import WarrantyPolicy

    return WarrantyPolicy.for_mall(mall, on).warranty_months


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        from servicedesk import mall_settings
        from servicedesk.navigation import register_section
        from servicedesk.roles import Role

        # The furniture warranty (DOMAIN §1, a setting): also the warranty of a sale whose row
        # from the cashier gives none (followups.services.sales_import).
        mall_settings.register("warranty_months", warranty_months)

        register_section(
            "knowledge",
            _("Knowledge base"),
            "knowledge:index",
            roles=tuple(Role),  # every role reads the rulings; writing is the services' (knowledge.models)
            summary=_("Rulings with their sources, canned replies (话术), and the remedy advisor."),
            nav_label=pgettext_lazy("navbar", "Rulings"),
            order=90,
        )
