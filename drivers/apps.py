from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DriversConfig(AppConfig):
    name = "drivers"
    verbose_name = _("Driver runs")

    def ready(self):
        from servicedesk.navigation import register_section, section_roles
        from servicedesk.roles import Role

        register_section(
            "drivers",
            _("Driver runs"),
            "drivers:index",
            roles=section_roles("drivers.models", "drivers.services"),
            summary=_("Pick-ups and home visits planned per day, stops in order; the driver marks them on a phone."),
            nav_label=pgettext_lazy("navbar", "Runs"),
            order=75,
            navbar_roles=(Role.CLERK, Role.DRIVER),
        )
