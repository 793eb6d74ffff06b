from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        from servicedesk.navigation import register_section
        from servicedesk.roles import Role

        register_section(
            "knowledge",
            _("Knowledge base"),
            "knowledge:index",
            roles=tuple(Role),  # every role reads the rulings; writing is the services' (knowledge.models)
            summary=_("Rulings with their sources, canned replies (话术), and the remedy advisor."),
            nav_label=pgettext_lazy("navbar", "Rulings"),
            order=90,
        )
